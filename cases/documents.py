"""A stored attachment as staff open it: its bytes, the type those bytes really are, how it may be shown.

The type comes from the bytes alone (magic numbers, ingest.extract.documents), never from the
sender's Content-Type nor the file name: an .exe called beslut.pdf is no PDF. Only types a browser
shows safely without running anything of the sender's (PDF and common raster images) may be shown
in the page; everything else is a download.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.errors import NotFound
from ingest.extract.documents import sniff_type
from models import Attachment, Message

PDF = "application/pdf"
IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")
DOWNLOAD = "application/octet-stream"
MAX_NAME = 150  # characters of a file name we send back; the extension is kept
SNIFF_BYTES = 4096  # enough for every magic number we know


@dataclass(frozen=True)
class StoredFile:
    attachment: Attachment
    path: Path


def stored_file(ctx: AppContext, session: Session, attachment_id: int) -> StoredFile:
    """The attachment row and its file under data_dir; NotFound for an unknown id, a row without its
    message, or a file that is gone (erased or past retention)."""
    row = session.get(Attachment, attachment_id)
    if row is None or session.get(Message, row.message_pk) is None:
        raise NotFound("Bilagan finns inte.")
    root = ctx.data_dir.resolve()
    path = (root / row.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound("Filen till bilagan finns inte längre (den kan ha gallrats).")
    return StoredFile(row, path)


def content_type(payload: bytes) -> str:
    """What the bytes are, from their first bytes only; application/octet-stream when we cannot tell."""
    if payload[:4] == b"RIFF" and payload[8:12] == b"WEBP":
        return "image/webp"
    return sniff_type(payload[:SNIFF_BYTES], None)  # no name: the extension never decides


def head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(SNIFF_BYTES)


def shown_as(kind: str) -> str | None:
    """"pdf" or "image" when a browser may show the type in the page, else None (a download)."""
    return "pdf" if kind == PDF else "image" if kind in IMAGES else None


def safe_filename(name: str | None, fallback: str = "bilaga") -> str:
    """The sender's file name made harmless for a Content-Disposition header and a download folder:
    no path, no control or quoting characters, no leading dots, at most MAX_NAME characters."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in text)
    text = re.sub(r"[\"<>:|?*;]", "_", text)
    text = " ".join(text.split()).lstrip(". ")
    if len(text) > MAX_NAME:
        stem, dot, suffix = text.rpartition(".")
        text = (stem[: MAX_NAME - len(suffix) - 1] + "." + suffix) if dot and 0 < len(suffix) <= 10 else text[:MAX_NAME]
    return text or fallback
