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


class DirectorySource:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"dir:{path}"

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

    def fetch_new(self, session: Session) -> Iterator[FetchedMail]:
        for path in self.files():
            try:
                raw = path.read_bytes()
            except OSError as err:
                raise SourceError(f"[source.directory] path: cannot read {path}: {err.strerror}") from err
            yield FetchedMail(raw=raw, label=str(path))

    def mark_stored(self, session: Session, fetched: FetchedMail) -> None:
        return None

    def after_commit(self, fetched: FetchedMail, *, handled: bool) -> None:
        return None
