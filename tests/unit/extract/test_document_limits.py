"""Hostile or broken attachments: kept, flagged for a person, and never allowed to eat the machine."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

from pypdf import PdfWriter

from ingest.extract import DocumentLimits, extract
from ingest.extract.ocr import MAX_SIDE_PX, pdf_pages
from ingest.message import parse_message
from tests.documents import DECISION, decision_pdf


def mail_with(payload: bytes, filename: str, maintype: str, subtype: str):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Anna Lind <anna.lind@koping.se>", "vastmanland@lansstyrelsen.se", "Anslutning"
    msg.set_content("Köpings kommun ansluter sig. Kontaktperson: Anna Lind, anna.lind@koping.se, 0221-251 00")
    msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return parse_message(msg.as_bytes())


def encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password="hemligt", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_password_protected_decision_counts_as_sent_and_is_flagged():
    result = extract(mail_with(encrypted(decision_pdf()), "Protokollsutdrag KS § 45.pdf", "application", "pdf"))
    assert "decision" not in result.missing  # never ask them again for what they sent
    assert any(item.field == "decision" and "could not be read" in item.reason for item in result.review)


def test_a_truncated_pdf_is_flagged_not_dropped():
    result = extract(mail_with(decision_pdf()[:300], "Protokollsutdrag.pdf", "application", "pdf"))
    assert any(item.field == "decision" for item in result.review)


def test_a_docx_that_unpacks_beyond_the_limit_is_not_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 3_000_000)  # 3 MB of nothing, a few KB packed
    result = extract(mail_with(buffer.getvalue(), "Protokoll.docx", "application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
                     limits=DocumentLimits(zip_max_mb=1))
    assert any("over the limit" in item.reason for item in result.review), result.review


def test_a_giant_pdf_page_is_rendered_at_a_bounded_size():
    writer = PdfWriter()
    writer.add_blank_page(width=14400, height=14400)  # 5 m square
    out = io.BytesIO()
    writer.write(out)
    from PIL import Image

    [page] = list(pdf_pages(out.getvalue(), max_pages=1))
    with Image.open(io.BytesIO(page)) as image:
        assert max(image.size) <= MAX_SIDE_PX


def test_the_decision_text_is_still_found_beside_an_unreadable_file():
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Anna Lind <anna.lind@koping.se>", "vastmanland@lansstyrelsen.se", "Anslutning"
    msg.set_content("Köpings kommun ansluter sig.")
    msg.add_attachment(b"%PDF-1.4 broken", maintype="application", subtype="pdf", filename="bilaga.pdf")
    msg.add_attachment(decision_pdf(), maintype="application", subtype="pdf", filename="protokoll.pdf")
    result = extract(parse_message(msg.as_bytes()))
    assert result.decision.filename == "protokoll.pdf" and result.decision.text_source == "pdf_text"
    assert "Kommunstyrelsen" in DECISION and result.decision.decided_by
