"""Failures charged to their cause, and uncertain replies settled by their sent copy (issue 9, faults 3, 4, 9).

Real SMTP (aiosmtpd), real Dovecot for the sent copies, SQLite and PostgreSQL. The outbox rows
are written directly (a case and its queued replies) so these tests follow the sender only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from email.utils import make_msgid

import pytest
from sqlalchemy import func, select

from digest.health import service_health
from ingest.poll import poll_once
from ingest.sources import ImapSource
from models import Case, CaseStatus, Event, Organisation, OutboxStatus, OutgoingMail, UndeliverableAddress, utcnow
from replies.compose import compose
from replies.outage import next_try, open_alarm
from replies.retry import Selection, retry
from replies.send import send_due
from replies.transports import SmtpTransport
from tests.integration import mails
from tests.integration.test_cli import ROOT
from tests.servers.smtp import SmtpServer

pytestmark = pytest.mark.integration
UNSET = "TEST_SMTP_PASSWORD_NEVER_SET"


@pytest.fixture(autouse=True)
def imap_password(monkeypatch, imap):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)
    monkeypatch.delenv(UNSET, raising=False)


@pytest.fixture
def auth_smtp():
    server = SmtpServer(user="inbox", password="right-password").start()
    yield server
    server.stop()


def imap_section(imap) -> dict:
    return {"kind": "imap", "imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
                                     "password_env": "TEST_IMAP_PASSWORD"}}


def smtp_section(server, **extra) -> dict:
    return {"transport": "smtp", "host": server.host, "port": server.port, "tls": "none", "retry_base_seconds": 60, **extra}


def queue(app, cases: int, per_case: int = 2, status: CaseStatus = CaseStatus.INVITED) -> list[int]:
    """`cases` cases of distinct organisations, each with `per_case` replies pending."""
    ids = []
    with app.sessions() as session:
        for n in range(cases):
            org = Organisation(name=f"Förening nummer {n}", type="civilsamhalle")
            case = Case(reference=f"JS-2026-{n + 1:04d}", status=status, organisation=org, sender=f"info@forening{n}.se", missing=[])
            session.add(case)
            session.flush()
            for k in range(per_case):
                row = OutgoingMail(case_id=case.id, template=("acknowledgement", "invitation")[k % 2], recipients=[f"kontakt@forening{n}.se"],
                                   subject=f"Svar {k} [{case.reference}]", body_text="Hej!\n", created_at=app.clock(),
                                   message_id=make_msgid(idstring=f"{case.reference}-{k}", domain="lansstyrelsen.se"))
                session.add(row)
                session.flush()
                ids.append(row.id)
        session.commit()
    return ids


def rows(app) -> list[OutgoingMail]:
    with app.sessions() as session:
        return list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def statuses(app) -> dict[str, CaseStatus]:
    with app.sessions() as session:
        return dict(session.execute(select(Case.reference, Case.status)).all())


def events(app, action: str) -> list[Event]:
    with app.sessions() as session:
        return list(session.scalars(select(Event).where(Event.action == action).order_by(Event.id)))


def inbox(*args: str) -> subprocess.CompletedProcess:
    """The CLI as a person runs it; stdin is empty, so a question is answered "no"."""
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120, input="")


def write_config(tmp_path, app, **smtp) -> str:
    path = tmp_path / "config.toml"
    settings = app.settings
    lines = [f'[service]\ndata_dir = "{settings.service.data_dir}"', f'[database]\nurl = "{settings.database.url}"',
             '[staff]\nrecipients = ["eva.staff@lansstyrelsen.se"]', "[smtp]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in smtp.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


# -- fault 4: a configuration mistake does not burn the queue -------------------------------------

def test_without_the_smtp_password_every_reply_waits_and_one_alarm_names_the_key(make_app, auth_smtp, tmp_path, clock, monkeypatch):
    app = make_app(smtp=smtp_section(auth_smtp, user="inbox", password_env=UNSET))
    queue(app, 15)  # 30 replies, as in the issue
    before = statuses(app)
    config = write_config(tmp_path, app, **smtp_section(auth_smtp, user="inbox", password_env=UNSET))

    error = f"no SMTP password for inbox: set the environment variable {UNSET} ([smtp] password_env)"
    for run in range(2):  # a person runs it again: still one alarm
        done = inbox("--config", config, "send")
        assert done.returncode == 2, done.stdout + done.stderr
        assert "Traceback" not in done.stderr and done.stderr.splitlines()[-1] == f"error: {error}"
        if run == 1:  # the alarm's ERROR log line is written once per outage; after that only the error
            assert done.stderr.splitlines() == [f"error: {error}"]
        assert done.stdout.strip() == f"send: sent 0, deferred 1, failed 0, uncertain 0; stopped: {error}"

    assert [(r.status, r.attempts) for r in rows(app)] == [(OutboxStatus.PENDING, 0)] * 30
    assert statuses(app) == before
    assert events(app, "reply_failed") == [] and len(events(app, "service_alarm")) == 1
    assert auth_smtp.messages == []

    listed = inbox("--config", config, "outbox", "list").stdout
    assert "Sending stopped since " in listed and f": {error}. Next try " in listed
    as_json = json.loads(inbox("--config", config, "send", "--json").stdout)
    assert as_json == {"sent": 0, "deferred": 1, "failed": 0, "uncertain": 0, "confirmed": 0, "requeued": 0,
                       "error": f"no SMTP password for inbox: set the environment variable {UNSET} ([smtp] password_env)"}

    monkeypatch.setenv(UNSET, "right-password")  # the admin fixes it
    clock.now = utcnow() + timedelta(minutes=2)  # past the back-off the CLI runs set (on the real clock)
    report = send_due(app)
    assert (report.sent, report.failed, report.error) == (30, 0, None)
    assert sorted(m.message["Message-ID"] for m in auth_smtp.messages) == sorted(r.message_id for r in rows(app))
    assert len(events(app, "service_recovered")) == 1


def test_a_refused_login_stops_the_run_with_the_key_to_fix(make_app, auth_smtp, monkeypatch):
    monkeypatch.setenv(UNSET, "wrong-password")
    app = make_app(smtp=smtp_section(auth_smtp, user="inbox", password_env=UNSET))
    queue(app, 3)
    report = send_due(app)
    assert (report.sent, report.deferred, report.failed) == (0, 1, 0)
    assert report.error.startswith(f"SMTP login refused by 127.0.0.1:{auth_smtp.port}: check [smtp] user and the environment variable {UNSET} (535")
    [alarm] = events(app, "service_alarm")
    assert alarm.detail == report.error and alarm.data["kind"] == "environment"
    assert [(r.status, r.attempts) for r in rows(app)] == [(OutboxStatus.PENDING, 0)] * 6
    assert set(statuses(app).values()) == {CaseStatus.INVITED}


def test_an_outage_longer_than_the_back_off_schedule_is_one_alarm_and_then_every_reply_leaves_once(make_app, smtp_server, clock):
    app = make_app(smtp=smtp_section(smtp_server))
    queue(app, 3)
    smtp_server.stop()
    began = clock()
    tries = []
    for _ in range(48):  # twelve hours in steps of 15 minutes; the default schedule gives up after about two
        tries.append(send_due(app).deferred)
        clock.advance(minutes=15)
    assert [(r.status, r.attempts) for r in rows(app)] == [(OutboxStatus.PENDING, 0)] * 6  # the first is the probe each time
    assert events(app, "reply_failed") == [] and set(statuses(app).values()) == {CaseStatus.INVITED}
    [alarm] = events(app, "service_alarm")
    assert "refused the connection: check [smtp] host and port" in alarm.detail
    assert sum(tries) == 48  # one connection attempt per run, never one per reply

    with app.sessions() as session:  # the digest of the day reports it, once
        failures = service_health(session, began - timedelta(hours=1), clock()).failures
    [item] = [f for f in failures if f.detail == alarm.detail]
    assert item.what.startswith("E-post kan inte skickas: alla svar väntar i kön")

    smtp_server.start()
    assert send_due(app).sent == 6
    assert send_due(app).sent == 0
    clock.advance(hours=1)
    assert send_due(app).sent == 0
    assert sorted(m.message["Message-ID"] for m in smtp_server.messages) == sorted(r.message_id for r in rows(app))
    assert {r.status for r in rows(app)} == {OutboxStatus.SENT}
    assert len(events(app, "service_recovered")) == 1


def test_back_off_during_an_outage_grows_and_is_capped(make_app, smtp_server, clock):
    app = make_app(smtp=smtp_section(smtp_server))
    queue(app, 1, per_case=1)
    smtp_server.stop()
    waits = []
    for _ in range(8):
        assert send_due(app).deferred == 1
        with app.sessions() as session:
            next_time = next_try(app, open_alarm(session))
        waits.append(int((next_time - clock()).total_seconds()))
        clock.advance(seconds=waits[-1] - 1)
        report = send_due(app)  # not yet: the queue waits, no connection is tried
        assert (report.deferred, report.error) == (0, rows(app)[0].last_error)
        clock.advance(seconds=1)
    assert waits == [60, 60, 120, 240, 480, 900, 900, 900]
    assert rows(app)[0].attempts == 0 and len(events(app, "service_alarm")) == 1


def test_a_refusal_at_rcpt_is_only_that_reply_s_failure(make_app, smtp_server):
    app = make_app(smtp=smtp_section(smtp_server))
    queue(app, 2, per_case=1)
    smtp_server.reject_recipients.add("kontakt@forening0.se")
    report = send_due(app)
    assert (report.sent, report.failed, report.error) == (1, 1, None)
    refused, sent = rows(app)
    assert refused.status is OutboxStatus.FAILED and "550" in refused.last_error and sent.status is OutboxStatus.SENT
    assert statuses(app) == {"JS-2026-0001": CaseStatus.NEEDS_REVIEW, "JS-2026-0002": CaseStatus.INVITED}
    with app.sessions() as session:
        assert session.scalars(select(UndeliverableAddress.address)).all() == ["kontakt@forening0.se"]
    assert events(app, "service_alarm") == []


# -- fault 3 through the pipeline: an Outlook sender's thread ------------------------------------------

def test_the_answer_to_an_outlook_message_threads_with_plain_identifiers(make_app, imap, smtp_server):
    app = make_app(source=imap_section(imap), smtp=smtp_section(smtp_server), replies={"invitation": "approval"})
    first = "<GV3P280MB0123456789ABCDEF0123456789ABCDEF@GV3P280MB0123.SWEP280.PROD.OUTLOOK.COM>"
    theirs = "<DB9PR02MB7345A1B2C3D4E5F60718293A4B5C6D7E8F90@DB9PR02MB7345.eurprd02.prod.outlook.com>"
    imap.append(mails.affiliation(msgid=theirs, in_reply_to=first))
    poll_once(app, ImapSource(app.settings.source.imap, account="test"))
    assert send_due(app).sent == 1
    head = smtp_server.messages[0].data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert f"\r\nIn-Reply-To: {theirs}\r\n" in head  # whole, on one line, not =?utf-8?q?=3CDB9PR02MB...
    assert f"\r\nReferences: {first}\r\n {theirs}\r\n" in head  # folded between the IDs only


# -- uncertain replies settled by their sent copy --------------------------------------------------------

def copy_app(make_app, imap, smtp_server, **smtp):
    return make_app(source=imap_section(imap), smtp=smtp_section(smtp_server, **smtp))


def killed_mid_send(app, row_id: int) -> None:
    """What a sender killed after claiming a row leaves: `sending`, claimed now."""
    with app.sessions() as session:
        row = session.get(OutgoingMail, row_id)
        row.status, row.claimed_at, row.attempts = OutboxStatus.SENDING, app.clock(), row.attempts + 1
        session.commit()


def deliver_behind_our_back(app, row_id: int) -> bytes:
    """The server accepted the row's message but the sender died before recording it."""
    with app.sessions() as session:
        row = session.get(OutgoingMail, row_id)
        delivery = SmtpTransport(app.settings.smtp).send(compose(row, app.settings), list(row.recipients))
    return delivery.data


def file_in_sent(imap, smtp_server, folder: str = "Sent") -> None:
    """Do what Exchange does: file every message submitted over SMTP in the Sent folder."""
    for mail in smtp_server.messages[len(imap.uids(folder)):]:
        imap.append(mail.data, folder)


def test_every_sent_reply_leaves_its_exact_bytes_in_the_copy_folder(make_app, imap, smtp_server):
    app = copy_app(make_app, imap, smtp_server, sent_copy_folder="Skickat")
    queue(app, 1)
    assert send_due(app).sent == 2
    with imap.client() as client:
        client.select_folder("Skickat", readonly=True)
        copies = [data[b"BODY[]"] for data in client.fetch(client.search(["ALL"]), ["BODY.PEEK[]"]).values()]
    assert sorted(copies) == sorted(m.data for m in smtp_server.messages)


def test_an_uncertain_reply_whose_copy_is_kept_becomes_sent_without_a_second_delivery(make_app, imap, smtp_server, clock):
    app = copy_app(make_app, imap, smtp_server, sent_copy_folder="Skickat")
    [delivered, lost] = queue(app, 1)
    killed_mid_send(app, delivered)
    data = deliver_behind_our_back(app, delivered)
    imap.append(data, "Skickat")  # killed after the APPEND, before the commit
    killed_mid_send(app, lost)  # killed before the server got anything

    clock.advance(minutes=11)  # past claim_timeout_minutes (10)
    report = send_due(app)
    assert (report.uncertain, report.confirmed, report.sent, report.requeued) == (2, 1, 0, 0)
    confirmed, unknown = rows(app)
    assert confirmed.status is OutboxStatus.SENT and "its copy is in 'Skickat'" in confirmed.transport_detail
    assert unknown.status is OutboxStatus.UNCERTAIN and unknown.transport_detail.startswith("no copy in 'Skickat'")
    assert len(smtp_server.messages) == 1
    assert send_due(app).sent == 0  # a missing self-made copy proves nothing: a person decides

    [result] = retry(app, Selection(case="JS-2026-0001"))  # the case's uncertain and failed rows: the sent one is not among them
    assert (result.row_id, result.outcome) == (unknown.id, "queued")
    assert send_due(app).sent == 1 and send_due(app).sent == 0
    assert [m.message["Message-ID"] for m in smtp_server.messages] == [confirmed.message_id, unknown.message_id]


def test_missing_from_the_server_s_sent_folder_is_sent_again_once(make_app, imap, smtp_server, clock):
    app = copy_app(make_app, imap, smtp_server, sent_folder="Sent")
    [_earlier, delivered, lost] = queue(app, 1, per_case=3)
    with app.sessions() as session:  # the other two are not due yet
        for row_id in (delivered, lost):
            session.get(OutgoingMail, row_id).next_attempt_at = clock() + timedelta(days=1)
        session.commit()
    assert send_due(app).sent == 1
    file_in_sent(imap, smtp_server)
    killed_mid_send(app, delivered)
    deliver_behind_our_back(app, delivered)
    file_in_sent(imap, smtp_server)
    killed_mid_send(app, lost)

    clock.advance(minutes=11)
    report = send_due(app)
    assert (report.uncertain, report.confirmed, report.requeued, report.sent) == (2, 1, 1, 1)
    assert [r.status for r in rows(app)] == [OutboxStatus.SENT] * 3
    assert [m.message["Message-ID"] for m in smtp_server.messages] == [r.message_id for r in rows(app)]

    killed_mid_send(app, lost)  # uncertain a second time: a person decides
    clock.advance(minutes=11)
    report = send_due(app)
    assert (report.uncertain, report.requeued, report.sent) == (1, 0, 0)
    assert rows(app)[2].status is OutboxStatus.UNCERTAIN and len(smtp_server.messages) == 3


def test_absence_is_not_trusted_when_the_sent_folder_does_not_hold_our_mail(make_app, imap, smtp_server, clock):
    app = copy_app(make_app, imap, smtp_server, sent_folder="Sent")
    imap.create_folder("Sent")
    [_earlier, lost] = queue(app, 1)
    with app.sessions() as session:
        session.get(OutgoingMail, lost).next_attempt_at = clock() + timedelta(days=1)
        session.commit()
    assert send_due(app).sent == 1  # the server does not file it: "Sent" is the wrong folder
    killed_mid_send(app, lost)
    clock.advance(minutes=11)
    report = send_due(app)
    assert (report.uncertain, report.requeued, report.sent) == (1, 0, 0)
    assert rows(app)[1].status is OutboxStatus.UNCERTAIN


# -- the outbox from the command line ------------------------------------------------------------------

def test_outbox_list_and_bulk_retry_from_the_command_line(make_app, imap, smtp_server, tmp_path, clock):
    app = copy_app(make_app, imap, smtp_server, sent_copy_folder="Skickat")
    [delivered, lost, sending, failed] = queue(app, 2)
    clock.now = utcnow()
    for row_id in (delivered, lost):
        killed_mid_send(app, row_id)
    imap.append(deliver_behind_our_back(app, delivered), "Skickat")
    with app.sessions() as session:
        for row_id in (delivered, lost):
            session.get(OutgoingMail, row_id).status = OutboxStatus.UNCERTAIN
        row = session.get(OutgoingMail, sending)
        row.status, row.claimed_at = OutboxStatus.SENDING, utcnow() - timedelta(minutes=3, seconds=5)
        row = session.get(OutgoingMail, failed)
        row.status, row.last_error, row.attempts = OutboxStatus.FAILED, "550 5.1.1 User unknown", 1
        session.commit()
    imap_config = {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user, "password_env": "TEST_IMAP_PASSWORD"}
    config = write_config(tmp_path, app, **smtp_section(smtp_server, sent_copy_folder="Skickat"))
    with open(config, "a", encoding="utf-8") as file:
        file.write('[source]\nkind = "imap"\n[source.imap]\n' + "".join(f"{k} = {json.dumps(v)}\n" for k, v in imap_config.items()))

    listed = inbox("--config", config, "outbox", "list")
    assert listed.returncode == 0, listed.stderr
    assert "sending, claimed 3 min ago" in listed.stdout and rows(app)[0].message_id in listed.stdout
    records = json.loads(inbox("--config", config, "outbox", "list", "--json", "--status", "uncertain").stdout)
    assert [r["id"] for r in records] == [delivered, lost]
    assert set(records[0]) == {"id", "status", "template", "case", "recipients", "attempts", "created_at", "claimed_at",
                               "claim_age_seconds", "next_attempt_at", "sent_at", "message_id", "last_error", "detail"}
    assert records[0]["case"] == "JS-2026-0001" and records[0]["message_id"] == rows(app)[0].message_id

    done = inbox("--config", config, "outbox", "retry", "--status", "uncertain")
    assert done.returncode == 0, done.stderr
    assert f"outbox {delivered}: confirmed: its copy is in 'Skickat'" in done.stdout
    assert f"outbox {lost}: queued: no copy in 'Skickat'" in done.stdout
    refused = inbox("--config", config, "outbox", "retry", "--all")  # asks first; no answer = no
    assert refused.returncode != 0 and rows(app)[3].status is OutboxStatus.FAILED
    done = inbox("--config", config, "outbox", "retry", "--all", "--yes")
    assert f"outbox {failed}: queued: was failed" in done.stdout
    [skipped] = retry(app, Selection(ids=(delivered,)))
    assert (skipped.outcome, skipped.note) == ("skipped", "is sent; only uncertain or failed replies are queued again")

    sent = json.loads(inbox("--config", config, "send", "--json").stdout)
    assert (sent["sent"], sent["error"]) == (2, None)
    assert sorted(m.message["Message-ID"] for m in smtp_server.messages) == sorted(
        r.message_id for r in rows(app) if r.id in (delivered, lost, failed))
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Event).where(Event.action == "reply_sent")) >= 3
    assert os.environ.get(UNSET) is None
