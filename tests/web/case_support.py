"""Cases for the case-page and document tests: real mail delivered through the pipeline into the `web`
fixture's database (tests/web/conftest.py), with the integration tests' mail (tests/integration/mails.py)."""

from __future__ import annotations

import html
import itertools
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select
from starlette.testclient import TestClient

from inbox.context import AppContext
from models import Case, Event, OutgoingMail
from replies.send import send_due
from tests.integration import mails
from tests.integration.lifecycle_support import deliver, org_mail

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200  # a Windows program's first bytes
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
_numbers = itertools.count(1)


def deliver_mail(ctx: AppContext, folder: Path, raw: bytes) -> str:
    """Poll one message in; the reference of the case it went to (the newest case touched)."""
    deliver(ctx, folder, **{f"m{next(_numbers)}": raw})
    with ctx.sessions() as session:
        case = session.scalars(select(Case).order_by(Case.updated_at.desc(), Case.id.desc())).first()
        assert case is not None
        return case.reference


def complete_case(ctx: AppContext, folder: Path, msgid: str = "<k1@koping.se>") -> str:
    return deliver_mail(ctx, folder, mails.affiliation(msgid=msgid))


def sala_case(ctx: AppContext, folder: Path, msgid: str = "<s1@sala.se>") -> str:
    """A complete affiliation of another organisation: a case of its own."""
    return deliver_mail(ctx, folder, org_mail(msgid, "Sala kommun", "Erik Berg", "erik.berg@sala.se"))


def incomplete_case(ctx: AppContext, folder: Path, msgid: str = "<i1@koping.se>") -> str:
    """Missing its decision: the contact is there."""
    return deliver_mail(ctx, folder, mails.affiliation(msgid=msgid, with_decision=False))


def hostile_mail(msgid: str = "<h1@koping.se>") -> bytes:
    """An affiliation whose every field a person reads is an attack: name, subject, text, HTML, file names."""
    msg = EmailMessage()
    msg["From"] = f'"{SCRIPT}" <anna.lind@koping.se>'
    msg["To"] = mails.BOARD
    msg["Subject"] = f"Anslutning till jämställdhetsstrategin {IMG}"
    msg["Message-ID"] = msgid
    msg.set_content(f"Hej!\n\nKöpings kommun ansluter sig. {SCRIPT}\n\nKontaktperson: Anna Lind, anna.lind@koping.se, 0221-251 00\n")
    msg.add_alternative(f"<html><body><p>Hej</p>{SCRIPT}<img src=x onerror=alert(2)></body></html>", subtype="html")
    msg.add_attachment(mails.protocol_pdf(), maintype="application", subtype="pdf", filename=f"{IMG}.pdf")
    msg.add_attachment(f"<html><body>{SCRIPT}</body></html>".encode(), maintype="text", subtype="html", filename="sida.html")
    msg.add_attachment(EXE, maintype="application", subtype="pdf", filename="faktura.pdf")
    msg.add_attachment(PNG, maintype="image", subtype="png", filename="skannad sida.png")
    return msg.as_bytes()


def notice(client: TestClient, answer) -> str:
    """The page a POST redirected to, as the person sees it next (with its one-shot notice)."""
    assert answer.status_code == 303, answer.text
    return client.get(answer.headers["location"]).text


def events(ctx: AppContext, action: str) -> list[Event]:
    with ctx.sessions() as session:
        return list(session.scalars(select(Event).where(Event.action == action).order_by(Event.id)))


def outbox(ctx: AppContext, reference: str) -> list[OutgoingMail]:
    with ctx.sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == reference))
        return list(session.scalars(select(OutgoingMail).where(OutgoingMail.case_id == case_id).order_by(OutgoingMail.id)))


def the_case(ctx: AppContext, reference: str) -> Case:
    with ctx.sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        _ = (case.organisation, case.contacts, case.decisions)  # loaded before the session closes
        return case


def sent_mail(ctx: AppContext) -> list:
    """Send what is due through the file transport and read back every message written to the outbox folder."""
    send_due(ctx)
    folder = ctx.settings.path(ctx.settings.smtp.outbox_dir)
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(folder.glob("*.eml"))]


HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden_fields(page: str, form_id: str) -> dict[str, str]:
    """The hidden fields of one form on a page (a confirmation carries the form it asks about)."""
    start = page.index(f'id="{form_id}"')
    form = page[start:page.index("</form>", start)]
    return {name: html.unescape(value) for name, value in HIDDEN.findall(form) if name != "csrf"}
