"""A completion request that never left (held for a person, or rejected by one) is nothing to remind
of: no reminder refers to it (replies/reminders.py). Real Dovecot + SMTP, both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Case, CaseStatus, OutboxStatus, OutgoingMail
from replies.approval import reject
from replies.reminders import send_reminders
from replies.send import send_due
from tests.integration import mails
from tests.integration.lifecycle_support import CONTACT, cycle, org_mail

pytestmark = pytest.mark.integration


def rows(app) -> list[tuple[str, OutboxStatus, list[str]]]:
    with app.sessions() as session:
        return [(r.template, r.status, r.recipients) for r in session.scalars(select(OutgoingMail).order_by(OutgoingMail.id))]


@pytest.mark.parametrize("person", ["waits", "rejects"])
def test_a_request_that_never_left_gets_no_reminder(make_lifecycle_app, imap, smtp_server, clock, person):
    app = make_lifecycle_app(max_automatic_per_day=1, reminder_days=7, invitation="approval")
    imap.append(org_mail("<s1@sala.se>", "Sala kommun", "Elin Sjöberg", "elin.sjoberg@sala.se"))
    cycle(app)  # Sala's acknowledgement reaches the daily cap of automatic mail
    imap.append(mails.affiliation(msgid="<k1@koping.se>", with_decision=False))
    cycle(app)
    [request] = [row for row in rows(app) if row[0] == "request_missing"]
    assert request[1:] == (OutboxStatus.HELD, [CONTACT])  # held by the cap, for a person
    if person == "rejects":
        with app.sessions() as session:
            held = session.scalars(select(OutgoingMail.id).where(OutgoingMail.template == "request_missing")).one()
        reject(app, held, "staff:eva", "we phone them instead")

    clock.advance(days=8)  # past reminder_days, and the cap's 24 hours are long over
    assert send_reminders(app) == 0
    clock.advance(days=8)
    assert send_reminders(app) == 0
    send_due(app)

    assert [template for template, _, _ in rows(app)] == ["acknowledgement", "request_missing"]
    assert CONTACT not in {address for message in smtp_server.messages for address in message.rcpt_tos}
    with app.sessions() as session:
        koping = session.scalars(select(Case).where(Case.sender == CONTACT)).one()
        assert (koping.status, koping.reminders_sent) == (CaseStatus.INCOMPLETE, 0)
