"""A citizen's call-back phone number, typed on the kiosk's numeric keypad: checked, and masked
wherever it is shown.

A number is a Chinese mobile number (1, then 3 to 9, then 9 more digits) or a landline with its
area code (0, then 9 to 11 more digits). It is kept whole only for the center's follow-up call;
screens, receipts, logs and error messages show it masked (13812345678 -> 138****5678).
"""

from __future__ import annotations

import re

MOBILE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE = re.compile(r"0[0-9]{9,11}")
EXPECTED = "a mobile number (11 digits, 13 to 19 first) or a landline with its area code (0 and 9 to 11 more digits)"


class PhoneInvalid(ValueError):
    """The number cannot be a phone to call back; the message says what was expected and what came,
    without repeating the number."""


def check_phone(digits: str) -> str:
    """The number when it is a mobile or landline number; raises PhoneInvalid otherwise."""
    if MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits):
        return digits
    raise PhoneInvalid(f"phone: {_expected_and_got(digits)}")


def _expected_and_got(digits: str) -> str:
    if not digits:
        return f"expected {EXPECTED}, got nothing"
    strange = next((char for char in digits if char not in "0123456789"), None)
    if strange is not None:
        return f"expected digits only, got {strange!r}"
    count = f"{len(digits)} digit{'s' if len(digits) != 1 else ''}"
    if digits[0] == "1":
        if len(digits) != 11:
            return f"expected 11 digits for a mobile number, got {count}"
        return f"expected a mobile number starting 13 to 19, got one starting {digits[:2]}"
    if digits[0] == "0":
        return f"expected 10 to 12 digits for a landline with its area code, got {count}"
    return f"expected {EXPECTED}, got {count} starting {digits[0]}"


def mask_phone(phone: str) -> str:
    """The number as it may be shown: a mobile keeps its first 3 and last 4 digits, a landline the
    first 3 of its area code and its last 2; everything between is ``*``."""
    keep_end = 4 if MOBILE.fullmatch(phone) else 2
    if len(phone) <= 3 + keep_end:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 3 - keep_end) + phone[-keep_end:]
