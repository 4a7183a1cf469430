"""A call-back phone number as a citizen types it on the keypad: what is accepted, the one line
that says what is wrong (never repeating the number), and the masked form shown everywhere."""

from __future__ import annotations

import pytest

from kiosk.phone import PhoneInvalid, check_phone, mask_phone

EXPECTED = "a mobile number (11 digits, 13 to 19 first) or a landline with its area code (0 and 9 to 11 more digits)"


@pytest.mark.parametrize("digits", ["13812345678", "19912345678", "02312345678", "0101234567", "075512345678"])
def test_mobile_and_landline_numbers_are_accepted(digits: str) -> None:
    assert check_phone(digits) == digits


@pytest.mark.parametrize(
    ("digits", "message"),
    [
        ("", f"phone: expected {EXPECTED}, got nothing"),
        ("138-1234-5678", "phone: expected digits only, got '-'"),
        ("138 12345678", "phone: expected digits only, got ' '"),
        ("１３８１２３４５６７８", "phone: expected digits only, got '１'"),
        ("138１2345678", "phone: expected digits only, got '１'"),  # Unicode counts it as a digit; the keypad does not
        ("1381234567", "phone: expected 11 digits for a mobile number, got 10 digits"),
        ("138123456789", "phone: expected 11 digits for a mobile number, got 12 digits"),
        ("1", "phone: expected 11 digits for a mobile number, got 1 digit"),
        ("12812345678", "phone: expected a mobile number starting 13 to 19, got one starting 12"),
        ("023123456", "phone: expected 10 to 12 digits for a landline with its area code, got 9 digits"),
        ("0231234567890", "phone: expected 10 to 12 digits for a landline with its area code, got 13 digits"),
        ("87654321", f"phone: expected {EXPECTED}, got 8 digits starting 8"),
    ],
)
def test_a_wrong_number_is_named_in_one_line_without_repeating_it(digits: str, message: str) -> None:
    with pytest.raises(PhoneInvalid) as raised:
        check_phone(digits)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)
    if len(digits) > 4:
        assert digits not in str(raised.value)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("02312345678", "023******78"),  # a landline keeps its area code's first 3 and its last 2
        ("0101234567", "010*****67"),
        ("075512345678", "075*******78"),
        ("12345", "*****"),  # too short to show any of it
    ],
)
def test_masking_shows_only_the_ends(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked
    assert len(mask_phone(phone)) == len(phone)
