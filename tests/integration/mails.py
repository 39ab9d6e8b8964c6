"""Messages for the integration tests, built as real MIME with a real PDF decision."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from fpdf import FPDF

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOARD = "vastmanland@lansstyrelsen.se"


def protocol_pdf(org: str = "Köpings kommun", body: str = "Kommunstyrelsen") -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(datetime(2024, 3, 12, tzinfo=UTC))
    pdf.add_page()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=11)
    lines = [
        f"{org}", "PROTOKOLLSUTDRAG", f"{body}", "Sammanträdesdatum 2024-03-12",
        "§ 45  Dnr KS 2024/123",
        "Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
        f"Beslut: {body} beslutar att {org} ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027.",
        "Justerandes signatur", "Utdragsbestyrkande",
    ]
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def affiliation(
    *, msgid: str, sender: str = "anna.lind@koping.se", subject: str = "Anslutning till jämställdhetsstrategin",
    with_decision: bool = True, with_contact: bool = True, in_reply_to: str | None = None, extra_headers: dict | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Anna Lind <{sender}>"
    msg["To"] = BOARD
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2024, 3, 14, 10, 0, tzinfo=UTC))
    msg["Message-ID"] = msgid
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for name, value in (extra_headers or {}).items():
        msg[name] = value
    text = "Hej!\n\nKöpings kommun ansluter sig till jämställdhetsstrategin. Beslutet bifogas.\n\n"
    if with_contact:
        text += "Kontaktperson: Anna Lind, utvecklingsledare, anna.lind@koping.se, 0221-251 00\n\n"
    text += "Med vänliga hälsningar\nAnna Lind\nKöpings kommun\n"
    msg.set_content(text)
    if with_decision:
        msg.add_attachment(protocol_pdf(), maintype="application", subtype="pdf", filename="Protokollsutdrag KS § 45.pdf")
    return msg.as_bytes()


def out_of_office(*, msgid: str, subject: str = "Automatiskt svar: Anslutning till jämställdhetsstrategin",
                  sender: str = "erik.berg@sala.se", in_reply_to: str | None = None) -> bytes:
    thread = f"In-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n" if in_reply_to else ""
    return (
        f"From: Erik Berg <{sender}>\r\nTo: {BOARD}\r\nSubject: {subject}\r\n{thread}"
        f"Message-ID: {msgid}\r\nDate: Thu, 14 Mar 2024 10:00:00 +0100\r\n"
        "Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nMIME-Version: 1.0\r\n\r\n"
        "Jag är på semester till och med 2 april.\r\n"
    ).encode()


def bounce(*, msgid: str, original_msgid: str = "<orig@lansstyrelsen.se>", recipient: str = "nobody@koping.se") -> bytes:
    return (
        "Return-Path: <>\r\nFrom: Mail Delivery System <MAILER-DAEMON@mx.koping.se>\r\n"
        f"To: {BOARD}\r\nSubject: Undeliverable: Anslutning till jämställdhetsstrategin\r\n"
        f"Message-ID: {msgid}\r\nDate: Thu, 14 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nDelivery to the following recipient failed.\r\n\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.koping.se\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {original_msgid}\r\n"
        "Subject: Anslutning till jamstalldhetsstrategin\r\n\r\n--b1--\r\n"
    ).encode()  # the Subject above is raw 8-bit UTF-8, as some MTAs send it


def unparseable() -> bytes:
    """No header block at all: not an e-mail message."""
    return b"this first line is not a header field\r\nnor is this one\r\n\r\nbody\r\n"
