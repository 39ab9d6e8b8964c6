"""The whole flow on real servers: Dovecot -> database (SQLite and PostgreSQL) -> SMTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ingest.poll import poll_once
from ingest.sources import ImapSource
from models import Case, CaseStatus, Event, MailboxState, Message, MessageStatus, OutboxStatus, OutgoingMail
from replies.send import send_due
from tests.integration import mails

pytestmark = pytest.mark.integration


@pytest.fixture
def app(make_app, imap, smtp_server):
    """An app that reads the Dovecot INBOX over plain IMAP and sends through the test SMTP server."""
    return make_app(
        source={"kind": "imap", "imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user, "password_env": "TEST_IMAP_PASSWORD"}},
        smtp={"transport": "smtp", "host": smtp_server.host, "port": smtp_server.port, "tls": "none", "retry_base_seconds": 60},
        # These tests follow the first replies; the invitation is the lifecycle tests' subject.
        replies={"invitation": "approval"},
    )


@pytest.fixture(autouse=True)
def imap_password(monkeypatch, imap):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)


def poll(app):
    return poll_once(app, ImapSource(app.settings.source.imap, account="test"))


def count(app, model, *where) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_complete_affiliation_is_registered_and_acknowledged(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<a1@koping.se>"))
    report = poll(app)
    assert (report.stored, report.processed, report.quarantined) == (1, 1, 0)

    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status is CaseStatus.COMPLETE
        assert case.missing == []
        assert case.decision.paragraph == "§ 45"
        assert case.contact.email == "anna.lind@koping.se"
        reference = case.reference

    assert send_due(app).sent == 1
    [received] = smtp_server.messages
    assert received.rcpt_tos == ["anna.lind@koping.se"]
    message = received.message
    assert reference in message["Subject"] and message["Subject"].startswith("Bekräftelse")
    assert message["In-Reply-To"] == "<a1@koping.se>"
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["X-Auto-Response-Suppress"] == "All"
    body = message.get_body(("plain",)).get_content()
    assert "bjuder Länsstyrelsen in Anna Lind till ett första dialogmöte" in body
    assert message.get_body(("html",)) is not None


def test_incomplete_affiliation_gets_a_request_for_what_is_missing(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<a2@koping.se>", with_decision=False))
    poll(app)
    send_due(app)
    [received] = smtp_server.messages
    assert received.message["Subject"].startswith("Komplettering behövs")
    body = received.message.get_body(("plain",)).get_content()
    assert "beslutet om anslutning" in body
    assert "en kontaktperson med kontaktuppgifter" not in body  # the contact was given
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert (case.status, case.missing) == (CaseStatus.INCOMPLETE, ["decision"])


def test_completion_joins_the_case_and_is_acknowledged(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<a3@koping.se>", with_decision=False))
    poll(app)
    send_due(app)
    request_id = smtp_server.messages[0].message["Message-ID"]
    imap.append(mails.affiliation(msgid="<a4@koping.se>", subject="SV: Komplettering", in_reply_to=request_id))
    poll(app)
    send_due(app)
    assert count(app, Case) == 1
    assert [m.message["Subject"].split(":")[0] for m in smtp_server.messages] == ["Komplettering behövs", "Bekräftelse"]
    with app.sessions() as session:
        assert session.scalars(select(Case)).one().status is CaseStatus.COMPLETE


def test_auto_reply_and_bounce_with_the_phrase_get_nothing(app, imap, smtp_server):
    imap.append(mails.out_of_office(msgid="<ooo@sala.se>"))
    imap.append(mails.bounce(msgid="<dsn@mx.koping.se>"))
    report = poll(app)
    assert report.processed == 2
    assert send_due(app).sent == 0
    assert smtp_server.messages == []
    assert count(app, Case) == 0
    with app.sessions() as session:
        kinds = sorted(session.scalars(select(Message.kind)))
    assert kinds == ["auto_reply", "bounce"]


def test_polling_twice_creates_and_sends_nothing_twice(app, imap, smtp_server):
    imap.append(mails.affiliation(msgid="<a5@koping.se>"))
    poll(app)
    send_due(app)
    second = poll(app)
    send_due(app)
    assert (second.fetched, second.stored) == (0, 0)
    assert count(app, Message) == 1 and count(app, Case) == 1 and count(app, OutgoingMail) == 1
    assert len(smtp_server.messages) == 1


def test_uidvalidity_change_does_not_process_old_mail_twice(app, imap, smtp_server):
    raw = mails.affiliation(msgid="<a6@koping.se>")
    imap.append(raw)
    poll(app)
    old_validity = imap.uidvalidity("INBOX")
    imap.recreate_folder("INBOX")  # the server renumbers the folder
    imap.append(raw)
    imap.append(mails.affiliation(msgid="<a7@arboga.se>", sender="eva@arboga.se"))
    assert imap.uidvalidity("INBOX") != old_validity

    report = poll(app)
    assert (report.fetched, report.duplicates, report.stored) == (2, 1, 1)
    assert count(app, Message) == 2
    assert count(app, Event, Event.action == "uidvalidity_changed") == 1
    with app.sessions() as session:
        state = session.scalars(select(MailboxState)).one()
        assert state.uidvalidity == imap.uidvalidity("INBOX")
        assert state.last_uid == max(imap.uids("INBOX"))


def test_a_message_the_parser_rejects_is_quarantined_and_the_next_is_processed(app, imap):
    imap.append(mails.unparseable())
    imap.append(mails.affiliation(msgid="<a8@koping.se>"))
    report = poll(app)
    assert (report.stored, report.processed, report.quarantined) == (2, 1, 1)
    with app.sessions() as session:
        bad = session.scalars(select(Message).where(Message.status == MessageStatus.QUARANTINED)).one()
        assert "MessageParseError" in bad.quarantine_reason
        assert "Traceback" in bad.quarantine_traceback
        assert (app.data_dir / bad.raw_path).read_bytes() == mails.unparseable()


def test_smtp_down_delays_and_then_sends_once(app, imap, smtp_server, clock):
    imap.append(mails.affiliation(msgid="<a9@koping.se>"))
    poll(app)
    smtp_server.stop()
    first = send_due(app)
    assert (first.sent, first.deferred) == (0, 1)
    smtp_server.start()
    assert send_due(app).sent == 0  # back-off: not due yet
    clock.advance(seconds=61)
    assert send_due(app).sent == 1
    assert send_due(app).sent == 0
    assert len(smtp_server.messages) == 1
    with app.sessions() as session:
        row = session.scalars(select(OutgoingMail)).one()
        assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)  # the server being away costs no attempt


def test_a_sender_that_died_mid_send_never_resends_by_itself(app, imap, smtp_server, clock):
    imap.append(mails.affiliation(msgid="<a10@koping.se>"))
    poll(app)
    with app.sessions() as session:  # what a crash between SMTP acceptance and our commit leaves
        row = session.scalars(select(OutgoingMail)).one()
        row.status, row.claimed_at = OutboxStatus.SENDING, clock()
        session.commit()
    clock.advance(minutes=16)
    report = send_due(app)
    assert (report.sent, report.uncertain) == (0, 1)
    assert smtp_server.messages == []
    with app.sessions() as session:
        assert session.scalars(select(OutgoingMail.status)).one() is OutboxStatus.UNCERTAIN


def test_a_permanent_refusal_is_recorded(app, imap, smtp_server):
    smtp_server.reject_recipients.add("anna.lind@koping.se")
    imap.append(mails.affiliation(msgid="<a11@koping.se>"))
    poll(app)
    assert send_due(app).failed == 1
    with app.sessions() as session:
        row = session.scalars(select(OutgoingMail)).one()
        assert row.status is OutboxStatus.FAILED and "550" in row.last_error
        assert session.scalar(select(func.count()).select_from(Event).where(Event.action == "reply_failed", Event.case_id == row.case_id)) == 1
        assert session.get(Case, row.case_id).status is CaseStatus.NEEDS_REVIEW  # a person must reach them another way


def test_mail_stored_before_a_crash_is_processed_on_the_next_poll(app, imap):
    from ingest.store import store_raw

    with app.sessions() as session:  # a crash right after the raw commit, before processing
        store_raw(session, app.data_dir, mails.affiliation(msgid="<a12@koping.se>"))
        session.commit()
    report = poll(app)
    assert report.processed == 1
    assert count(app, Case) == 1


def test_processed_mail_is_moved_only_after_the_commit(make_app, imap, monkeypatch):
    app = make_app(source={"kind": "imap", "imap": {
        "host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
        "password_env": "TEST_IMAP_PASSWORD", "processed_folder": "Behandlat",
    }})
    imap.append(mails.affiliation(msgid="<a13@koping.se>"))
    poll(app)
    assert imap.uids("INBOX") == []
    assert len(imap.uids("Behandlat")) == 1
    assert count(app, Message, Message.status == MessageStatus.PROCESSED) == 1
