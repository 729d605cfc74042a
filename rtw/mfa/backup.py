"""Single-use backup codes, stored only as keyed hashes.

django-otp's StaticDevice looks a token up by equality and deletes it when used; we store
HMAC(SECRET_KEY, code) in place of the code and hash what the person types before handing
it to ``StaticDevice.verify_token``. Throttling and single use stay django-otp's. A
database leak reveals no usable code; rotating SECRET_KEY invalidates the codes (people
then sign in with their app and generate new ones).
"""

import re
import secrets

from django.utils.crypto import salted_hmac

BACKUP_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 10
TOTP_SHAPE = re.compile(r"^\d{6}$")


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def new_codes() -> list[str]:
    codes = ("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(99))
    unique = list(dict.fromkeys(codes))[:BACKUP_CODE_COUNT]
    return [f"{c[:5]}-{c[5:]}" for c in unique]


def hashed(code: str) -> str:
    """What is stored for ``code`` (fits StaticToken.token, 16 characters)."""
    return salted_hmac("rtw.mfa.backup-code", normalise(code), algorithm="sha256").hexdigest()[:16]


def looks_like_totp(code: str) -> bool:
    return bool(TOTP_SHAPE.match(normalise(code)))
