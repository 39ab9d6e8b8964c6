"""The organisation's page through the real pipeline: Dovecot -> database (SQLite and PostgreSQL) -> SMTP (aiosmtpd),
and the public app (web/portal_app.py) over HTTP.

An affiliation arrives by IMAP, the invitation reaches the SMTP server with the personal link; the link is taken
from the received mail's text, opened, a time is booked, the send job runs, and the booking confirmation with a
valid ICS for that time arrives at the SMTP server."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from models import Case, CaseStatus, Event, Slot
from replies.send import send_due
from tests.integration import mails
from tests.integration.lifecycle_support import CONTACT, cycle, ics_of
from web.portal_app import create_portal_app

pytestmark = pytest.mark.integration

LINK = re.compile(r"(https?://\S+)(/anslutning/[0-9]+-[0-9a-f]{32})")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def app(make_lifecycle_app):
    ctx = make_lifecycle_app()
    with ctx.sessions() as session:  # Monday to Wednesday next week, 10:00 in Västerås
        session.add_all([Slot(starts_at=datetime(2026, 3, 16 + d, 10, 0, tzinfo=ctx.zone), duration_minutes=60,
                              place="Länsstyrelsen, Västerås", created_at=ctx.clock()) for d in range(3)])
        session.commit()
    return ctx


def received_text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_invitations_link_books_a_time_and_the_confirmation_with_its_ics_arrives(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<p1@koping.se>"))
    cycle(app)
    invitation = smtp_server.messages[-1]
    assert invitation.message["Subject"].startswith("Inbjudan till dialogmöte") and invitation.rcpt_tos == [CONTACT]
    text = received_text(invitation.message)
    found = LINK.search(text)
    assert found, text
    base, path = found.groups()
    assert base == app.settings.portal_base_url()
    assert text.index("Boka en tid och förbered mötet på er egen sida") < text.index("Vill ni hellre svara med e-post?")
    html = invitation.message.get_body(("html",)).get_content()
    assert f'<a href="{base}{path}"' in html  # our own address: a real link, not made inert

    client = TestClient(create_portal_app(app), base_url="https://testserver")
    page = client.get(path)
    assert page.status_code == 200 and "Köpings kommun" in page.text and "tisdag den 17 mars 2026 kl. 10.00" in page.text
    with app.sessions() as session:
        tuesday = session.scalars(select(Slot).where(Slot.starts_at == datetime(2026, 3, 17, 10, tzinfo=app.zone))).one()
    token = CSRF.search(page.text)
    assert token
    answer = client.post(f"{path}/boka", data={"tid": str(tuesday.id), "csrf": token.group(1)}, follow_redirects=False)
    assert answer.status_code == 303
    assert "Tiden är bokad: tisdag den 17 mars 2026 kl. 10.00" in client.get(answer.headers["location"]).text

    sent_before = len(smtp_server.messages)
    send_due(app)  # the send job
    assert len(smtp_server.messages) == sent_before + 1
    confirmation = smtp_server.messages[-1]
    assert confirmation.message["Subject"].startswith("Bekräftelse av dialogmöte") and confirmation.rcpt_tos == [CONTACT]
    calendar = ics_of(confirmation.message)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART").astimezone(app.zone) == datetime(2026, 3, 17, 10, 0, tzinfo=app.zone)
    assert str(event["LOCATION"]) == "Länsstyrelsen, Västerås"
    assert path in received_text(confirmation.message)  # the same page, to prepare the meeting

    again = client.post(f"{path}/boka", data={"tid": str(tuesday.id), "csrf": token.group(1)}, follow_redirects=False)
    assert "Ni har redan en bokad tid" in client.get(again.headers["location"]).text  # a second booking is refused
    send_due(app)
    assert len(smtp_server.messages) == sent_before + 1
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status is CaseStatus.BOOKED
        actions = list(session.scalars(select(Event.action).where(Event.actor.startswith("portal:")).order_by(Event.id)))
    assert actions[0] == "portal_opened" and actions[-2:] == ["portal_booking_refused", "portal_opened"]  # every use
    assert {"status_changed", "meeting_booked", "portal_booked"} <= set(actions)  # the booking is the organisation's


def test_the_public_app_serves_the_page_and_nothing_of_the_workspace(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<p2@koping.se>"))
    cycle(app)
    found = LINK.search(received_text(smtp_server.messages[-1].message))
    assert found
    client = TestClient(create_portal_app(app), base_url="https://testserver")
    assert client.get(found.group(2)).status_code == 200
    assert client.get("/static/portal.css").status_code == 200
    for path in ("/", "/logga-in", "/arenden", "/admin", "/utkorg", "/oversikt"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 404 and "Köpings kommun" not in answer.text, path
