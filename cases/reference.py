"""Human case references: PREFIX-YEAR-NNNN, e.g. JS-2026-0007."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case

REFERENCE_IN_TEXT = re.compile(r"\b([A-Z]{1,6}-\d{4}-\d{4,})\b")


def next_reference(session: Session, prefix: str, now: datetime) -> str:
    stem = f"{prefix}-{now.year}-"
    # Numerically, not as text: "JS-2026-10000" sorts before "JS-2026-9999" as a string.
    taken = session.scalars(select(Case.reference).where(Case.reference.like(f"{stem}%")))
    number = max((int(ref.rsplit("-", 1)[1]) for ref in taken), default=0) + 1
    return f"{stem}{number:04d}"


def references_in(text: str, prefix: str) -> list[str]:
    return [ref for ref in REFERENCE_IN_TEXT.findall(text or "") if ref.startswith(prefix + "-")]


# A token hidden in every reply's HTML body, so a reply still joins its case when a server
# rewrote the Message-IDs and the person deleted the reference from the subject. Its check
# part is an HMAC with a key that never leaves the server (data_dir/token.key), so a token
# cannot be made up for another organisation's case.
TOKEN_IN_TEXT = re.compile(r"strategy-inbox-token:([A-Z]{1,6}-\d{4}-\d{4,})\.([0-9a-f]{16})")
_KEYS: dict[Path, bytes] = {}


def token_key(data_dir: Path) -> bytes:
    """The server's token key, made on first use (0600) and kept with the data it protects."""
    path = (data_dir / "token.key").resolve()
    if path not in _KEYS:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            os.write(fd, secrets.token_hex(32).encode())
            os.close(fd)
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, path)  # atomic, and never replaces a key another process just made
            except FileExistsError:
                pass
            os.unlink(tmp)
        _KEYS[path] = path.read_bytes().strip()
    return _KEYS[path]


def case_token(reference: str, key: bytes) -> str:
    return f"strategy-inbox-token:{reference}.{_check(reference, key)}"


def references_in_tokens(text: str, key: bytes) -> list[str]:
    """References from intact tokens; a token with a wrong check part (edited, forged) is ignored."""
    return [ref for ref, check in TOKEN_IN_TEXT.findall(text or "") if hmac.compare_digest(check, _check(ref, key))]


def _check(reference: str, key: bytes) -> str:
    return hmac.new(key, reference.encode(), hashlib.sha256).hexdigest()[:16]
