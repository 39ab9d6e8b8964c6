"""Never annoy anyone: no answer to robots, bounces or colleagues, never mail another organisation's case,
rate limits, refused and odd addresses. Real Dovecot + SMTP, both databases."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from cases import booking, staff
from ingest.poll import poll_once
from ingest.sources import ImapSource
from models import Case, CaseStatus, Event, Message, OutboxStatus, OutgoingMail, UndeliverableAddress
from replies.send import send_due
from tests.integration import mails
from tests.integration.lifecycle_support import CONTACT, cycle, the_case

pytestmark = pytest.mark.integration


@pytest.fixture
def app(make_lifecycle_app):
    return make_lifecycle_app()


def test_an_out_of_office_reply_to_our_acknowledgement_gets_no_answer(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<o1@koping.se>"))
    cycle(app)
    sent = len(smtp_server.messages)
    ack = smtp_server.messages[0].message
    imap.append(mails.out_of_office(msgid="<o2@koping.se>", sender=CONTACT, subject=f"Automatiskt svar: {ack['Subject']}", in_reply_to=ack["Message-ID"]))
    cycle(app)
    assert len(smtp_server.messages) == sent
    assert the_case(app).status is CaseStatus.INVITED  # unchanged
    with app.sessions() as session:  # but kept in the case's history
        assert session.scalar(select(Message.case_id).where(Message.message_id == "<o2@koping.se>")) == the_case(app).id


def test_a_bounce_of_our_invitation_flags_the_address_and_the_case(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<d1@koping.se>"))
    cycle(app)
    invitation = smtp_server.messages[-1].message
    assert invitation["Subject"].startswith("Inbjudan")
    imap.append(mails.bounce(msgid="<dsn1@mx.koping.se>", original_msgid=invitation["Message-ID"], recipient=CONTACT))
    cycle(app)
    case = the_case(app)
    assert case.status is CaseStatus.NEEDS_REVIEW
    with app.sessions() as session:
        flagged = session.scalars(select(UndeliverableAddress)).one()
        assert (flagged.address, flagged.case_id) == (CONTACT, case.id)
        why = session.scalar(select(Event.detail).where(Event.action == "status_changed").order_by(Event.id.desc()).limit(1))
    assert "invitation" in why and "bounced" in why
    imap.append(mails.bounce(msgid="<dsn2@mx.koping.se>", original_msgid=invitation["Message-ID"], recipient="someone.else@koping.se"))
    cycle(app)  # a DSN naming an address we never sent that mail to flags nothing
    with app.sessions() as session:
        assert session.scalars(select(UndeliverableAddress.address)).all() == [CONTACT]
    sent = len(smtp_server.messages)
    with app.sessions() as session:  # staff resolve it; the next automatic mail to that address is held back
        case = staff.get_case(session, case.reference)
        staff.set_status(app, session, case, "complete", actor="staff:test", why="checked")
        from replies.invitation import invite
        assert invite(app, session, case, actor="system") is False
        session.commit()
    send_due(app)
    assert len(smtp_server.messages) == sent


def test_rate_limit_holds_back_automatic_mail_but_the_case_still_updates(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app(rate_limit_per_day=1)
    imap.append(mails.affiliation(msgid="<l1@koping.se>"))
    cycle(app)
    assert [m.message["Subject"].split(":")[0] for m in smtp_server.messages] == ["Bekräftelse"]
    case = the_case(app)
    assert case.status is CaseStatus.COMPLETE and case.missing == []
    with app.sessions() as session:
        limited = session.scalars(select(Event.detail).where(Event.action == "reply_rate_limited")).all()
    assert limited == [f"invitation: {CONTACT} already got 1 automatic mails in 24 hours"]


def test_a_returned_copy_that_no_rule_calls_a_bounce_is_still_one(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<q1@koping.se>"))
    cycle(app)
    sent = len(smtp_server.messages)
    invitation = smtp_server.messages[-1].message
    notice = EmailMessage()  # a gateway's home-made notice: no DSN, no daemon sender, no bounce subject
    notice["From"], notice["To"], notice["Subject"] = "Gateway <gw@mail.koping.se>", mails.BOARD, "Meddelande"
    notice["Message-ID"] = "<gw1@mail.koping.se>"
    notice.set_content("Mottagaren finns inte längre. Se bifogat meddelande.")
    notice.add_attachment(invitation)
    imap.append(notice.as_bytes())
    cycle(app)
    assert len(smtp_server.messages) == sent  # never answered
    with app.sessions() as session:
        message = session.scalar(select(Message).where(Message.message_id == "<gw1@mail.koping.se>"))
    assert the_case(app).status is CaseStatus.NEEDS_REVIEW
    with app.sessions() as session:
        message = session.scalar(select(Message).where(Message.message_id == "<gw1@mail.koping.se>"))
        assert message.kind == "bounce" and any(r.startswith("returned_copy") for r in message.reasons)
        assert session.scalars(select(UndeliverableAddress.address)).all() == []  # no DSN: a person judges


def test_another_organisation_quoting_a_case_reference_gets_its_own_case(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<k1@koping.se>"))
    cycle(app)
    koping = the_case(app)
    sala = EmailMessage()
    sala["From"], sala["To"] = "Elin Sjöberg <elin.sjoberg@sala.se>", mails.BOARD
    sala["Subject"] = f"SV: Bekräftelse: anslutning till jämställdhetsstrategin [{koping.reference}]"  # a forward of Köping's mail
    sala["Message-ID"] = "<k2@sala.se>"
    sala.set_content("Hej! Sala kommun ansluter sig till jämställdhetsstrategin. Beslutet bifogas.\n\n"
                     "Kontaktperson: Elin Sjöberg, elin.sjoberg@sala.se, 0224-747 12\n")
    sala.add_attachment(mails.protocol_pdf(org="Sala kommun"), maintype="application", subtype="pdf", filename="beslut.pdf")
    imap.append(sala.as_bytes())
    cycle(app)
    with app.sessions() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert len(cases) == 2 and cases[0].contact.email == CONTACT  # Köping's case untouched
        assert cases[1].organisation.name == "Sala kommun" and cases[1].contact.email == "elin.sjoberg@sala.se"
        refused = session.scalar(select(Event.detail).where(Event.action == "join_refused"))
    assert refused.startswith(f"by_reference pointed to {koping.reference}, but it is from Sala kommun")
    assert {to for m in smtp_server.messages[-2:] for to in m.rcpt_tos} == {"elin.sjoberg@sala.se"}


def test_one_refused_recipient_does_not_stop_the_others(app, imap, smtp_server):
    smtp_server.reject_recipients.add(CONTACT)
    imap.append(mails.affiliation(msgid="<p1@koping.se>", sender="registrator@koping.se"))  # the contact is Anna
    poll_once(app, ImapSource(app.settings.source.imap, account="test"))
    report = send_due(app)
    acknowledgement = smtp_server.messages[0]
    assert acknowledgement.message["Subject"].startswith("Bekräftelse") and acknowledgement.rcpt_tos == ["registrator@koping.se"]
    assert report.failed == 1  # the invitation had only Anna, who is refused
    with app.sessions() as session:
        assert session.scalars(select(UndeliverableAddress.address)).all() == [CONTACT]
    assert the_case(app).status is CaseStatus.NEEDS_REVIEW


def test_a_non_ascii_address_is_refused_cleanly_and_the_rest_go_out(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<u1@koping.se>"))
    poll_once(app, ImapSource(app.settings.source.imap, account="test"))
    with app.sessions() as session:  # a contact address only SMTPUTF8 can carry
        staff.correct_contact(app, session, staff.get_case(session, the_case(app).reference), {"email": "åsa.berg@koping.se"}, actor="staff:eva")
        session.commit()
    with app.sessions() as session:
        booking.book(app, session, staff.get_case(session, the_case(app).reference), datetime(2026, 3, 20, 9, 0, tzinfo=app.zone),
                     place="Köping", link=None, minutes=None, actor="staff:eva")
        session.commit()
    report = send_due(app)  # must not raise
    assert report.sent + report.failed == 3 and report.uncertain == 0
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.status == OutboxStatus.SENDING)) == 0


def test_a_colleague_forwarding_an_affiliation_gets_no_automatic_answer(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<f1@lansstyrelsen.se>", sender="dennis.u.nystrom@lansstyrelsen.se", with_decision=False))
    cycle(app)
    assert smtp_server.messages == []  # not to the colleague, and not guessed to someone else either
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status is CaseStatus.NEEDS_REVIEW and case.contact.email == CONTACT  # registered, for a person
