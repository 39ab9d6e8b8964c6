"""Push: `inbox run` listens with IMAP IDLE and answers new mail without waiting for the interval poll.

Real Dovecot, a real SMTP server (aiosmtpd), real `inbox run` processes. The IDLE listener's
renewal, reconnection and fallback are watched on the wire through the counting relay of
test_idle_poll. Nothing here is timed: the tests wait (generously) for what must happen.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from ingest.push import IdleWatcher, PollTrigger
from models import JobRun
from ops.metrics import metrics_for
from tests.integration import mails
from tests.integration.test_idle_poll import ImapRelay, app_on

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
ANNA = "anna.lind@koping.se"


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:g} s for {what}")
        time.sleep(0.05)


def write_config(tmp_path: Path, database_url: str, imap, smtp_server, **schedule) -> Path:
    config = tmp_path / "config.toml"
    keys = "".join(f"{key} = {value}\n" for key, value in {"poll_minutes": 60, **schedule}.items())
    config.write_text(
        f'[service]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[database]\nurl = "{database_url}"\n'
        f'[source]\nkind = "imap"\naccount = "test"\n'
        f'[source.imap]\nhost = "{imap.host}"\nport = {imap.imap_port}\ntls = "none"\nuser = "{imap.user}"\n'
        f'password_env = "TEST_IMAP_PASSWORD"\n'
        f'[smtp]\ntransport = "smtp"\nhost = "{smtp_server.host}"\nport = {smtp_server.port}\ntls = "none"\n'
        f'[staff]\nrecipients = ["registrator@lansstyrelsen.se"]\n'
        f"[schedule]\n{keys}",
        encoding="utf-8",
    )
    return config


def start_worker(config: Path, log: Path, password: str) -> subprocess.Popen:
    env = {**os.environ, "TEST_IMAP_PASSWORD": password, "PYTHONUNBUFFERED": "1"}
    with log.open("a") as sink:
        return subprocess.Popen([sys.executable, "-m", "cli.main", "--config", str(config), "-v", "run"],
                                cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)


def stop_worker(worker: subprocess.Popen) -> int:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            return worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
    return worker.wait()


def replies_to(smtp_server, address: str) -> list:
    return [mail for mail in smtp_server.messages if address in mail.rcpt_tos]


def test_new_mail_is_answered_through_idle_long_before_the_interval_poll(make_app, imap, smtp_server, tmp_path, database_url):
    app = make_app()  # the schema
    config = write_config(tmp_path, database_url, imap, smtp_server)  # the interval poll: once an hour
    log = tmp_path / "worker.log"
    worker = start_worker(config, log, imap.password)
    try:
        wait_for(lambda: "IMAP IDLE: listening" in log.read_text() or worker.poll() is not None, 120, "the IDLE listener")
        assert worker.poll() is None, log.read_text()
        imap.append(mails.affiliation(msgid="<push1@koping.se>", sender=ANNA))
        wait_for(lambda: replies_to(smtp_server, ANNA) or worker.poll() is not None, 120, "the acknowledgement")
        assert replies_to(smtp_server, ANNA), log.read_text()
    finally:
        assert stop_worker(worker) == 0, log.read_text()
    text = log.read_text()
    assert "Traceback" not in text and "scheduler stopped" in text
    with app.sessions() as session:
        polls = session.scalars(select(JobRun).where(JobRun.job == "poll", JobRun.ok.is_(True))).all()
    assert 2 <= len(polls) <= 4  # the one at start, then the ones IDLE asked for; none of the hourly ones
    replies = replies_to(smtp_server, ANNA)  # the acknowledgement, and the invitation to a dialogue meeting
    assert [str(mail.message["Subject"]).split(":")[0] for mail in replies] == ["Bekräftelse", "Inbjudan till dialogmöte"]
    assert {mail.message["In-Reply-To"] for mail in replies} == {"<push1@koping.se>"}


@pytest.fixture
def relay(imap):
    relay = ImapRelay((imap.host, imap.imap_port))
    yield relay
    relay.close()


def idle_gauge(app) -> float | None:
    return metrics_for(app).registry.get_sample_value("inbox_imap_idle_connected")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_idle_is_renewed_a_dropped_connection_comes_back_and_new_mail_is_heard(make_app, imap, relay, monkeypatch):
    app = app_on(make_app, imap, relay, "INBOX", monkeypatch, idle_renew_minutes=0.02)  # renewed every 1.2 s
    heard = threading.Event()
    watcher = IdleWatcher(app, heard.set)
    watcher.start()
    try:
        wait_for(lambda: relay.wire.commands.count("IDLE") >= 3, 30, "two renewals")
        assert relay.wire.commands[:3] == ["LOGIN", "EXAMINE", "IDLE"]  # listening changes nothing in the folder
        assert idle_gauge(app) == 1
        wait_for(heard.is_set, 10, "the poll asked for at connect")
        heard.clear()

        relay.drop()  # the network, or the server, ends the connection
        wait_for(lambda: relay.wire.commands.count("LOGIN") == 2, 30, "a new connection")
        wait_for(heard.is_set, 10, "the poll a new connection asks for")  # for what arrived meanwhile
        heard.clear()
        wait_for(lambda: relay.wire.commands[-1] == "IDLE", 10, "IDLE again")

        imap.append(mails.affiliation(msgid="<idle2@koping.se>"))
        wait_for(heard.is_set, 30, "EXISTS")
    finally:
        watcher.stop()
    assert idle_gauge(app) == 0
    assert relay.wire.commands[-1] == "LOGOUT"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_server_without_idle_leaves_the_interval_poll_alone(make_app, imap, relay, monkeypatch, caplog):
    relay.hide_capability(b"IDLE")
    app = app_on(make_app, imap, relay, "INBOX", monkeypatch)
    heard = threading.Event()
    watcher = IdleWatcher(app, heard.set)
    watcher.start()
    wait_for(lambda: not watcher._thread.is_alive(), 30, "the listener to give up")
    assert "IDLE" not in relay.wire.commands and relay.wire.commands[-1] == "LOGOUT"
    assert "does not offer IDLE; new mail is read every 5 minutes" in caplog.text
    assert not heard.is_set() and idle_gauge(app) == 0


def test_a_request_during_a_poll_runs_one_more_poll_and_wakes_nobody():
    trigger = PollTrigger()
    wakes, polls = [], []
    trigger.wake = lambda: wakes.append(1)

    def poll():
        polls.append(1)
        if len(polls) == 1:
            trigger.request()  # EXISTS while the first poll runs
            trigger.request()

    trigger.run(poll)
    assert (len(polls), len(wakes)) == (2, 0)

    trigger.request()
    trigger.request()  # the poll job was woken and has not started yet: once is enough
    assert len(wakes) == 1
    trigger.run(poll)
    assert len(polls) == 3
    trigger.request()
    assert len(wakes) == 2
