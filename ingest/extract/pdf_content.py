"""How many bytes of drawing instructions a PDF's pages make the text reader parse, measured before it does.

A page's text is in its content streams (and the form XObjects it draws). A few kilobytes
per page is usual; a hostile PDF lets 40 pages share one stream that inflates to 70 MB, which
a parser goes through once per page (pypdf for many minutes; PDFium faster, but into millions
of page objects). The size is measured here with pypdf's object access, which reads the
document's structure but no page's drawing, by inflating with a cap, so the measure itself
costs at most the remaining budget. The text is then read by PDFium (ingest.extract.documents),
page by page, each page once the budget allows it.
"""

from __future__ import annotations

import io
import logging
import zlib

FLATE = ("/FlateDecode", "/Fl")


class ContentBudget:
    """pdf_content_max_mb for one PDF, spent page by page: each page is measured just before it
    is parsed (a stream shared by several pages counts on each, as it is parsed each time), so
    pages never read are never measured either."""

    def __init__(self, payload: bytes, reading, name: str) -> None:
        """`reading`: the message's ingest.extract.limits.Reading, where a stop is noted."""
        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf logs every odd font; noise, not news
        # A BufferedReader, not the BytesIO itself: pypdf asks a BytesIO for its buffer, which makes
        # it copy the bytes it shared (25 MB more for a 25 MB PDF); the reader shares them.
        self.reader = PdfReader(io.BufferedReader(io.BytesIO(payload)))
        self.left = reading.limits.pdf_content_max_bytes
        self.reading = reading
        self.name = name

    @property
    def pages(self) -> int:
        """The pages pypdf finds (a broken file may be read differently by PDFium): only these can be measured."""
        return len(self.reader.pages)

    def allows(self, number: int) -> bool:
        """Page `number` (from 0, under `pages`) may be parsed; False, and a problem noted, when its
        content is over what is left."""
        size = page_content_size(self.reader.pages[number], self.left)
        # The measure resolved the page's images too (pypdf reads a stream's bytes with its
        # dictionary); they are dropped here, or a PDF of photos would be held in memory twice.
        self.reader.resolved_objects.clear()
        if size > self.left:
            limit = self.reading.limits.pdf_content_max_mb
            self.reading.problem(f"{self.name}: page {number + 1} and later were not read; their content is over the limit of {limit:g} MB")
            return False
        self.left -= size
        return True


def page_content_size(page, cap: int) -> int:
    """Decoded bytes of the page's content streams and of the form XObjects it names;
    a number over `cap` means "more than cap" (the measure stops there)."""
    total = 0
    for stream in _streams(page):
        total += _decoded_size(stream, cap - total + 1)
        if total > cap:
            break
    return total


def _streams(page) -> list:
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = list(contents) if isinstance(contents, list) else [contents] if contents is not None else []
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for ref in (xobjects.get_object().values() if xobjects is not None else ()):
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            streams.append(xobject)
    return [s.get_object() for s in streams]


def _decoded_size(stream, cap: int) -> int:
    filters = stream.get("/Filter")
    filters = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)] if filters else []
    raw = getattr(stream, "_data", b"") or b""  # noqa: SLF001 - the encoded bytes; get_data() would inflate them all
    if not filters:
        return len(raw)
    if filters == [FLATE[0]] or filters == [FLATE[1]]:
        return _inflated_size(raw, cap)
    # Rare in content streams (LZW, ASCII85, chains): decoded by pypdf, within its own output limits.
    return len(stream.get_data())


def _inflated_size(data: bytes, cap: int) -> int:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, max(cap, 1))
    except zlib.error:
        return len(data)  # corrupt: pypdf's own recovery reads it (or fails) within its limits
    return len(out) + (cap if inflater.unconsumed_tail else 0)
