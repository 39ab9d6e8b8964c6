"""The case lifecycle on real servers: Dovecot -> database (SQLite and PostgreSQL) -> SMTP.

The story test prints what the SMTP server saw (run with -s to read it).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from cases import booking, staff
from inbox.errors import InboxError
from models import Case, CaseStatus, Event, Message, Slot
from replies.reminders import send_reminders
from replies.send import send_due
from tests.integration import mails
from tests.integration.lifecycle_support import CONTACT, cycle, ics_of, loose_mail, org_mail, story, the_case

pytestmark = pytest.mark.integration


@pytest.fixture
def app(make_lifecycle_app):
    return make_lifecycle_app()


def test_the_whole_story_from_incomplete_mail_to_a_booked_meeting(app, imap, smtp_server, clock):
    with app.sessions() as session:
        session.add_all([Slot(starts_at=datetime(2026, 3, 20 + d, 9, 0, tzinfo=app.zone), duration_minutes=60, place="Länsstyrelsen, Västerås")
                         for d in range(4)])
        session.commit()
    imap.append(mails.affiliation(msgid="<s1@koping.se>", with_decision=False))
    cycle(app)
    assert the_case(app).status is CaseStatus.INCOMPLETE
    request = smtp_server.messages[-1].message

    clock.advance(days=1)
    imap.append(mails.affiliation(msgid="<s2@koping.se>", subject=f"SV: {request['Subject']}", in_reply_to=request["Message-ID"]))
    cycle(app)
    case = the_case(app)
    assert case.status is CaseStatus.INVITED
    invitation = smtp_server.messages[-1].message
    body = invitation.get_body(("plain",)).get_content()
    assert "fredag den 20 mars 2026 kl. 09.00" in body and "måndag den 23 mars 2026 kl. 09.00" not in body  # 3 of 4 slots

    with app.sessions() as session:
        case = staff.get_case(session, case.reference)
        booking.book(app, session, case, datetime(2026, 3, 21, 9, 0, tzinfo=app.zone), place=None, link=None, minutes=None, actor="staff:test",
                     confirm=True)  # a Saturday
        session.commit()
    send_due(app)
    confirmation = smtp_server.messages[-1].message
    first_ics = ics_of(confirmation)
    event = first_ics.walk("VEVENT")[0]
    assert str(first_ics["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART").astimezone(app.zone) == datetime(2026, 3, 21, 9, 0, tzinfo=app.zone)
    assert str(event["LOCATION"]) == "Länsstyrelsen, Västerås"  # no --place: the booked slot's place

    with app.sessions() as session:
        case = staff.get_case(session, case.reference)
        booking.book(app, session, case, datetime(2026, 3, 22, 13, 0, tzinfo=app.zone), place="Stadshuset, Köping", link=None, minutes=90, actor="staff:test",
                     confirm=True)  # a Sunday
        session.commit()
    send_due(app)
    moved = ics_of(smtp_server.messages[-1].message).walk("VEVENT")[0]
    assert (str(moved["UID"]), int(moved["SEQUENCE"])) == (str(event["UID"]), 1)

    with app.sessions() as session:
        booking.cancel(app, session, staff.get_case(session, case.reference), actor="staff:test")
        session.commit()
    send_due(app)
    cancelled = ics_of(smtp_server.messages[-1].message)
    assert str(cancelled["METHOD"]) == "CANCEL" and int(cancelled.walk("VEVENT")[0]["SEQUENCE"]) == 2

    seen = story(smtp_server)
    print("\nSMTP story:", *(f"{i + 1}. {subject} -> {', '.join(to)}" for i, (subject, to) in enumerate(seen)), sep="\n")
    assert [subject.split(":")[0] for subject, _ in seen] == [
        "Komplettering behövs", "Bekräftelse", "Inbjudan till dialogmöte", "Bekräftelse av dialogmöte",
        "Ny tid för dialogmöte", "Inställt dialogmöte",
    ]
    assert all(to == [CONTACT] for _, to in seen)
    assert the_case(app).status is CaseStatus.INVITED  # cancelled: back to inviting


def test_a_resend_joins_the_case_and_gets_no_second_answer(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<r1@koping.se>"))
    cycle(app)
    sent_before = len(smtp_server.messages)
    imap.append(mails.affiliation(msgid="<r2@koping.se>"))  # same organisation, a new mail, no thread
    cycle(app)
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(func.count()).select_from(Message).where(Message.case_id.is_not(None))) == 2
        joined = session.scalar(select(Event.detail).where(Event.action == "message_joined"))
    assert joined in ("by_org_number", "by_org_name")
    assert len(smtp_server.messages) == sent_before  # a resend adds nothing new: no robot ping-pong


def test_a_reply_joins_by_the_hidden_token_when_ids_and_subject_were_lost(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<t1@koping.se>", with_decision=False))
    cycle(app)
    request_html = smtp_server.messages[-1].message.get_body(("html",)).get_content()
    reply = EmailMessage()
    reply["From"], reply["To"], reply["Subject"] = "Registrator <registrator@example.org>", mails.BOARD, "Beslutet"
    reply["Message-ID"] = "<t2@example.org>"
    reply.set_content("Här kommer beslutet.")
    reply.add_alternative(f"<p>Här kommer beslutet.</p><blockquote>{request_html}</blockquote>", subtype="html")
    reply.add_attachment(mails.protocol_pdf(org="Ett annat namn"), maintype="application", subtype="pdf", filename="beslut.pdf")
    imap.append(reply.as_bytes())
    cycle(app)
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(Event.detail).where(Event.action == "message_joined")) == "by_token"
    assert the_case(app).missing == []


def test_reminders_after_n_days_at_most_m_times(make_lifecycle_app, imap, smtp_server, clock):
    app = make_lifecycle_app(reminder_days=7, max_reminders=2)
    imap.append(mails.affiliation(msgid="<m1@koping.se>", with_decision=False))
    cycle(app)
    assert send_reminders(app) == 0  # not yet
    clock.advance(days=6)
    assert send_reminders(app) == 0
    clock.advance(days=1)
    assert send_reminders(app) == 1
    assert send_reminders(app) == 0  # the same day: once
    clock.advance(days=7)
    assert send_reminders(app) == 1
    clock.advance(days=30)
    assert send_reminders(app) == 0  # max 2
    send_due(app)
    subjects = [m.message["Subject"].split(":")[0] for m in smtp_server.messages]
    assert subjects == ["Komplettering behövs", "Påminnelse", "Påminnelse"]
    body = smtp_server.messages[1].message.get_body(("plain",)).get_content()
    assert "Den 12 mars 2026 bad vi om en komplettering" in body and "beslutet om anslutning" in body


def test_no_reminder_when_they_wrote_back(make_lifecycle_app, imap, smtp_server, clock):
    app = make_lifecycle_app(reminder_days=7)
    imap.append(mails.affiliation(msgid="<n1@koping.se>", with_decision=False))
    cycle(app)
    clock.advance(days=2)
    request = smtp_server.messages[-1].message
    imap.append(mails.affiliation(msgid="<n2@koping.se>", subject=f"SV: {request['Subject']}", in_reply_to=request["Message-ID"], with_decision=False))
    cycle(app)
    clock.advance(days=10)
    assert send_reminders(app) == 0


def test_staff_transitions_are_checked_and_audited(app, imap):
    imap.append(mails.affiliation(msgid="<x1@koping.se>", with_decision=False))
    cycle(app)
    with app.sessions() as session:
        case = staff.get_case(session, the_case(app).reference)
        with pytest.raises(InboxError, match="cannot go from incomplete to booked"):
            staff.set_status(app, session, case, "booked", actor="staff:eva", why="test")
        staff.set_status(app, session, case, "withdrawn", actor="staff:eva", why="they changed their mind")
        session.commit()
        event = session.scalars(select(Event).where(Event.action == "status_changed").order_by(Event.id.desc())).first()
    assert (event.actor, event.detail) == ("staff:eva", "incomplete -> withdrawn: they changed their mind")


def test_a_staff_correction_wins_over_later_mail(app, imap):
    imap.append(mails.affiliation(msgid="<c1@koping.se>", with_decision=False))
    cycle(app)
    with app.sessions() as session:
        case = staff.get_case(session, the_case(app).reference)
        case.review = [{"field": "contact.phone", "reason": "confidence 0.50 is below 0.70"}, {"field": "decision", "reason": "x"}]
        staff.correct_contact(app, session, case, {"email": "Anna.Lind2@koping.se", "phone": "070-123 45 67"}, actor="staff:eva")
        session.commit()
        assert case.review == [{"field": "decision", "reason": "x"}]  # a person checked the phone: no longer listed
        assert case.confidence["contact.phone"] == 1.0
    imap.append(mails.affiliation(msgid="<c2@koping.se>", subject="Anslutning till jämställdhetsstrategin, beslut"))
    cycle(app)
    with app.sessions() as session:
        case = staff.get_case(session, the_case(app).reference)
        assert (case.contact.email, case.contact.phone) == ("anna.lind2@koping.se", "+46701234567")
        assert case.decision is not None


def test_merge_moves_everything_and_later_mail_follows(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<g1@koping.se>", with_decision=False))
    imap.append(loose_mail("<g2@gmail.com>"))
    cycle(app)
    with app.sessions() as session:
        first, second = session.scalars(select(Case).order_by(Case.id)).all()
        staff.merge(app, session, first, second, actor="staff:eva")
        session.commit()
    request_to_second = next(m.message for m in smtp_server.messages if m.rcpt_tos == ["lisa.berg77@gmail.com"])
    imap.append(loose_mail("<g3@gmail.com>", in_reply_to=request_to_second["Message-ID"]))
    cycle(app)
    with app.sessions() as session:
        first, second = session.get(Case, first.id), session.get(Case, second.id)
        assert (second.status, second.merged_into_id) == (CaseStatus.WITHDRAWN, first.id)
        case_ids = set(session.scalars(select(Message.case_id)))
        assert case_ids == {first.id}  # the two old messages moved, the new one followed the merge
        assert session.scalar(select(func.count()).select_from(Case)) == 2


def test_new_mail_on_a_withdrawn_case_goes_to_a_person(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<w1@koping.se>", with_decision=False))
    cycle(app)
    with app.sessions() as session:
        staff.set_status(app, session, staff.get_case(session, the_case(app).reference), "withdrawn", actor="staff:eva", why="they withdrew")
        session.commit()
    sent = len(smtp_server.messages)
    imap.append(mails.affiliation(msgid="<w2@koping.se>"))  # they change their mind and send the decision
    cycle(app)
    assert the_case(app).status is CaseStatus.NEEDS_REVIEW
    assert len(smtp_server.messages) == sent  # no automatic answer on a case a person closed


def test_an_out_of_office_answer_does_not_stop_the_reminders(make_lifecycle_app, imap, smtp_server, clock):
    app = make_lifecycle_app(reminder_days=7)
    imap.append(mails.affiliation(msgid="<v1@koping.se>", with_decision=False))
    cycle(app)
    request = smtp_server.messages[-1].message
    clock.advance(days=1)
    imap.append(mails.out_of_office(msgid="<v2@koping.se>", sender=CONTACT, in_reply_to=request["Message-ID"]))
    cycle(app)
    clock.advance(days=7)
    assert send_reminders(app) == 1


def test_an_answer_that_changes_nothing_is_put_in_front_of_a_person(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<a1x@koping.se>"))
    cycle(app)
    invitation = smtp_server.messages[-1].message
    answer = EmailMessage()
    answer["From"], answer["To"], answer["Subject"] = f"Anna Lind <{CONTACT}>", mails.BOARD, f"SV: {invitation['Subject']}"
    answer["Message-ID"], answer["In-Reply-To"] = "<a2x@koping.se>", invitation["Message-ID"]
    answer.set_content("Hej! Fredag 20 mars kl. 9 passar oss bra.\n\nAnna")
    imap.append(answer.as_bytes())
    sent = len(smtp_server.messages)
    cycle(app)
    assert len(smtp_server.messages) == sent
    with app.sessions() as session:
        event = session.scalars(select(Event).where(Event.action == "answer_to_read")).one()
    assert event.detail == answer["Subject"] and event.case_id == the_case(app).id


def test_slots_offered_to_one_case_are_not_booked_by_another_and_come_back_when_freed(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app(proposed_slots=1)
    times = [datetime(2026, 3, 23 + d, 9, 0, tzinfo=app.zone) for d in range(2)]
    with app.sessions() as session:
        session.add_all([Slot(starts_at=t, duration_minutes=60) for t in times])
        session.commit()
    imap.append(mails.affiliation(msgid="<sl1@koping.se>"))
    imap.append(org_mail("<sl3@sala.se>", "Sala kommun", "Elin Sjöberg", "elin.sjoberg@sala.se"))
    cycle(app)
    with app.sessions() as session:
        first = session.scalars(select(Case).order_by(Case.id)).first()
        offered = session.scalars(select(Slot).where(Slot.offered_case_id.is_not(None)).order_by(Slot.starts_at)).all()
        other = next(s for s in offered if s.offered_case_id != first.id)
        with pytest.raises(InboxError, match="offered to"):
            booking.book(app, session, first, other.starts_at, place=None, link=None, minutes=None, actor="staff:eva")
        session.rollback()
        booking.book(app, session, first, datetime(2026, 3, 30, 9, 0, tzinfo=app.zone), place=None, link=None, minutes=None, actor="staff:eva")
        session.commit()
        mine = [s for s in session.scalars(select(Slot)) if s.offered_case_id == first.id or s.booked_case_id == first.id]
    assert mine == []  # booked outside the list: the time it was offered is free again


def test_merges_cannot_form_a_loop(app, imap):
    imap.append(mails.affiliation(msgid="<ml1@koping.se>", with_decision=False))
    imap.append(loose_mail("<ml2@gmail.com>"))
    cycle(app)
    with app.sessions() as session:
        first, second = session.scalars(select(Case).order_by(Case.id)).all()
        staff.merge(app, session, first, second, actor="staff:eva")
        with pytest.raises(InboxError, match="withdrawn"):
            staff.merge(app, session, second, first, actor="staff:eva")
        session.commit()
