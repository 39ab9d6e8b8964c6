"""Store first: raw bytes go to a content-addressed file and a row is committed before any parsing.

Files are named by their SHA-256, so writing the same message twice is harmless
and a crash between the file write and the commit leaves nothing inconsistent
(the next run writes the same file again and commits the row). Rows are added with
insert-or-ignore, so two pollers storing the same message at once both succeed.

A poll stores one FETCH batch at a time (store_batch): every file of the batch is written
to a temp file, the temp files are fsynced, renamed into place, their folders fsynced, and
only then are the rows added, in one transaction the caller commits once. A final path
therefore always holds its complete bytes, and no row (nor the mailbox's last UID) points
at anything that a power cut could take back. Writing all files before the first fsync lets
one journal commit carry the whole batch instead of one per message.

A duplicate is the same bytes (same SHA-256, hence the same Message-ID). A different
message that reuses a Message-ID already seen is a new message: it is stored and
processed, and an event names the earlier one (a sender's bug, or someone's attempt to
have a real message dropped as a "duplicate").
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.db import insert_or_ignore
from inbox.errors import InboxError
from models import Event, Message, MessageLocation, MessageStatus, message_id_key, utcnow

log = logging.getLogger(__name__)
_MSGID_HEADER = re.compile(rb"^message-id:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)
TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 3600  # a write in progress never takes this long; older temp files are leftovers of a kill


class StorageError(InboxError):
    """data_dir cannot be written (full, read-only, not a folder): the service's problem, not the message's.

    Nothing is marked stored or quarantined; the next poll tries the same mail again.
    """


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
    created: bool  # False: the same bytes were stored before (by us or by a concurrent poller)


def content_path(data_dir: Path, kind: str, digest: str, suffix: str) -> Path:
    return data_dir / kind / digest[:2] / digest[2:4] / f"{digest}{suffix}"


def write_content_addressed(data_dir: Path, kind: str, payload: bytes, suffix: str) -> tuple[str, Path]:
    """Write payload once under its hash; return (sha256, path). Atomic: temp file + rename.

    Raises StorageError (one line naming data_dir and the cause) when the disk is full,
    read-only or not a folder; no temp file is left behind.
    """
    digest = hashlib.sha256(payload).hexdigest()
    path = content_path(data_dir, kind, digest, suffix)
    if path.exists():
        return digest, path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, payload)
    except OSError as err:
        raise StorageError(storage_problem(data_dir, err)) from err
    return digest, path


def _write_atomically(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
    renamed = False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        renamed = True
    finally:
        if not renamed:  # a failed write (disk full, an exception) leaves no half file behind
            try:
                os.unlink(tmp)
            except OSError:
                pass  # already gone, or the folder became unwritable: the start-of-poll sweep retries


def storage_problem(data_dir: Path, err: OSError) -> str:
    cause = err.strerror or str(err)
    return (f"cannot write to data_dir {data_dir} ([service] data_dir): {cause}; "
            "free space or fix the folder's permissions; the mail is tried again on the next poll")


def sweep_stale_temp_files(data_dir: Path, *, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove temp files a killed writer left (kill -9 skips every finally). Returns how many."""
    if not data_dir.is_dir():
        return 0
    cutoff = time.time() - older_than  # file times are wall-clock times, whatever clock the service runs on
    removed = 0
    for path in data_dir.rglob(f"{TEMP_PREFIX}*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError as err:
            log.warning("cannot remove the stale temp file %s: %s", path, err.strerror)
    if removed:
        log.info("removed %d stale temp file(s) under %s", removed, data_dir)
    return removed


def header_message_id(raw: bytes) -> str | None:
    """The Message-ID read straight from the header block, without a full parse."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = _MSGID_HEADER.search(head)
    return found.group(1).decode("ascii", "replace") if found else None


def stored_copy(session: Session, digest: str) -> Message | None:
    """The stored message with exactly these bytes, if any."""
    return session.scalar(select(Message).where(Message.sha256 == digest))


def store_raw(session: Session, data_dir: Path, raw: bytes, location: Location | None = None, *, now: datetime | None = None) -> StoreResult:
    """Write the raw message and add its row (the caller commits). Deduplicates by content hash."""
    return store_batch(session, data_dir, [(raw, location)], now=now)[0]


def store_batch(session: Session, data_dir: Path, batch: Sequence[tuple[bytes, Location | None]], *,
                now: datetime | None = None) -> list[StoreResult]:
    """Store (raw bytes, location) pairs: files durable first, then the rows (the caller commits once).

    One result per pair, in order; the same bytes twice in a batch are one message and a duplicate."""
    digests = [hashlib.sha256(raw).hexdigest() for raw, _ in batch]
    known = {m.sha256: m for m in session.scalars(select(Message).where(Message.sha256.in_(set(digests))))}
    unwritten = {digest: raw for digest, (raw, _) in zip(digests, batch, strict=True) if digest not in known}
    write_durably(data_dir, "raw", unwritten, ".eml")
    results = []
    for digest, (raw, location) in zip(digests, batch, strict=True):
        message, created = known.get(digest), False
        if message is None:
            message, created = _add_message(session, data_dir, digest, raw, now)
            known[digest] = message
        record_location(session, message, location)
        results.append(StoreResult(message, created=created))
    return results


def _add_message(session: Session, data_dir: Path, digest: str, raw: bytes, now: datetime | None) -> tuple[Message, bool]:
    message_id = header_message_id(raw)
    created = insert_or_ignore(session, Message, {
        "sha256": digest, "message_id": message_id, "message_id_hash": message_id_key(message_id),
        "raw_path": str(content_path(data_dir, "raw", digest, ".eml").relative_to(data_dir)), "size": len(raw),
        "received_at": now or utcnow(), "status": MessageStatus.STORED, "attempts": 0,
    }, ["sha256"])
    message = session.scalars(select(Message).where(Message.sha256 == digest)).one()  # ours, or a concurrent poller's
    if created:
        note_reused_message_id(session, message, now)
    return message, created


def write_durably(data_dir: Path, kind: str, payloads: dict[str, bytes], suffix: str) -> None:
    """Write payloads (by SHA-256) under their hashes: temp files, one fsync pass, renames, folder fsyncs.

    A path that exists already holds its bytes (it was renamed into place only after its fsync).
    Raises StorageError naming data_dir; temp files of a failed batch are removed."""
    pending: list[tuple[int, str, Path]] = []  # (descriptor, temp file, final path)
    folders: set[Path] = set()
    try:
        for digest, payload in payloads.items():
            path = content_path(data_dir, kind, digest, suffix)
            if path.exists():
                continue
            folders |= _make_folders(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
            pending.append((fd, tmp, path))
            _write_all(fd, payload)
        for fd, _tmp, _path in pending:
            os.fsync(fd)  # the first one commits the journal for all; the rest find little left to do
        for _fd, tmp, path in pending:
            os.replace(tmp, path)
        for folder in folders:
            _fsync_folder(folder)  # the renames (and new folders) survive a power cut too
    except OSError as err:
        raise StorageError(storage_problem(data_dir, err)) from err
    finally:
        for fd, tmp, _path in pending:
            os.close(fd)
            _unlink_quietly(tmp)  # gone after its rename; what a failure left, removed here


def _make_folders(folder: Path) -> set[Path]:
    """Create folder and its missing parents; the folders whose entries changed (to fsync)."""
    changed = {folder}
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir(exist_ok=True)
        changed.add(new.parent)
    return changed


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass  # renamed into place: the normal case
    except OSError:
        pass  # the folder became unwritable: the start-of-poll sweep retries


def note_reused_message_id(session: Session, message: Message, now: datetime | None) -> None:
    """A new message whose Message-ID an earlier, different message already had: keep both, say so."""
    if not message.message_id_hash:
        return
    earlier = session.scalar(
        select(Message).where(Message.message_id_hash == message.message_id_hash, Message.id != message.id).order_by(Message.id).limit(1)
    )
    if earlier is None:
        return
    log.warning("message %s reuses the Message-ID of message %s with different content; stored as a new message", message.id, earlier.id)
    session.add(Event(
        at=now or utcnow(), action="message_id_reused", message_pk=message.id,
        detail=f"the Message-ID of message {earlier.id} ({earlier.received_at:%Y-%m-%d %H:%M} UTC), with different content; stored as a new message",
        data={"earlier_message": earlier.id, "message": message.id},
    ))


def record_location(session: Session, message: Message, location: Location | None) -> None:
    if location is not None:
        insert_or_ignore(session, MessageLocation, {**asdict(location), "message_pk": message.id, "seen_at": utcnow()},
                         ["account", "folder", "uidvalidity", "uid"])


def read_raw(data_dir: Path, message: Message) -> bytes:
    return (data_dir / message.raw_path).read_bytes()
