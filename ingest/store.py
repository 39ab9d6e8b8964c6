"""Store first: raw bytes go to a content-addressed file and a row is committed before any parsing.

Files are named by their SHA-256, so writing the same message twice is harmless
and a crash between the file write and the commit leaves nothing inconsistent
(the next run writes the same file again and commits the row).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Message, MessageLocation, message_id_key, utcnow

_MSGID_HEADER = re.compile(rb"^message-id:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Location:
    """Where a message lives on an IMAP server."""

    account: str
    folder: str
    uidvalidity: int
    uid: int


@dataclass(frozen=True)
class StoreResult:
    message: Message
    created: bool  # False: the same bytes or the same Message-ID were stored before


def content_path(data_dir: Path, kind: str, digest: str, suffix: str) -> Path:
    return data_dir / kind / digest[:2] / digest[2:4] / f"{digest}{suffix}"


def write_content_addressed(data_dir: Path, kind: str, payload: bytes, suffix: str) -> tuple[str, Path]:
    """Write payload once under its hash; return (sha256, path). Atomic: temp file + rename."""
    digest = hashlib.sha256(payload).hexdigest()
    path = content_path(data_dir, kind, digest, suffix)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    return digest, path


def header_message_id(raw: bytes) -> str | None:
    """The Message-ID read straight from the header block, without a full parse."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = _MSGID_HEADER.search(head)
    return found.group(1).decode("ascii", "replace") if found else None


def find_duplicate(session: Session, digest: str, message_id: str | None) -> Message | None:
    same = session.scalar(select(Message).where(Message.sha256 == digest))
    if same is None and message_id:
        same = session.scalar(select(Message).where(Message.message_id_hash == message_id_key(message_id)).limit(1))
    return same


def store_raw(session: Session, data_dir: Path, raw: bytes, location: Location | None = None, *, now: datetime | None = None) -> StoreResult:
    """Write the raw message and add its row (the caller commits). Deduplicates by hash and Message-ID."""
    digest = hashlib.sha256(raw).hexdigest()
    message_id = header_message_id(raw)
    existing = find_duplicate(session, digest, message_id)
    if existing is not None:
        record_location(session, existing, location)
        return StoreResult(existing, created=False)
    _, path = write_content_addressed(data_dir, "raw", raw, ".eml")
    message = Message(sha256=digest, message_id=message_id, raw_path=str(path.relative_to(data_dir)), size=len(raw),
                      received_at=now or utcnow())
    session.add(message)
    session.flush()
    record_location(session, message, location)
    return StoreResult(message, created=True)


def record_location(session: Session, message: Message, location: Location | None) -> None:
    if location is None:
        return
    known = session.scalar(
        select(MessageLocation).where(
            MessageLocation.account == location.account,
            MessageLocation.folder == location.folder,
            MessageLocation.uidvalidity == location.uidvalidity,
            MessageLocation.uid == location.uid,
        )
    )
    if known is None:
        session.add(MessageLocation(message=message, **location.__dict__))


def read_raw(data_dir: Path, message: Message) -> bytes:
    return (data_dir / message.raw_path).read_bytes()
