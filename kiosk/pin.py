"""The staff PIN: stored in kiosk.ini only as a salted PBKDF2 hash, never as the digits."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
HASH_PATTERN = r"pbkdf2_sha256\$\d{4,7}\$[0-9a-f]{32}\$[0-9a-f]{64}"
PIN_PATTERN = re.compile(r"[0-9]{4,8}")

# The hash of the sample PIN 2580 shipped in kiosk.ini. `kiosk check` warns while it is in use.
SAMPLE_PIN_HASH = (
    "pbkdf2_sha256$200000$6b696f736b2d73616d706c652d70696e$"
    "f172f6852227d94865acf8219743f045af2189dcd9d2f1ed1d10c46889b75f80"
)


def is_valid_pin(pin: str) -> bool:
    """A PIN is 4 to 8 digits."""
    return bool(PIN_PATTERN.fullmatch(pin))


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """The line stored in kiosk.ini for ``pin``."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether ``pin`` is the PIN behind ``stored`` (constant-time comparison)."""
    try:
        algorithm, iterations, salt, digest = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), digest)
