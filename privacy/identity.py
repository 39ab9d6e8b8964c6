"""One person's address as a key: normalised, hashed, found in text and files, and replaced.

Addresses are matched case-insensitively and as whole addresses: "anna@koping.se" is not
found inside "hanna@koping.se" or "anna@koping.se.example".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from pathlib import Path

from cases.reference import token_key
from inbox.errors import InboxError

ERASED = "[raderad]"
# Characters that may stand right before an address's local part or right after its domain
# without ending it; a hit with one of them there is part of a longer address.
_LOCAL_CHARS = r"\w.!#$%&'*+/=?^`{|}~-"
_CHUNK = 1 << 20


def normalise_address(text: str) -> str:
    """'  <Anna.Lind@Koping.SE> ' -> 'anna.lind@koping.se'; anything that is not one address is an error."""
    address = text.strip().strip("<>").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or re.search(r"[\s<>(),;:\"\[\]]", address):
        raise InboxError(f"not an e-mail address: {text!r}")
    return address


def address_hash(data_dir: Path, address: str) -> str:
    """A keyed hash of the address (HMAC-SHA256 with the server's key in data_dir): stable, so an
    erasure can be recognised later, but not reversible by hashing guessed addresses without the key."""
    return hmac.new(token_key(data_dir), b"person:" + address.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym(hashed: str) -> str:
    """What stands in a contact row where the person's name was: '[raderad 3f2a9c1d7e4b]'."""
    return f"{ERASED[:-1]} {hashed[:12]}]"


def address_pattern(address: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![{_LOCAL_CHARS}]){re.escape(address)}(?![\w-]|\.[\w-])", re.IGNORECASE)


def mentions(text: str | None, address: str) -> bool:
    return bool(text and address_pattern(address).search(text))


def json_text(address: str) -> str:
    """How the address looks inside a JSON column (json.dumps escapes non-ASCII)."""
    return json.dumps(address)[1:-1]


def file_mentions(path: Path, address: str) -> bool:
    """Whether the file holds the address as written (not inside base64 or quoted-printable parts).
    Read in chunks, so a 25 MB message costs 1 MB of memory."""
    needle = address.lower().encode("utf-8")
    # A literal first lets the regex engine jump between candidates (about 10x faster than a
    # leading lookbehind); the character before a hit is checked by hand.
    pattern = re.compile(re.escape(needle) + rb"(?![\w-]|\.[\w-])")
    before = re.compile(rb"[" + _LOCAL_CHARS.encode() + rb"]")
    keep = len(needle) + 2  # enough of the previous chunk for a hit across the border and its neighbours
    tail = b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                window = (tail + chunk).lower()
                if any(hit.start() == 0 or not before.match(window, hit.start() - 1) for hit in pattern.finditer(window)):
                    return True
                tail = window[-keep:]
    except FileNotFoundError:
        return False
    return False


@dataclass(frozen=True)
class Replacement:
    """Replace the person's address, names and phone numbers in free text and JSON values."""

    address: str
    names: tuple[str, ...]
    phones: tuple[str, ...]
    stand_in: str  # the pseudonym

    def text(self, value: str | None) -> str | None:
        if not value:
            return value
        value = address_pattern(self.address).sub(self.stand_in, value)
        for literal in (*self.names, *self.phones):
            value = re.sub(rf"(?<!\w){re.escape(literal)}(?!\w)", self.stand_in, value, flags=re.IGNORECASE)
        return value

    def in_json(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.in_json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.in_json(item) for key, item in value.items()}
        return value
