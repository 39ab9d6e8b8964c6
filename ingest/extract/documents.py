"""Attachments as documents: the real type from magic bytes, and the text layer of PDF/DOCX/ODT."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass

from ingest.message import MailAttachment

MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
         (b"GIF8", "image/gif"), (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"),
         (b"\xd0\xcf\x11\xe0", "application/x-ole-storage"))
EXTENSIONS = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ".odt": "application/vnd.oasis.opendocument.text", ".txt": "text/plain", ".png": "image/png", ".jpg": "image/jpeg"}
DOCX = EXTENSIONS[".docx"]
ODT = EXTENSIONS[".odt"]


@dataclass(frozen=True)
class DocumentText:
    text: str
    text_source: str  # "pdf_text", "docx", "odt"


def sniff_type(payload: bytes, filename: str | None) -> str:
    """The type the bytes really are; the sender's declared type is not trusted."""
    for magic, mime in MAGIC:
        if payload.startswith(magic):
            return mime
    if payload.startswith(b"PK\x03\x04"):
        return _zip_type(payload)
    suffix = re.search(r"\.[A-Za-z0-9]+$", filename or "")
    return EXTENSIONS.get(suffix.group(0).lower(), "application/octet-stream") if suffix else "application/octet-stream"


def _zip_type(payload: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
    except (zipfile.BadZipFile, OSError, KeyError):
        pass
    return "application/zip"


def document_text(att: MailAttachment) -> DocumentText | None:
    """Text of a PDF, DOCX or ODT attachment; None when there is none or the file is broken."""
    kind = sniff_type(att.payload, att.filename)
    reader = {"application/pdf": _pdf, DOCX: _docx, ODT: _odt}.get(kind)
    if reader is None:
        return None
    try:
        text = reader(att.payload)
    except Exception:  # a corrupt document must not stop the message; the caller notes it
        return None
    return DocumentText(clean(text[0]), text[1]) if text[0].strip() else None


def _pdf(payload: bytes) -> tuple[str, str]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(payload))
    return "\n".join(page.extract_text() or "" for page in reader.pages[:20]), "pdf_text"


def _docx(payload: bytes) -> tuple[str, str]:
    import docx

    document = docx.Document(io.BytesIO(payload))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells), "docx"


def _odt(payload: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        xml = archive.read("content.xml").decode("utf-8")
    xml = re.sub(r"</text:(p|h)>", "\n", xml)
    return re.sub(r"<[^>]+>", "", xml), "odt"


def clean(text: str) -> str:
    """Join words hyphenated across lines and normalise line ends."""
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)
