"""/healthz and /metrics while the worker runs: over real HTTP, on the real servers and both databases."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from inbox.config import Settings
from inbox.context import AppContext
from inbox.errors import ConfigError, InboxError
from ingest.poll import poll_once
from ingest.sources import make_source
from ops.health import health_server
from ops.metrics import set_idle_connected
from tests.integration import mails
from tests.servers.dovecot import free_port

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def get(port: int, path: str) -> tuple[int, str, str]:
    """(status, content type, body) of GET http://127.0.0.1:port/path; 503 is an answer, not an error."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode()


def samples(body: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of a Prometheus text exposition."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for family in text_string_to_metric_families(body) for s in family.samples}


@pytest.fixture
def app(make_server_app):
    return make_server_app(service={"health_port": free_port()}, limits={"isolation": "inline"}, schedule={"poll_minutes": 5})


def test_healthz_follows_the_age_of_the_last_successful_poll(app, imap, clock):
    with health_server(app) as (host, port):
        assert host == "127.0.0.1"
        status, kind, body = get(port, "/healthz")
        health = json.loads(body)
        assert (status, kind) == (200, "application/json")  # before the first poll: a grace of max_age from the start
        assert health["database"] == {"reachable": True, "error": None} and health["poll"]["last_success"] is None
        assert health["poll"]["max_age_seconds"] == 900  # 3 x poll_minutes

        clock.advance(minutes=16)  # no poll has succeeded for longer than allowed
        status, _, body = get(port, "/healthz")
        assert status == 503 and json.loads(body)["status"] == "unhealthy" and json.loads(body)["poll"]["ok"] is False

        imap.append(mails.affiliation(msgid="<health1@koping.se>"))
        poll_once(app, make_source(app.settings))
        status, _, body = get(port, "/healthz")
        poll = json.loads(body)["poll"]
        assert status == 200 and poll["age_seconds"] == 0
        assert poll["last_success"] == clock.now.astimezone(app.zone).isoformat()

        clock.advance(minutes=14)
        assert get(port, "/healthz")[0] == 200
        clock.advance(minutes=2)
        assert get(port, "/healthz")[0] == 503


def test_metrics_count_messages_quarantine_outbox_polls_and_idle(app, imap, clock):
    with health_server(app) as (_, port):
        imap.append(mails.affiliation(msgid="<metrics1@koping.se>"))
        imap.append(b"From: x@example.se\r\nSubject: hej\r\nMessage-ID: <other1@example.se>\r\n\r\nEtt annat mejl.\r\n")
        poll_once(app, make_source(app.settings))
        status, kind, body = get(port, "/metrics")
        assert status == 200 and kind.startswith("text/plain; version=")
        found = samples(body)
        assert found["inbox_database_up", ()] == 1
        assert found["inbox_messages", (("kind", "affiliation"),)] == 1
        assert found["inbox_messages", (("kind", "other"),)] == 1
        assert found["inbox_messages_quarantined", ()] == 0
        assert found["inbox_outbox", (("status", "pending"),)] >= 1  # the acknowledgement, queued by the poll
        assert found["inbox_outbox", (("status", "uncertain"),)] == 0  # every status has a series
        assert found["inbox_poll_duration_seconds_count", ()] == 1 and found["inbox_polls_total", (("outcome", "ok"),)] == 1
        assert found["inbox_last_successful_poll_timestamp_seconds", ()] == clock.now.timestamp()
        assert found["inbox_imap_idle_connected", ()] == 0

        set_idle_connected(app, True)
        assert samples(get(port, "/metrics")[2])["inbox_imap_idle_connected", ()] == 1
        set_idle_connected(app, False)
        assert samples(get(port, "/metrics")[2])["inbox_imap_idle_connected", ()] == 0


def test_a_failed_poll_is_counted_and_does_not_count_as_success(make_app, imap, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)
    app = make_app(service={"health_port": free_port()}, source={"kind": "imap", "imap": {
        "host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user, "password_env": "TEST_IMAP_PASSWORD",
        "folder": "Finns inte"}})
    with health_server(app) as (_, port):
        with pytest.raises(InboxError, match="cannot open 'Finns inte'"):
            poll_once(app, make_source(app.settings))
        found = samples(get(port, "/metrics")[2])
        assert found["inbox_polls_total", (("outcome", "failed"),)] == 1
        assert ("inbox_polls_total", (("outcome", "ok"),)) not in found
        assert found["inbox_poll_duration_seconds_count", ()] == 0
        assert json.loads(get(port, "/healthz")[2])["poll"]["last_success"] is None
        assert get(port, "/nothing")[0] == 404


def test_a_database_that_does_not_answer_is_503_and_database_up_0(tmp_path):
    closed = free_port()
    settings = Settings(service={"data_dir": str(tmp_path / "data"), "health_port": free_port()},
                        database={"url": f"postgresql+psycopg://inbox@127.0.0.1:{closed}/inbox"})
    ctx = AppContext.build(settings)
    try:
        with health_server(ctx) as (_, port):
            status, _, body = get(port, "/healthz")
            assert status == 503 and json.loads(body)["database"]["reachable"] is False
            assert "([database] url) cannot be used" in json.loads(body)["database"]["error"]
            found = samples(get(port, "/metrics")[2])
            assert found["inbox_database_up", ()] == 0 and ("inbox_messages_quarantined", ()) not in found
    finally:
        ctx.close()


def test_off_by_default_and_a_taken_port_is_a_config_error(tmp_path):
    ctx = AppContext.build(Settings(service={"data_dir": str(tmp_path / "data")}, database={"url": f"sqlite:///{tmp_path}/inbox.db"}))
    try:
        with health_server(ctx) as served:
            assert served is None
    finally:
        ctx.close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ctx = AppContext.build(Settings(service={"data_dir": str(tmp_path / "data"), "health_port": port},
                                        database={"url": f"sqlite:///{tmp_path}/inbox.db"}))
        try:
            with pytest.raises(ConfigError, match=rf"\[service\] health_host, health_port: cannot listen on 127.0.0.1:{port}: "
                                                  "Address already in use; choose a free port"):
                with health_server(ctx):
                    pass
        finally:
            ctx.close()


@pytest.mark.slow
def test_inbox_run_serves_both_and_closes_the_port_on_sigterm(tmp_path):
    port = free_port()
    mail = tmp_path / "mail"
    mail.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[service]\nhealth_port = {port}\n[source.directory]\npath = "{mail}"\n[smtp]\noutbox_dir = "outbox"\n'
                      '[staff]\nrecipients = ["staff@lansstyrelsen.se"]\n', encoding="utf-8")
    subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "db", "upgrade"], check=True, cwd=ROOT, capture_output=True)
    log = tmp_path / "worker.log"
    with log.open("w") as sink:
        worker = subprocess.Popen([sys.executable, "-m", "cli.main", "--config", str(config), "--log-format", "json", "-v", "run"],
                                  cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            health = wait_for_first_poll(port, worker)
            assert health["status"] == "ok" and health["poll"]["last_success"] is not None
            assert samples(get(port, "/metrics")[2])["inbox_polls_total", (("outcome", "ok"),)] >= 1
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=60) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
    with pytest.raises(OSError):  # the port was closed with the worker
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
    entries = [json.loads(line) for line in log.read_text().splitlines()]  # --log-format json: every line is an object
    assert any(entry["message"].startswith("health and metrics on http://127.0.0.1:") for entry in entries)


def wait_for_first_poll(port: int, worker: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 120  # start-up imports on a busy machine, then one poll of an empty folder
    while time.monotonic() < deadline and worker.poll() is None:
        try:
            status, _, body = get(port, "/healthz")
        except OSError:
            time.sleep(0.2)
            continue
        if json.loads(body)["poll"]["last_success"] is not None:
            return json.loads(body)
        time.sleep(0.2)
    raise AssertionError(f"no successful poll seen on /healthz (worker exit code {worker.poll()})")
