"""Fixtures and mail for the case-lifecycle tests (Dovecot -> database -> SMTP)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import icalendar
from sqlalchemy import select

from ingest.poll import poll_once
from ingest.sources import DirectorySource, ImapSource
from models import Case
from replies.send import send_due
from tests.integration import mails

CONTACT = "anna.lind@koping.se"


def deliver(app, folder: Path, **messages: bytes) -> None:
    """Write the messages as .eml files to `folder` and poll it once; none may be quarantined."""
    folder.mkdir(exist_ok=True)
    for name, raw in messages.items():
        (folder / f"{name}.eml").write_bytes(raw)
    report = poll_once(app, DirectorySource(folder))
    assert report.quarantined == 0, report


def cycle(app) -> None:
    """One turn of the worker: poll, then send what is due."""
    poll_once(app, ImapSource(app.settings.source.imap, account="test"))
    send_due(app)


def the_case(app) -> Case:
    with app.sessions() as session:
        return session.scalars(select(Case)).one()


def story(smtp_server) -> list[tuple[str, list[str]]]:
    return [(m.message["Subject"], m.rcpt_tos) for m in smtp_server.messages]


def ics_of(message) -> icalendar.Calendar:
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(part.get_content())


def loose_mail(msgid: str, in_reply_to: str | None = None) -> bytes:
    """A private address and no organisation named: nothing to match it to an existing case."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Lisa Berg <lisa.berg77@gmail.com>", mails.BOARD, "Anslutning till jämställdhetsstrategin"
    msg["Message-ID"] = msgid
    if in_reply_to:
        msg["In-Reply-To"] = msg["References"] = in_reply_to
    msg.set_content("Hej! Vi vill gärna vara med. Beslut kommer.\n\nLisa Berg\nlisa.berg77@gmail.com\n070-765 43 21\n")
    return msg.as_bytes()


def org_mail(msgid: str, org: str, name: str, address: str, subject: str = "Anslutning till jämställdhetsstrategin") -> bytes:
    """A complete affiliation from another organisation than the default Köping."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = f"{name} <{address}>", mails.BOARD, subject, msgid
    msg.set_content(f"Hej! {org} ansluter sig till jämställdhetsstrategin. Beslutet bifogas.\n\n"
                    f"Kontaktperson: {name}, {address}, 0224-747 12\n")
    msg.add_attachment(mails.protocol_pdf(org=org), maintype="application", subtype="pdf", filename="beslut.pdf")
    return msg.as_bytes()
