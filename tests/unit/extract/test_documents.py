"""Text layers of attachments: PDF (pypdf), DOCX, ODT; the real type from magic bytes."""

from __future__ import annotations

import pytest

from ingest.extract.containers import Part
from ingest.extract.documents import NEEDS_OCR, DocumentText, clean, looks_like_page, read_text, sniff_type
from ingest.extract.limits import DocumentLimits, Reading
from tests import documents as make


def read(filename: str, payload: bytes, reading: Reading | None = None, **kwargs):
    return read_text(Part(filename, payload, **kwargs), reading or Reading())


@pytest.mark.parametrize(("payload", "filename", "expected"), [
    (make.decision_pdf(), "x.bin", "application/pdf"),
    (make.decision_docx(), "beslut.pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (make.decision_odt(), None, "application/vnd.oasis.opendocument.text"),
    (make.zip_with({"a.txt": b"a"}), "a.docx", "application/zip"),
    (make.tnef_with("a.pdf", b"%PDF-"), "winmail.dat", "application/ms-tnef"),
    (make.scanned_image(fmt="TIFF"), "scan", "image/tiff"),
    (b"hello", "Protokoll.JPEG", "image/jpeg"),
    (b"hello", None, "application/octet-stream"),
])
def test_the_type_comes_from_the_bytes_before_the_name(payload, filename, expected):
    assert sniff_type(payload, filename) == expected


def test_pdf_text_keeps_swedish_letters_and_the_paragraph_sign():
    doc = read("Protokollsutdrag.pdf", make.decision_pdf())
    assert isinstance(doc, DocumentText) and doc.text_source == "pdf_text"
    for words in ("Kommunstyrelsen", "§ 45", "jämställdhetsstrategi för Västmanlands län 2024–2027", "Åsa Öberg"):
        assert words in doc.text


def test_pdf_text_joins_words_hyphenated_across_lines():
    text = make.DECISION.replace("jämställdhetsstrategi för", "jämställd-\nhetsstrategi för")
    doc = read("p.pdf", make.decision_pdf(text))
    assert "jämställdhetsstrategi för" in doc.text and "jämställd-" not in doc.text


@pytest.mark.parametrize(("text", "expected"), [
    ("jämställd-\nhetsstrategi", "jämställdhetsstrategi"),
    ("jämställd- \r\n hetsstrategi", "jämställdhetsstrategi"),
    ("Västerås-\nKöping", "Västerås-\nKöping"),  # a real hyphen before a capital stays
    ("KS 2024-\n03-12", "KS 2024-\n03-12"),
    ("ja\u0308mstalld", "jämstalld"),  # decomposed "ä" composed, so keywords match
])
def test_clean(text, expected):
    assert clean(text) == expected


def test_a_pdf_over_max_pages_is_read_in_part_and_the_reason_kept():
    reading = Reading(DocumentLimits(max_pages=2))
    doc = read("protokoll.pdf", make.decision_pdf(pages=3), reading)
    assert doc.text.count("§ 45") == 2
    assert reading.problems == ["protokoll.pdf has 3 pages, over the limit of 2; only those were read"]


def test_a_pdf_without_a_text_layer_needs_ocr():
    assert read("skanning.pdf", make.scanned_pdf()) is NEEDS_OCR


def test_docx_paragraphs_and_tables():
    import io

    import docx

    document = docx.Document(io.BytesIO(make.decision_docx()))
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = "Dnr KS 2024/999"
    out = io.BytesIO()
    document.save(out)
    doc = read("beslut.docx", out.getvalue())
    assert doc.text_source == "docx" and "§ 45" in doc.text and "KS 2024/999" in doc.text


def test_odt_text():
    doc = read("beslut.odt", make.decision_odt("Protokoll & beslut\n§ 12 Anslutning"))
    assert doc == DocumentText("Protokoll & beslut\n§ 12 Anslutning\n", "odt")


def test_a_broken_pdf_is_no_text_and_a_person_is_told():
    reading = Reading()
    assert read("trasig.pdf", b"%PDF-1.4 broken", reading) is None
    assert reading.unread == ["trasig.pdf"]  # it may be the decision: kept, never silently dropped
    assert reading.problems and "trasig.pdf could not be read" in reading.problems[0]


def test_scanned_images_need_ocr_but_logos_do_not():
    assert read("scan.png", make.scanned_image(fmt="PNG")) is NEEDS_OCR
    assert read("image001.png", make.logo_png(), inline=True) is None
    assert read("logo.png", make.logo_png((400, 120))) is None  # tiny in pixels even when not inline


def test_an_inline_image_under_30_kb_is_never_opened():
    assert not looks_like_page(b"\x89PNG not even an image", inline=True)
    assert not looks_like_page(b"\x89PNG not even an image", inline=False)


def test_the_text_of_an_attached_mail_is_body_text():
    doc = read("fwd (mail text)", "Protokoll § 45".encode(), body=True)
    assert doc == DocumentText("Protokoll § 45", "body")
