"""Password hashing with Argon2id (argon2-cffi's defaults follow RFC 9106's second recommendation)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from inbox.errors import InboxError

HASHER = PasswordHasher()
MIN_LENGTH = 12  # a passphrase; the workspace holds personal data of every contact person
# Verifying against this keeps an unknown username as slow as a wrong password, so timing does not tell which.
_DUMMY = HASHER.hash("not a password anyone has")


class WeakPassword(InboxError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the password is too short: at least {MIN_LENGTH} characters")
    return HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return HASHER.check_needs_rehash(stored)
