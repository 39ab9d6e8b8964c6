"""The case lifecycle on real servers: Dovecot -> database (SQLite and PostgreSQL) -> SMTP.

The story test prints what the SMTP server saw (run with -s to read it).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

import icalendar
import pytest
from sqlalchemy import func, select

from cases import booking, staff
from inbox.errors import InboxError
from ingest.poll import poll_once
from ingest.sources import ImapSource
from models import Case, CaseStatus, Event, Message, OutboxStatus, OutgoingMail, Slot, UndeliverableAddress
from replies.reminders import send_reminders
from replies.send import send_due
from tests.integration import mails

pytestmark = pytest.mark.integration
CONTACT = "anna.lind@koping.se"


@pytest.fixture
def make_lifecycle_app(make_app, imap, smtp_server, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)

    def factory(**replies):
        return make_app(
            source={"kind": "imap", "imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
                                             "password_env": "TEST_IMAP_PASSWORD"}},
            smtp={"transport": "smtp", "host": smtp_server.host, "port": smtp_server.port, "tls": "none"},
            replies=replies,
        )
    return factory


@pytest.fixture
def app(make_lifecycle_app):
    return make_lifecycle_app()


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


def test_the_whole_story_from_incomplete_mail_to_a_booked_meeting(app, imap, smtp_server, clock):
    with app.sessions() as session:
        session.add_all([Slot(starts_at=datetime(2026, 3, 20 + d, 9, 0, tzinfo=app.zone), duration_minutes=60, place="Länsstyrelsen, Västerås") for d in range(4)])
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
        booking.book(app, session, case, datetime(2026, 3, 21, 9, 0, tzinfo=app.zone), place=None, link=None, minutes=None, actor="staff:test")
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
        booking.book(app, session, case, datetime(2026, 3, 22, 13, 0, tzinfo=app.zone), place="Stadshuset, Köping", link=None, minutes=90, actor="staff:test")
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
