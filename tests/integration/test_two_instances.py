"""Two `inbox run` workers against one mailbox and one database, and one of them killed mid-run.

Real processes, a real Dovecot, PostgreSQL, a real SMTP server (aiosmtpd) and a backlog of
scanned affiliations (Tesseract reads each). One worker holds the mailbox, the other shares
the processing; the holder is killed with SIGKILL while it reads a scan. Afterwards every
message is processed exactly once, every reply reaches the SMTP server exactly once, and
the survivor holds the mailbox and reads new mail.
"""

from __future__ import annotations

import re
import signal
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.attempt import attempt
from ingest.process import MessageClaims
from ingest.store import store_raw
from models import Event, Message, MessageStatus, OutboxStatus, OutgoingMail
from tests.documents import scanned_pdf
from tests.integration import mails
from tests.integration.lifecycle_support import org_mail
from tests.integration.test_push import start_worker, stop_worker, wait_for, write_config

pytestmark = pytest.mark.integration
BACKLOG = 6
HOLDS = "this worker holds the mailbox"
PROCESSED_LINE = re.compile(r"message (\d+): processed in")


def scanned_affiliation(i: int) -> bytes:
    """An affiliation from organisation i whose decision is a scanned page (an image-only PDF)."""
    org, name, address = f"Bygdeföreningen Norrby {i}", "Karin Ek", f"karin.ek@norrby{i}.se"
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = f"{name} <{address}>", mails.BOARD, "Anslutning till jämställdhetsstrategin"
    msg["Message-ID"] = f"<scan{i}@norrby{i}.se>"
    msg.set_content(f"Hej! {org} ansluter sig till jämställdhetsstrategin. Beslutet bifogas (inskannat).\n\n"
                    f"Kontaktperson: {name}, {address}, 0224-747 12\n")
    decision = (f"{org}\nProtokollsutdrag\nStyrelsen\nSammanträdesdatum 2024-03-12\n\n"
                f"§ 12 Anslutning till jämställdhetsstrategi för Västmanlands län 2024–2027\n\n"
                f"Beslut\nStyrelsen beslutar att {org} ansluter sig till jämställdhetsstrategin.\n\nJusterat")
    msg.add_attachment(scanned_pdf(decision), maintype="application", subtype="pdf", filename="beslut.pdf")
    return msg.as_bytes()


def all_done(app) -> bool:
    with app.sessions() as session:
        waiting = session.scalar(select(func.count()).select_from(Message).where(Message.status != MessageStatus.PROCESSED))
        unsent = session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.status != OutboxStatus.SENT))
        total = session.scalar(select(func.count()).select_from(Message))
    return total == BACKLOG + 1 and waiting == 0 and unsent == 0


def processed_by(log: Path) -> set[int]:
    return {int(found) for found in PROCESSED_LINE.findall(log.read_text())}


def count(app, model, *where) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_share_a_backlog_and_the_survivor_of_a_kill_takes_over(make_app, imap, smtp_server, tmp_path, database_url):
    app = make_app()
    for i in range(BACKLOG):
        imap.append(scanned_affiliation(i))
    config = write_config(tmp_path, database_url, imap, smtp_server, poll_minutes=0.1, standby_seconds=1)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    workers = [start_worker(config, logs[0], imap.password)]
    wait_for(lambda: HOLDS in logs[0].read_text() or workers[0].poll() is not None, 120, "the first worker to hold the mailbox")
    workers.append(start_worker(config, logs[1], imap.password))
    try:
        # The holder is killed while it reads a scan: after it finished one, while others wait.
        wait_for(lambda: processed_by(logs[0]) and count(app, Message, Message.status == MessageStatus.STORED) >= 2,
                 300, "the first worker to be busy with the backlog")
        workers[0].send_signal(signal.SIGKILL)
        assert workers[0].wait(timeout=30) == -signal.SIGKILL
        # Between two messages it processes, the survivor finds the mailbox free and takes it.
        wait_for(lambda: HOLDS in logs[1].read_text() or workers[1].poll() is not None, 240, "the survivor to take the mailbox")
        imap.append(scanned_affiliation(BACKLOG))  # read only if the survivor polls the mailbox now
        wait_for(lambda: all_done(app) or workers[1].poll() is not None, 600, "every message processed and every reply sent")
    finally:
        code = stop_worker(workers[1])
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    survivor = logs[1].read_text()
    assert code == 0 and "Traceback" not in survivor and "IntegrityError" not in survivor, survivor

    with app.sessions() as session:
        statuses = Counter(session.scalars(select(Message.status)))
        twice = session.scalars(select(Event.message_pk).where(Event.action == "case_created")
                                .group_by(Event.message_pk).having(func.count() > 1)).all()
        queued = session.execute(select(OutgoingMail.cause_message_pk, OutgoingMail.template, OutgoingMail.message_id)
                                 .where(OutgoingMail.cause_message_pk.is_not(None))).all()
        sent = session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.status == OutboxStatus.SENT))
    assert statuses == {MessageStatus.PROCESSED: BACKLOG + 1}
    assert twice == []  # no message made a case twice ...
    assert len({(pk, template) for pk, template, _ in queued}) == len(queued) >= BACKLOG + 1  # ... nor queued a reply twice
    delivered = Counter(str(mail.message["Message-ID"]) for mail in smtp_server.messages)
    assert set(delivered.values()) == {1} and len(delivered) == sent  # every reply reached the server, exactly once
    assert {message_id for *_, message_id in queued} <= set(delivered)
    assert processed_by(logs[1]) - processed_by(logs[0])  # the second worker did its share


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_the_second_worker_waits_without_failing_and_takes_over(make_app, imap, smtp_server, tmp_path, database_url):
    app = make_app()
    config = write_config(tmp_path, database_url, imap, smtp_server, poll_minutes=0.1, standby_seconds=1)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    workers = [start_worker(config, logs[0], imap.password)]
    wait_for(lambda: HOLDS in logs[0].read_text() or workers[0].poll() is not None, 120, "the first worker to hold the mailbox")
    workers.append(start_worker(config, logs[1], imap.password))
    try:
        wait_for(lambda: "scheduler started" in logs[1].read_text() or workers[1].poll() is not None, 120, "the second worker")
        imap.append(mails.affiliation(msgid="<sqlite1@koping.se>"))
        wait_for(lambda: count(app, Message, Message.status == MessageStatus.PROCESSED) == 1, 120, "the first message")
        assert workers[1].poll() is None and HOLDS not in logs[1].read_text()  # waiting, not failing
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=30)
        wait_for(lambda: HOLDS in logs[1].read_text() or workers[1].poll() is not None, 60, "the survivor to take the mailbox")
        imap.append(org_mail("<sqlite2@sala.se>", "Sala kommun", "Elin Sjöberg", "elin.sjoberg@sala.se"))
        wait_for(lambda: count(app, Message, Message.status == MessageStatus.PROCESSED) == 2, 120, "the second message")
    finally:
        code = stop_worker(workers[1])
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    survivor = logs[1].read_text()
    assert code == 0 and "Traceback" not in survivor, survivor
    assert count(app, Event, Event.action == "case_created") == 2  # each message processed once, by one of the two


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_message_being_processed_or_claimed_elsewhere_is_skipped_and_a_processed_one_is_left_alone(make_app):
    """What the kill above may or may not hit, made certain: a child still working on a message
    (its transaction holds the row), another worker's claim, and a child that finishes after
    someone else processed the message."""
    app = make_app(limits={"isolation": "inline"})
    with app.sessions() as session:
        busy, claimed, free = (store_raw(session, app.data_dir, plain_affiliation(i)).message.id for i in range(3))
        session.commit()
    child = app.sessions()
    child.get_one(Message, busy, with_for_update={"key_share": True})  # an attempt in progress in some child
    with MessageClaims(app) as other, MessageClaims(app) as mine:
        assert other.next((MessageStatus.STORED,)) == claimed  # the row of `busy` is locked: skipped
        assert mine.next((MessageStatus.STORED,)) == free  # `claimed` is another worker's
        child.rollback()
        child.close()
        assert mine.next((MessageStatus.STORED,), skip={free}) == busy  # free again once its holder ended
    assert attempt(app, free) is MessageStatus.PROCESSED
    done = (count(app, Event, Event.message_pk == free), count(app, OutgoingMail, OutgoingMail.cause_message_pk == free))
    assert attempt(app, free) is MessageStatus.PROCESSED  # a late second attempt does nothing:
    assert (count(app, Event, Event.message_pk == free), count(app, OutgoingMail, OutgoingMail.cause_message_pk == free)) == done
    assert done[1] >= 1  # (the first one did answer)


def plain_affiliation(i: int) -> bytes:
    return org_mail(f"<claim{i}@forening{i}.se>", f"Föreningen Claim {i}", "Karin Ek", f"karin.ek@forening{i}.se")
