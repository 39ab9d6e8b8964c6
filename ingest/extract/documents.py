"""Attachments as documents: the real type from magic bytes, then the text.

Text layers are read first (PDF with PDFium, DOCX, ODT, the text of an attached mail); scans
(PDFs without a text layer, JPEG/PNG/TIFF) need OCR, which is slow, so `read_text` says
NEEDS_OCR and the caller decides whether `read_by_ocr` is worth the time.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Final

from ingest.extract import ocr
from ingest.extract.limits import Reading, wrap_long_lines
from ingest.extract.pdf_content import ContentBudget
from ingest.extract.result import TextSource

MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
         (b"GIF8", "image/gif"), (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"),
         (b"\x78\x9f\x3e\x22", "application/ms-tnef"), (b"\xd0\xcf\x11\xe0", "application/x-ole-storage"))
EXTENSIONS = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ".odt": "application/vnd.oasis.opendocument.text", ".txt": "text/plain", ".png": "image/png",
              ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff", ".tiff": "image/tiff",
              ".zip": "application/zip", ".eml": "message/rfc822", ".msg": "application/vnd.ms-outlook"}
DOCX = EXTENSIONS[".docx"]
ODT = EXTENSIONS[".odt"]
OCR_IMAGES = ("image/jpeg", "image/png", "image/tiff")
MIN_TEXT_LAYER = 40  # fewer letters than this in a PDF's text layer: a scan (maybe with a stamp)
SMALL_IMAGE_BYTES = 30 * 1024  # an inline image this small is a logo, never a scanned page
MIN_PAGE_PIXELS = 500 * 500  # an image with fewer pixels cannot hold a readable page of text


@dataclass(frozen=True)
class DocumentText:
    text: str
    text_source: TextSource
    scanned_pages: bool = False  # a PDF with a text layer on some pages and only images on others


class _NeedsOcr:
    def __repr__(self) -> str:
        return "NEEDS_OCR"


NEEDS_OCR: Final = _NeedsOcr()
Reader = Callable[[bytes, Reading, str], "DocumentText | _NeedsOcr | None"]


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
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # a few bytes, never the whole (bomb-able) member
                    if member.read(100).strip() == ODT.encode():
                        return ODT
    except (zipfile.BadZipFile, OSError, KeyError):
        pass
    return "application/zip"


def is_document(kind: str) -> bool:
    """A type that can hold a decision, if we can read it."""
    return kind in ("application/pdf", DOCX, ODT, *OCR_IMAGES)


def read_text(part, reading: Reading, *, enough: Callable[[str], bool] | None = None) -> DocumentText | _NeedsOcr | None:
    """The text layer of a part (a MailAttachment or containers.Part); NEEDS_OCR for a scan;
    None when it holds no text we read (a logo, a spreadsheet, a broken file).

    enough: a test of a PDF's text read so far; once it passes, one more page is read (the
    paragraph may go on) and the rest is left, with a note. A 20-page meeting protocol is then
    read to its affiliation paragraph, not to its end."""
    if getattr(part, "body", False):
        return _document(part.payload.decode("utf-8", "replace"), "body")
    kind = sniff_type(part.payload, part.filename)
    if kind in OCR_IMAGES:
        return NEEDS_OCR if looks_like_page(part.payload, getattr(part, "inline", False)) else None
    readers: dict[str, Reader] = {"application/pdf": partial(_pdf, enough=enough), DOCX: _docx, ODT: _odt}
    reader = readers.get(kind)
    if reader is None:
        return None
    name = part.filename or "attachment"
    try:
        if kind in (DOCX, ODT):
            _check_unpacked_size(part.payload, reading, name)
        return reader(part.payload, reading, name)
    except Exception as err:  # encrypted, corrupt, too big unpacked: kept, and a person is told
        reading.problem(f"{name} could not be read ({type(err).__name__}: {str(err)[:120]}); a person should open it")
        reading.unread.append(name)
        return None


class UnpackedTooLarge(ValueError):
    """A DOCX/ODT that would unpack to more than zip_max_mb, or to more XML than document_xml_max_mb
    (a decompression bomb or a giant file). python-docx builds an lxml tree of about 25 bytes per
    byte of XML, so 45 MB of XML would take over a gigabyte."""


def _check_unpacked_size(payload: bytes, reading: Reading, name: str) -> None:
    """The declared sizes are a hard bound: zipfile never inflates a member past its declared size."""
    limits = reading.limits
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        members = archive.infolist()
    unpacked = sum(info.file_size for info in members)
    xml = sum(info.file_size for info in members if info.filename.endswith((".xml", ".rels")))
    if unpacked > limits.zip_max_bytes:
        raise UnpackedTooLarge(f"unpacks to {unpacked // 1_000_000} MB, over the limit of {limits.zip_max_bytes // 1_000_000} MB")
    if xml > limits.document_xml_max_bytes:
        raise UnpackedTooLarge(f"holds {xml // 1_000_000} MB of XML, over the limit of {limits.document_xml_max_mb:g} MB")


def looks_like_page(payload: bytes, inline: bool) -> bool:
    """A scanned page, not a signature logo or a spacer: big enough in bytes and in pixels.
    An image too large to open is a page (that is then refused with a note), never silently nothing."""
    if inline and len(payload) < SMALL_IMAGE_BYTES:
        return False
    try:
        width, height = ocr.image_size(payload)
    except ocr.ImageTooLarge:
        return True
    except Exception:  # Pillow raises many types for broken images; a broken image is no page
        return False
    return width * height >= MIN_PAGE_PIXELS and min(width, height) >= 300


def read_by_ocr(part, reading: Reading) -> DocumentText | None:
    """OCR a scanned PDF or an image, within max_pages and the message's OCR time budget."""
    name = part.filename or "attachment"
    kind = sniff_type(part.payload, part.filename)
    try:
        limits = reading.limits
        if kind == "application/pdf":
            pages = ocr.pdf_pages(part.payload, limits.max_pages, limits.image_max_pixels)
        else:
            _check_pages(name, ocr.page_count(part.payload), reading)
            pages = ocr.image_pages(part.payload, limits.max_pages, limits.image_max_pixels)
        return _document(ocr.ocr_pages(pages, reading), "ocr")
    except ocr.ImageTooLarge as err:
        reading.problem(f"{name} was not read: {err}, over the limit of {reading.limits.image_max_megapixels:g} megapixels")
    except ocr.OcrUnavailable as err:
        reading.problem(f"{name} is a scan and could not be read: {err}")
    except ocr.OcrTimeout as err:
        reading.problem(f"{name} is a scan and was not read: {err}")
    except Exception as err:  # a broken scan must not stop the message; the note says which
        reading.notes.append(f"{name}: OCR failed ({type(err).__name__}: {err})")
        return None
    reading.unread.append(name)
    return None


def _check_pages(name: str, pages: int, reading: Reading) -> None:
    if pages > reading.limits.max_pages:
        reading.problem(f"{name} has {pages} pages, over the limit of {reading.limits.max_pages}; only those were read")


def _pdf(payload: bytes, reading: Reading, name: str, enough: Callable[[str], bool] | None = None) -> DocumentText | _NeedsOcr | None:
    """The text layer, read by PDFium (pypdfium2) page by page: several times faster than pypdf,
    with the same text (README, "Reading attachments"). Each page is parsed only once the content
    budget (ingest.extract.pdf_content) allows it."""
    import pypdfium2 as pdfium

    budget = ContentBudget(payload, reading, name)
    document = pdfium.PdfDocument(payload)
    try:
        total = len(document)
        _check_pages(name, total, reading)
        readable = min(total, reading.limits.max_pages, budget.pages)
        pages, complete = _page_texts(document, readable, budget, enough)
    finally:
        document.close()
    letters = [len(re.findall(r"[^\W\d_]", text)) for text in pages]
    if sum(letters) < MIN_TEXT_LAYER:
        if complete:
            return NEEDS_OCR
        reading.unread.append(name)  # rendering it for OCR would parse the same giant content
        return None
    if complete and len(pages) < readable:
        reading.notes.append(f"{name}: read to page {len(pages)} of {total}, the page after the affiliation paragraph")
    doc = _document("\n".join(pages), "pdf_text")
    if doc and min(letters) < MIN_TEXT_LAYER and complete:  # e.g. a typed covering letter, then the scanned protocol
        return DocumentText(doc.text, doc.text_source, scanned_pages=True)
    return doc


def _page_texts(document, count: int, budget: ContentBudget, enough: Callable[[str], bool] | None) -> tuple[list[str], bool]:
    """The text of the first `count` pages while the budget allows; (texts, False) when it stopped
    them. With `enough`, only up to the page after the one where the text first passes it
    (tested on the last two pages read: a paragraph may straddle)."""
    pages: list[str] = []
    for number in range(count):
        if not budget.allows(number):
            return pages, False
        pages.append(_page_text(document, number))
        if enough is not None and len(pages) >= 2 and enough("\n".join(pages[-3:-1])):
            break
    return pages, True


def _page_text(document, number: int) -> str:
    page = document[number]
    try:
        textpage = page.get_textpage()
        try:
            return pdfium_text(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def pdfium_text(text: str) -> str:
    """PDFium's text as pypdf wrote it: PDFium ends lines with CRLF and marks a word broken at a
    line end by U+FFFE (or U+0002) in place of the hyphen and the line break."""
    return text.replace("\r\n", "\n").replace("\ufffe", "-\n").replace("\x02", "-\n")


def _docx(payload: bytes, reading: Reading, name: str) -> DocumentText | None:
    import docx

    document = docx.Document(io.BytesIO(payload))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return _document("\n".join([p.text for p in document.paragraphs] + cells), "docx")


def _odt(payload: bytes, reading: Reading, name: str) -> DocumentText | None:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive, archive.open("content.xml") as member:
        data = member.read(reading.limits.document_xml_max_bytes + 1)  # a cap, whatever the member declares
    if len(data) > reading.limits.document_xml_max_bytes:
        raise UnpackedTooLarge(f"content.xml is over the limit of {reading.limits.document_xml_max_mb:g} MB")
    xml = data.decode("utf-8")
    xml = re.sub(r"</text:(p|h)>|<text:line-break/>", "\n", xml)
    xml = re.sub(r"<text:s/>|<text:tab/>", " ", xml)
    return _document(_unescape(re.sub(r"<[^>]+>", "", xml)), "odt")


def _unescape(text: str) -> str:
    from html import unescape

    return unescape(text)


def _document(text: str, source: TextSource) -> DocumentText | None:
    text = clean(text)
    return DocumentText(text, source) if text.strip() else None


def clean(text: str) -> str:
    """Join words hyphenated across lines ("jämställd-\\nhetsstrategi") and normalise line ends;
    NFC, so an "ä" written as "a" + combining diaeresis matches the keywords; wrap giant lines."""
    import unicodedata

    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\xa0", " "))
    return wrap_long_lines(re.sub(r"(\w)-[ \t]*\n[ \t]*([a-zåäö])", r"\1\2", text))
