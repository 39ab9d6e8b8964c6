"""PDF text read by PDFium, page by page: the same text pypdf gave, a long protocol read only to
its affiliation paragraph, and a PDF never held twice in memory."""

from __future__ import annotations

import io
import random
import tracemalloc

from fpdf import FPDF

from ingest.extract.choose import affiliation_paragraph
from ingest.extract.containers import Part
from ingest.extract.documents import DocumentText, clean, pdfium_text, read_text
from ingest.extract.limits import Reading
from tests.documents import font_path

DECISION = ["§ 45 Dnr KS 2024/123", "Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
            "Kommunstyrelsen beslutar att Köpings kommun ansluter sig till Jämställdhetsstrategi för Västmanlands län."]


def protocol(pages: int, decision_on: int | None, split: bool = False) -> bytes:
    """A meeting protocol: page N says "Sida N"; the decision on page `decision_on` (split: its
    heading at the foot of that page, the decision on the next)."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_font("DejaVu", size=10)
    for number in range(1, pages + 1):
        pdf.add_page()
        lines = [f"Sida {number}", "PROTOKOLL Kommunstyrelsen 2024-03-12", f"§ {100 + number} Budget", "Kommunstyrelsen godkänner budgeten."]
        if number == decision_on:
            lines += DECISION[:2] if split else DECISION
        if split and number == (decision_on or 0) + 1:
            lines.insert(0, DECISION[2])
        for row, line in enumerate(lines):
            pdf.text(15, 20 + 6 * row, line)
    return bytes(pdf.output())


def test_pdfium_line_ends_and_broken_words_read_as_pypdf_gave_them():
    # PDFium ends lines with CRLF and puts U+FFFE where a word was broken at a line end.
    assert pdfium_text("Jämställd\ufffehetsstrategi\r\nför länet") == "Jämställd-\nhetsstrategi\nför länet"
    assert clean(pdfium_text("jämställd\ufffehetsstrategin")) == "jämställdhetsstrategin"


def test_a_long_protocol_is_read_to_the_page_after_its_affiliation_paragraph():
    reading = Reading()
    doc = read_text(Part("Protokoll.pdf", protocol(12, decision_on=3)), reading, enough=affiliation_paragraph)
    assert isinstance(doc, DocumentText) and "ansluter sig till Jämställdhetsstrategi" in doc.text
    assert "Sida 4" in doc.text and "Sida 5" not in doc.text
    assert reading.notes == ["Protokoll.pdf: read to page 4 of 12, the page after the affiliation paragraph"]


def test_a_paragraph_that_goes_on_over_a_page_is_read_whole():
    doc = read_text(Part("Protokoll.pdf", protocol(12, decision_on=3, split=True)), Reading(), enough=affiliation_paragraph)
    assert isinstance(doc, DocumentText) and "Köpings kommun ansluter sig" in doc.text and "Sida 6" not in doc.text


def test_without_the_paragraph_every_page_is_read():
    reading = Reading()
    doc = read_text(Part("Protokoll.pdf", protocol(12, decision_on=None)), reading, enough=affiliation_paragraph)
    assert isinstance(doc, DocumentText) and "Sida 12" in doc.text and reading.notes == []


def test_reading_a_pdf_of_photos_holds_neither_the_file_nor_the_photos_twice():
    from PIL import Image

    rng = random.Random(1)
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_font("DejaVu", size=10)
    for number in range(6):
        pdf.add_page()
        pdf.text(15, 20, f"Bild {number} från sammanträdet")
        photo = io.BytesIO()
        Image.frombytes("RGB", (500, 500), rng.randbytes(750_000)).save(photo, "JPEG", quality=90)
        pdf.image(photo, x=10, y=30, w=150)
    payload = bytes(pdf.output())
    assert len(payload) > 1_000_000
    tracemalloc.start()
    try:
        read_text(Part("Protokoll.pdf", payload), Reading())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(payload) / 2, f"{peak} bytes allocated reading a PDF of {len(payload)}"
