"""OCR with the real Tesseract and Swedish data (installed by scripts/ensure-system-packages.sh)."""

from __future__ import annotations

import pytest

from ingest.extract import ocr
from ingest.extract.containers import Part
from ingest.extract.documents import read_by_ocr
from ingest.extract.limits import DocumentLimits, Reading
from tests import documents as make

SWEDISH_WORDS = ("Kommunstyrelsen", "jämställdhetsstrategi", "Västmanlands", "2024-03-12", "§ 45", "KS 2024/123", "Åsa Öberg")


def ocr_text(filename: str, payload: bytes, reading: Reading | None = None):
    return read_by_ocr(Part(filename, payload), reading or Reading())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF"])
def test_a_scanned_image_is_read_in_swedish(fmt):
    doc = ocr_text(f"skanning.{fmt.lower()}", make.scanned_image(fmt=fmt))
    assert doc.text_source == "ocr"
    assert [w for w in SWEDISH_WORDS if w not in doc.text] == []


def test_a_scanned_pdf_is_rendered_and_read():
    doc = ocr_text("Protokoll KS.pdf", make.scanned_pdf())
    assert doc.text_source == "ocr"
    assert [w for w in SWEDISH_WORDS if w not in doc.text] == []


def test_only_max_pages_pages_of_a_scan_are_read():
    reading = Reading(DocumentLimits(max_pages=1))
    doc = ocr_text("skanning.pdf", make.scanned_pdf(pages=2), reading)
    assert doc.text.count("Kommunstyrelsen beslutar") == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("Protokoll 8 45 Anslutning", "Protokoll § 45 Anslutning"),
    ("& 12 Val av justerare", "§ 12 Val av justerare"),
    ("Kommunfullmäktige &7", "Kommunfullmäktige § 7"),
    ("Paragraf $45 och", "Paragraf § 45 och"),
    ("Smith & Co", "Smith & Co"),
    ("Tel 070-8 45 67", "Tel 070-8 45 67"),
    ("den 8 mars 2024", "den 8 mars 2024"),
    ("KS 2024/8 45", "KS 2024/8 45"),
    ("& 2024-03-12", "& 2024-03-12"),
])
def test_the_paragraph_sign_misread_by_ocr_is_restored(text, expected):
    assert ocr.normalise_ocr(text) == expected


def test_missing_tesseract_is_a_reason_not_a_crash(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    reading = Reading()
    assert read_by_ocr(Part("skanning.jpg", make.scanned_image()), reading) is None
    assert "tesseract is not installed" in reading.problems[0] and reading.unread == ["skanning.jpg"]


def test_missing_language_data_is_a_reason():
    reading = Reading(DocumentLimits(ocr_languages="xxx"))
    assert read_by_ocr(Part("skanning.png", make.scanned_image(fmt="PNG")), reading) is None
    assert "no 'xxx' language data" in reading.problems[0]


def test_an_exhausted_time_budget_stops_ocr():
    reading = Reading(DocumentLimits(ocr_seconds_per_message=0.2))
    assert read_by_ocr(Part("skanning.png", make.scanned_image(fmt="PNG")), reading) is None
    assert "time budget" in reading.problems[0] and reading.unread == ["skanning.png"]


def test_pages_read_before_the_budget_ran_out_are_kept(monkeypatch):
    calls = iter(["Protokoll § 45 Kommunstyrelsen", None])

    def fake_ocr(png, reading):
        text = next(calls)
        if text is None:
            raise ocr.OcrTimeout("budget")
        return text

    monkeypatch.setattr(ocr, "ocr_png", fake_ocr)
    reading = Reading()
    assert ocr.ocr_pages(iter([b"page1", b"page2"]), reading) == "Protokoll § 45 Kommunstyrelsen"
    assert "ran out after 1 page(s)" in reading.problems[0]
