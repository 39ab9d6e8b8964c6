"""A folder of .eml files or a Maildir: for the demo and for back-filling exported mail.

Nothing is tracked per file: the raw store deduplicates by content hash, so reading
the same folder again stores and answers nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from inbox.errors import SourceError
from ingest.sources.base import FetchedMail

BATCH_FILES = 25  # stored and committed together, as a FETCH batch of the IMAP source
BATCH_BYTES = 16 * 1024 * 1024


class DirectorySource:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"dir:{path}"
        self.post_actions = False

    def __enter__(self) -> DirectorySource:
        if not self.path.is_dir():
            raise SourceError(f"mail folder {self.path} does not exist or is not a folder")
        return self

    def __exit__(self, *exc) -> None:
        return None

    def files(self) -> list[Path]:
        if (self.path / "cur").is_dir() or (self.path / "new").is_dir():
            found = [p for sub in ("new", "cur") for p in (self.path / sub).glob("*") if p.is_file()]
        else:
            found = [p for p in self.path.iterdir() if p.is_file() and p.suffix.lower() in (".eml", "")]
        return sorted(found)

    def fetch_batches(self, session: Session) -> Iterator[list[FetchedMail]]:
        batch: list[FetchedMail] = []
        size = 0
        for path in self.files():
            try:
                raw = path.read_bytes()
            except OSError as err:
                raise SourceError(f"[source.directory] path: cannot read {path}: {err.strerror}") from err
            if batch and (len(batch) >= BATCH_FILES or size + len(raw) > BATCH_BYTES):
                yield batch
                batch, size = [], 0
            batch.append(FetchedMail(raw=raw, label=str(path)))
            size += len(raw)
        if batch:
            yield batch

    def mark_stored(self, session: Session, batch: list[FetchedMail]) -> None:
        return None

    def after_commit(self, fetched: FetchedMail, *, handled: bool) -> None:
        return None
