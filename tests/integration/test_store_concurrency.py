"""Two pollers at once, and the duplicate rule: same bytes is a duplicate, a reused Message-ID is not.

Real processes (`inbox poll` twice, started together) against one database and one Dovecot
mailbox, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.poll import poll_once
from ingest.sources import DirectorySource, ImapSource
from ingest.store import store_raw
from models import Event, MailboxState, Message, MessageLocation, MessageStatus, OutgoingMail
from tests.integration import mails
from tests.integration.lifecycle_support import org_mail

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
MAILBOX_SIZE = 40


def write_config(tmp_path: Path, database_url: str, imap) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[service]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[database]\nurl = "{database_url}"\n'
        f'[source]\nkind = "imap"\naccount = "test"\n'
        f'[source.imap]\nhost = "{imap.host}"\nport = {imap.imap_port}\ntls = "none"\nuser = "{imap.user}"\n'
        f'password_env = "TEST_IMAP_PASSWORD"\nbatch_size = 5\n'
        f'[smtp]\noutbox_dir = "{tmp_path / "outbox"}"\n',
        encoding="utf-8",
    )
    return config


def inbox_process(config: Path, *args: str, password: str) -> subprocess.Popen:
    env = {**os.environ, "TEST_IMAP_PASSWORD": password}
    return subprocess.Popen([sys.executable, "-m", "cli.main", "--config", str(config), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=900)
    return process.returncode, out, err


def count(app, model, *where) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_two_pollers_at_once_store_and_answer_every_message_once(make_app, imap, tmp_path, database_url):
    app = make_app()  # creates the schema on this test's database
    for i in range(MAILBOX_SIZE):
        imap.append(org_mail(f"<c{i}@forening{i}.se>", f"Bygdeföreningen Norrby {i}", "Karin Ek", f"karin.ek@forening{i}.se"))
    config = write_config(tmp_path, database_url, imap)

    pollers = [inbox_process(config, "poll", "--once", "--json", password=imap.password) for _ in range(2)]
    results = [finish(p) for p in pollers]

    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "IntegrityError" not in err
    assert count(app, Message) == MAILBOX_SIZE
    assert count(app, Message, Message.status == MessageStatus.PROCESSED) == MAILBOX_SIZE
    assert count(app, MessageLocation) == MAILBOX_SIZE
    with app.sessions() as session:
        [state] = session.scalars(select(MailboxState)).all()
        assert state.last_uid == max(imap.uids("INBOX"))
        replies = session.execute(select(OutgoingMail.cause_message_pk, OutgoingMail.template)).all()
        processed_twice = session.scalars(
            select(Event.message_pk).where(Event.action == "case_created").group_by(Event.message_pk).having(func.count() > 1)).all()
    assert len(replies) >= MAILBOX_SIZE  # every affiliation was answered ...
    assert len(set(replies)) == len(replies)  # ... and no reply was queued twice
    assert processed_twice == []
    stored = sum(json.loads(out)["stored"] for _code, out, _err in results)
    assert stored == MAILBOX_SIZE  # between them the two pollers stored each message exactly once


def test_a_second_store_of_the_same_bytes_at_the_same_moment_is_ignored(make_app):
    """The race two pollers run: both look, find nothing, both insert. The second insert does nothing."""
    app = make_app()
    raw = mails.affiliation(msgid="<race@koping.se>")
    first = app.sessions()
    assert store_raw(first, app.data_dir, raw).created  # inserted, not yet committed
    outcome = {}

    def second_poller():
        with app.sessions() as session:
            outcome["created"] = store_raw(session, app.data_dir, raw).created  # waits for the first to commit
            session.commit()

    racer = threading.Thread(target=second_poller)
    racer.start()
    racer.join(timeout=1)  # the second insert is now waiting on the first one's row (or its write lock)
    first.commit()
    first.close()
    racer.join(timeout=30)
    assert not racer.is_alive()
    assert outcome == {"created": False}
    assert count(app, Message) == 1


def test_a_different_message_reusing_a_message_id_is_new_and_noted_over_imap(make_app, imap, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)
    app = make_app(source={"kind": "imap", "imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
                                                    "password_env": "TEST_IMAP_PASSWORD"}})

    def source() -> ImapSource:
        return ImapSource(app.settings.source.imap, account="test")

    original = mails.affiliation(msgid="<same@koping.se>")
    imap.append(original)
    assert poll_once(app, source()).stored == 1

    imposter = org_mail("<same@koping.se>", "Sala kommun", "Elin Sjöberg", "elin.sjoberg@sala.se")
    imap.append(imposter)
    imap.append(original)  # the very same bytes again: a duplicate
    report = poll_once(app, source())

    assert (report.fetched, report.stored, report.duplicates, report.processed) == (2, 1, 1, 1)
    with app.sessions() as session:
        first, second = session.scalars(select(Message).order_by(Message.id)).all()
        assert first.message_id == second.message_id == "<same@koping.se>"
        assert (app.data_dir / second.raw_path).read_bytes().replace(b"\r\n", b"\n") == imposter  # the body was downloaded
        assert second.status is MessageStatus.PROCESSED and second.case_id is not None
        event = session.scalars(select(Event).where(Event.action == "message_id_reused")).one()
        assert event.message_pk == second.id and event.data["earlier_message"] == first.id
        assert f"message {first.id}" in event.detail
        assert session.scalar(select(func.count()).select_from(MessageLocation).where(MessageLocation.message_pk == first.id)) == 2


def test_a_reused_message_id_in_a_folder_of_files_is_stored_too(make_app, tmp_path):
    app = make_app()
    folder = tmp_path / "mail"
    folder.mkdir()
    original = mails.affiliation(msgid="<twice@koping.se>")
    (folder / "1.eml").write_bytes(original)
    (folder / "2.eml").write_bytes(mails.affiliation(msgid="<twice@koping.se>", sender="eva.berg@koping.se"))
    (folder / "3.eml").write_bytes(original)  # the same bytes again
    report = poll_once(app, DirectorySource(folder))
    assert (report.stored, report.duplicates) == (2, 1)
    assert count(app, Event, Event.action == "message_id_reused") == 1
