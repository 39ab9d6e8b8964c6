"""Choosing the decision among attachments by content, limits that flag instead of drop, and
`extract()` end to end on whole mails."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from ingest.extract import DocumentLimits, choose, extract, ocr
from ingest.extract.choose import choose_decision, reads_as_decision
from ingest.extract.limits import Reading
from ingest.message import MailAttachment, parse_message
from tests import documents as make

BROCHURE = "Kungsör informationsfolder\nVi arbetar för jämställdhet och ansluter oss gärna till nätverk."
COVER = "Hej, protokollet kommer senare."


def attachment(filename, payload, *, content_id=None) -> MailAttachment:
    return MailAttachment(filename=filename, declared_type="application/octet-stream", payload=payload,
                          content_id=content_id, disposition="inline" if content_id else "attachment")


def mail(*files: tuple[str, bytes, str], text: str = "Hej!\n\nHär kommer vårt beslut.\n") -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = "Anna Berg <anna.berg@sala.se>", "vastmanland@lansstyrelsen.se"
    message["Subject"] = "Anslutning till jämställdhetsstrategin"
    message.set_content(text + "\nMed vänliga hälsningar\nAnna Berg\nKommunsekreterare\n070-123 45 67\n")
    for filename, payload, mime in files:
        kind, sub = mime.split("/")
        extra = {"disposition": "inline", "cid": f"<{filename}@01DA>"} if filename.startswith("image0") else {}
        message.add_attachment(payload, maintype=kind, subtype=sub, filename=filename, **extra)
    return message.as_bytes()


def no_ocr(*args):
    raise AssertionError("OCR must not run here")


@pytest.mark.parametrize(("text", "expected"), [
    (make.DECISION, True), ("Styrelseprotokoll 2024-04-22", True), ("§ 14 Anslutning", True),
    ("Årsmötet beslutade att ansluta föreningen", True), (BROCHURE, False), ("Faktura 2024-118", False),
    ("NE e § 3 S / FANN ÅS\nPersian Tea > § 5/person", False),  # OCR of a photo
])
def test_what_reads_as_a_decision(text, expected):
    assert reads_as_decision(text) is expected


def test_a_covering_mail_text_is_no_decision_but_a_quoted_protocol_is():
    assert not reads_as_decision(COVER, mail_text=True)
    assert reads_as_decision("Utdrag ur protokoll\n§ 45 Anslutning", mail_text=True)


@pytest.mark.parametrize("brochure_first", [True, False])
def test_the_decision_is_chosen_by_content_not_position(brochure_first):
    files = [attachment("Folder 2024.pdf", make.decision_pdf(BROCHURE)), attachment("Dokument1.pdf", make.decision_pdf())]
    choice = choose_decision(files if brochure_first else files[::-1], Reading())
    assert choice.filename == "Dokument1.pdf" and choice.text_source == "pdf_text"


def test_a_brochure_alone_is_no_decision():
    assert choose_decision([attachment("Folder.pdf", make.decision_pdf(BROCHURE))], Reading()) is None


def test_a_clear_text_decision_spares_ocr_of_the_photos_beside_it(monkeypatch):
    monkeypatch.setattr(choose, "read_by_ocr", no_ocr)
    files = [attachment("IMG_0412.jpg", make.scanned_image("Foto från mötet")), attachment("KS § 45.pdf", make.decision_pdf())]
    assert choose_decision(files, Reading()).filename == "KS § 45.pdf"


def test_the_decision_inside_winmail_dat():
    tnef = make.tnef_with("Protokollsutdrag KS § 45.docx", make.decision_docx(), ("logga.png", make.logo_png()))
    choice = choose_decision([attachment("winmail.dat", tnef)], Reading())
    assert (choice.filename, choice.text_source, choice.via) == ("Protokollsutdrag KS § 45.docx", "docx", "winmail.dat")


def test_an_attachment_over_the_size_limit_is_a_likely_decision_not_read():
    reading = Reading(DocumentLimits(max_attachment_mb=0.001))
    choice = choose_decision([attachment("protokoll.pdf", make.decision_pdf())], reading)
    assert (choice.filename, choice.text_source, choice.text) == ("protokoll.pdf", None, "")
    assert "over the 0.001 MB limit; not read" in reading.problems[0]


def test_a_big_logo_over_the_size_limit_is_no_likely_decision():
    reading = Reading(DocumentLimits(max_attachment_mb=0.0001))
    assert choose_decision([attachment("image001.png", make.logo_png(), content_id="image001.png@01")], reading) is None


def test_with_ocr_turned_off_a_scan_is_flagged_as_a_likely_decision(monkeypatch):
    monkeypatch.setattr(choose, "read_by_ocr", no_ocr)
    reading = Reading(DocumentLimits(ocr=False))
    choice = choose_decision([attachment("skanning.jpg", make.scanned_image())], reading)
    assert choice.filename == "skanning.jpg" and choice.text_source is None
    assert "OCR is turned off" in reading.problems[0]


def extract_mail(raw: bytes, **limits):
    return extract(parse_message(raw), limits=DocumentLimits(**limits) if limits else None)


def test_end_to_end_a_scanned_jpeg_decision_beside_a_signature_logo():
    raw = mail(("image001.png", make.logo_png(), "image/png"), ("Skanning_20240313.jpg", make.scanned_image(), "image/jpeg"))
    result = extract_mail(raw)
    d = result.decision
    assert (d.present, d.filename, d.text_source) == (True, "Skanning_20240313.jpg", "ocr")
    assert (d.decided_by, d.date.isoformat(), d.paragraph, d.case_number) == ("Kommunstyrelsen", "2024-03-12", "§ 45", "KS 2024/123")
    assert result.review == [] and "decision" not in result.missing


def test_end_to_end_a_logo_alone_is_never_the_decision_nor_ocrd(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_png", no_ocr)
    result = extract_mail(mail(("image001.png", make.logo_png(), "image/png")))
    assert not result.decision.present and "decision" in result.missing


def test_end_to_end_without_tesseract_the_scan_is_kept_and_flagged(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    result = extract_mail(mail(("scan.pdf", make.scanned_pdf(), "application/pdf")))
    assert result.decision.present and result.decision.filename == "scan.pdf" and result.decision.text_source is None
    assert [r.field for r in result.review] == ["decision"] and "tesseract is not installed" in result.review[0].reason
    assert "decision" not in result.missing


def test_end_to_end_over_max_pages_the_decision_is_read_and_flagged():
    result = extract_mail(mail(("Protokoll.pdf", make.decision_pdf(pages=3), "application/pdf")), max_pages=2)
    assert result.decision.text_source == "pdf_text" and result.decision.paragraph == "§ 45"
    assert result.review[0].reason == "Protokoll.pdf has 3 pages, over the limit of 2; only those were read"


def test_end_to_end_a_forwarded_mail_holds_the_decision():
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "Kansliet <kansli@sala.se>", "Protokollsutdrag KS"
    inner.set_content("Bifogar protokollet.")
    inner.add_attachment(make.decision_pdf(), maintype="application", subtype="pdf", filename="KS 2024-03-12 § 45.pdf")
    outer = EmailMessage()
    outer["From"], outer["Subject"] = "Anna Berg <anna.berg@sala.se>", "VB: Anslutning till jämställdhetsstrategin"
    outer.set_content("Se vidarebefordrat mejl.\n\nMed vänliga hälsningar\nAnna Berg\n")
    outer.add_attachment(inner)
    d = extract_mail(outer.as_bytes()).decision
    assert (d.present, d.filename, d.text_source, d.paragraph) == (True, "KS 2024-03-12 § 45.pdf", "pdf_text", "§ 45")


def test_end_to_end_an_inline_forward_is_searched_as_body_text():
    text = ("Hej, se nedan.\n\n-----Ursprungligt meddelande-----\nFrån: Per Ek <per.ek@sala.se>\n"
            "Ämne: VB: Anslutning\n\nKontaktperson: Per Ek, per.ek@sala.se, 0224-747 00\n")
    result = extract_mail(mail(("Protokoll.docx", make.decision_docx(), "application/octet-stream"), text=text))
    assert result.contact.name == "Per Ek" and result.decision.text_source == "docx"


def test_a_typed_covering_letter_with_a_scanned_protocol_behind_it_is_ocrd():
    cover = "Till Länsstyrelsen Västmanland\nHärmed översänds handlingar i ärendet.\nMed vänlig hälsning, kansliet"
    choice = choose_decision([attachment("Skrivelse.pdf", make.mixed_pdf(cover))], Reading())
    assert choice.text_source == "ocr" and "§ 45" in choice.text and "Kommunstyrelsen" in choice.text


def test_the_limits_come_from_the_extract_config():
    from inbox.config import ExtractConfig

    limits = DocumentLimits.from_settings(ExtractConfig(max_pages=3, ocr=False, zip_max_files=2))
    assert (limits.max_pages, limits.ocr, limits.zip_max_files, limits.ocr_languages) == (3, False, 2, "swe")
