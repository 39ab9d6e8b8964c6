"""Mail for the Övrig post, Tider and Utkorg tests: literal messages stored and processed through the real
pipeline (ingest.attempt, in this process) into the `web` fixture's database, and quarantined the way the
worker does it (ingest.attempt.quarantine)."""

from __future__ import annotations

from email.message import EmailMessage

from markupsafe import escape
from sqlalchemy import select
from starlette.testclient import TestClient

from inbox.context import AppContext
from ingest.attempt import attempt, quarantine
from ingest.store import store_raw
from models import Case, Event, Message, MessageStatus
from tests.integration import mails

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = (SCRIPT, IMG, "<img src=x")  # none of these may reach a page unescaped


def store(ctx: AppContext, raw: bytes) -> int:
    with ctx.sessions() as session:
        pk = store_raw(session, ctx.data_dir, raw, now=ctx.clock()).message.id
        session.commit()
    return pk


def process(ctx: AppContext, raw: bytes) -> int:
    """Store and process one message; its id."""
    pk = store(ctx, raw)
    assert attempt(ctx, pk) is MessageStatus.PROCESSED
    return pk


def quarantined(ctx: AppContext, raw: bytes, reason: str = "ValueError: the parser gave up") -> int:
    """A stored message the worker quarantined (its processing failed); replaying it processes it."""
    pk = store(ctx, raw)
    quarantine(ctx, pk, reason, "Traceback (most recent call last):\n  ValueError: the parser gave up\n")
    return pk


def question(msgid: str = "<q1@example.org>", subject: str = "Fråga om tryckta exemplar av strategin",
             sender: str = "Lisa Berg <lisa.berg@example.org>", text: str = "Hej! Kan ni skicka tio tryckta exemplar?\n\nLisa") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = sender, mails.BOARD, subject, msgid
    msg["Date"] = "Thu, 12 Mar 2026 08:15:00 +0100"
    msg.set_content(text)
    return msg.as_bytes()


def hostile(msgid: str = "<h1@example.com>") -> bytes:
    """Mail no rule takes for an affiliation whose every field a person reads is an attack."""
    msg = EmailMessage()
    msg["From"] = f'"{SCRIPT}" <evil@example.com>'
    msg["To"] = f'"{IMG}" <{mails.BOARD}>'
    msg["Subject"] = f"{IMG} {SCRIPT}"
    msg["Message-ID"] = msgid
    msg.set_content(f"Hej {SCRIPT} och {IMG}\n")
    msg.add_alternative(f"<html><body><p>Hej</p>{SCRIPT}<img src=x onerror=alert(2)></body></html>", subtype="html")
    msg.add_attachment(b"%PDF-1.4 not really", maintype="application", subtype="pdf", filename=f"{IMG}.pdf")
    return msg.as_bytes()


def html_only(msgid: str = "<html1@example.org>") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = "info@example.org", mails.BOARD, "Nyhetsbrev mars", msgid
    msg.set_content("<html><body><p>Vårens <b>nyheter</b></p><script>alert(3)</script><p>Andra stycket</p></body></html>",
                    subtype="html")
    return msg.as_bytes()


def affiliation_case(ctx: AppContext, msgid: str = "<k1@koping.se>") -> tuple[int, str]:
    """A complete affiliation (Köpings kommun): the message id and the case reference (invited)."""
    pk = process(ctx, mails.affiliation(msgid=msgid))
    with ctx.sessions() as session:
        message = session.get_one(Message, pk)
        case = session.get_one(Case, message.case_id)
        return pk, case.reference


def notice(client: TestClient, answer) -> str:
    """The page a POST redirected to, as the person sees it next (with its one-shot notice)."""
    assert answer.status_code == 303, answer.text
    return client.get(answer.headers["location"]).text


def events(ctx: AppContext, action: str) -> list[Event]:
    with ctx.sessions() as session:
        return list(session.scalars(select(Event).where(Event.action == action).order_by(Event.id)))


def esc(text: str) -> str:
    """`text` as the page's autoescape writes it."""
    return str(escape(text))


def assert_escaped(page: str) -> None:
    for attack in HOSTILE:
        assert attack not in page, attack
