"""`inbox doctor` on real servers: a healthy setup passes every check (exit 0); each broken one
shows its ✗ line with what to change, and the exit code is 1.

Dovecot, an SMTP server with AUTH (aiosmtpd) and both databases are real; a missing Swedish
language for Tesseract is a script of that name earlier on the PATH.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from inbox.config import load_settings
from inbox.context import AppContext
from inbox.db import upgrade
from mailauth.login import MAIL_SCOPE
from models import Event
from ops.checks.sending import TEST_SUBJECT
from tests.servers.dovecot import DovecotServer, free_port
from tests.servers.microsoft import TokenServer, fake_jwt
from tests.servers.smtp import SmtpServer

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SMTP_USER, SMTP_PASSWORD = "vastmanland@lansstyrelsen.se", "smtp-secret"
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the database plays no part


@pytest.fixture
def smtp_auth():
    server = SmtpServer(user=SMTP_USER, password=SMTP_PASSWORD).start()
    yield server
    server.stop()


@pytest.fixture
def setup(tmp_path, database_url, imap, smtp_auth):
    """A healthy installation: its config file, on the real servers, with the schema at the newest migration."""
    return Installation(tmp_path, database_url, imap, smtp_auth)


class Installation:
    def __init__(self, tmp_path: Path, database_url: str, imap: DovecotServer, smtp: SmtpServer, *, revision: str = "head") -> None:
        self.tmp_path, self.database_url = tmp_path, database_url
        self.env = {"TEST_IMAP_PASSWORD": imap.password, "TEST_SMTP_PASSWORD": SMTP_PASSWORD}
        self.sections: dict[str, dict] = {
            "service": {"data_dir": str(tmp_path / "data")},
            "database": {"url": database_url},
            "source": {"kind": "imap"},
            "source.imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
                            "password_env": "TEST_IMAP_PASSWORD", "timeout_seconds": 10},
            "smtp": {"transport": "smtp", "host": smtp.host, "port": smtp.port, "tls": "none", "user": SMTP_USER,
                     "password_env": "TEST_SMTP_PASSWORD", "timeout_seconds": 10},
            "staff": {"recipients": ["jamstalldhet@lansstyrelsen.se"]},
        }
        self.migrate(revision)

    @property
    def config(self) -> Path:
        path = self.tmp_path / "config.toml"
        path.write_text("".join(f"[{name}]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in keys.items())
                                for name, keys in self.sections.items()), encoding="utf-8")
        return path

    def migrate(self, revision: str) -> None:
        ctx = AppContext.build(load_settings(self.config))
        try:
            upgrade(ctx.engine, revision)
        finally:
            ctx.close()

    def doctor(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(self.config), "doctor", "--min-free-mb", "1", *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=180, env={**os.environ, **self.env, **(env or {})})
        assert "Traceback" not in done.stderr, done.stderr
        print(done.stdout)  # the report the lead records: pytest -s shows it
        return done


def failed(done: subprocess.CompletedProcess, name: str) -> tuple[str, str]:
    """The ✗ line of check `name` and its fix line; the run failed with exit code 1 and only that check failed."""
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    crosses = [line for line in lines if line.startswith("✗")]
    assert len(crosses) == 1 and crosses[0].split()[1] == name, done.stdout
    index = lines.index(crosses[0])
    fix = lines[index + 1].strip()
    assert fix.startswith("fix: "), done.stdout
    return crosses[0], fix.removeprefix("fix: ")


def test_a_healthy_setup_passes_every_check_and_a_test_mail_is_sent(setup, smtp_auth):
    done = setup.doctor("--send-test", "admin@lansstyrelsen.se")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    names = [line.split()[1] for line in lines if line[:1] in "✓✗"]
    assert names == ["config", "database", "token", "mailbox", "sending", "tesseract", "templates", "strategy", "disk",
                     "timezone", "clock"]
    assert all(line.startswith("✓") for line in lines[:-1]) and lines[-1] == "all 11 checks passed"
    strategy = next(line for line in lines if line.split()[1] == "strategy")
    assert "3 problem areas under 6 sub-goals" in strategy and "12 of the strategy's 15 areas are not listed yet" in strategy
    assert "fix:" not in done.stdout
    mailbox = next(line for line in lines if line.split()[1] == "mailbox")
    assert "UIDVALIDITY" in mailbox and "0 message(s)" in mailbox and "IDLE offered" in mailbox
    assert f"AUTH as {SMTP_USER}" in done.stdout
    assert "schema at 0" in done.stdout and "(the newest)" in done.stdout
    # The test mail left through the normal compose path, from the board's address, and is on record.
    smtp_auth.wait_for(1)
    (mail,) = smtp_auth.messages
    assert mail.rcpt_tos == ["admin@lansstyrelsen.se"] and str(mail.message["Subject"]) == TEST_SUBJECT
    assert "vastmanland@lansstyrelsen.se" in str(mail.message["From"]) and mail.message["Auto-Submitted"] is None
    ctx = AppContext.build(load_settings(setup.config))
    try:
        with ctx.sessions() as session:
            assert session.scalar(select(Event.detail).where(Event.action == "doctor_test_mail")).startswith("test mail <")
    finally:
        ctx.close()


def test_without_send_test_nothing_is_sent_and_json_lists_every_check(setup, smtp_auth):
    done = setup.doctor("--json")
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"] is True and report["config"] == str(setup.config)
    assert [check["name"] for check in report["checks"]][:2] == ["config", "database"]
    assert all(check["ok"] and check["fix"] is None for check in report["checks"])
    assert smtp_auth.messages == []


def test_a_database_with_migrations_missing(tmp_path, database_url, imap, smtp_auth):
    installation = Installation(tmp_path, database_url, imap, smtp_auth, revision="0002")  # taken only this far
    line, fix = failed(installation.doctor(), "database")
    assert "the schema is at 0002, this version needs 0" in line
    assert fix == "run `inbox db upgrade` (with the same --config) before `inbox run`"


@sqlite_only
def test_a_wrong_imap_password(setup, tmp_path):
    # A Dovecot of its own: after a refused login Dovecot slows the next logins from the address.
    dovecot = DovecotServer().start()
    try:
        setup.sections["source.imap"].update(port=dovecot.imap_port, user=dovecot.user)
        line, fix = failed(setup.doctor(env={"TEST_IMAP_PASSWORD": "wrong"}), "mailbox")
    finally:
        dovecot.stop()
    assert f"[source.imap] user: {dovecot.host} refused the login of '{dovecot.user}'" in line and "Authentication failed" in line
    assert fix == "check user and the password in $TEST_IMAP_PASSWORD"


@sqlite_only
def test_an_unknown_folder_names_the_folders_there_are(setup, imap):
    imap.create_folder("Behandlat")
    setup.sections["source.imap"]["folder"] = "Inkorg"
    line, fix = failed(setup.doctor(), "mailbox")
    assert "[source.imap] folder: cannot open 'Inkorg' on 127.0.0.1" in line
    assert fix.startswith(f"set [source.imap] folder to one of the folders on {imap.host}: ") and "'INBOX'" in fix and "'Behandlat'" in fix


@sqlite_only
def test_the_smtp_server_down(setup):
    closed = free_port()
    setup.sections["smtp"]["port"] = closed
    line, fix = failed(setup.doctor(), "sending")
    assert f"SMTP server 127.0.0.1:{closed} refused the connection" in line
    assert fix == "check [smtp] host and port, and that the server runs"


@sqlite_only
def test_tesseract_without_swedish(setup, tmp_path):
    shadow = tmp_path / "bin"
    shadow.mkdir()
    script = shadow / "tesseract"
    script.write_text('#!/bin/sh\nprintf \'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (2):\\neng\\nosd\\n\'\n')
    script.chmod(0o755)
    line, fix = failed(setup.doctor(env={"PATH": f"{shadow}:{os.environ['PATH']}"}), "tesseract")
    assert f"{script} has no language data for swe" in line and "it has eng, osd" in line
    assert fix == "install the language data (Debian: apt-get install tesseract-ocr-swe)"


@sqlite_only
def test_a_broken_template_override(setup, tmp_path):
    override = tmp_path / "templates" / "acknowledgement"
    override.mkdir(parents=True)
    (override / "body.txt").write_text("{% extends '_base/body.txt' %}{% block body %}Hej {{ case.reference }{% endblock %}\n")
    setup.sections["replies"] = {"templates_override_dir": str(tmp_path / "templates")}
    line, fix = failed(setup.doctor(), "templates")
    assert "acknowledgement/body.txt" in line
    assert fix.startswith("correct the template named above")


@sqlite_only
def test_a_strategy_file_with_an_unknown_subgoal(setup, tmp_path):
    path = tmp_path / "strategy.toml"
    path.write_text('[[subgoals]]\ncode = "1"\nname = "Makt"\n\n[[areas]]\ncode = "vald"\nname = "Våld"\nsubgoal = "6"\n',
                    encoding="utf-8")
    setup.sections["strategy"] = {"file": str(path)}
    line, fix = failed(setup.doctor(), "strategy")
    assert f"{path}:" in line and "area 'vald': subgoal '6' is not one of the [[subgoals]] codes (1)" in line
    assert fix.startswith(f"correct {path}")


@sqlite_only
def test_too_little_free_disk(setup):
    line, fix = failed(setup.doctor("--min-free-mb", str(10**12)), "disk")
    assert "free, less than" in line and fix.startswith("free space on that disk")


def test_a_config_that_does_not_load_is_the_only_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[source.imap]\nport = 70000\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "doctor"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        f"✗ config  {config}: [source.imap] port: Input should be less than or equal to 65535 (got 70000)",
        "          fix: correct the key named above; config.toml in the project lists every key with its default",
        "0 of 1 checks passed",
    ]


# -- Exchange Online: the app's tokens (a loopback Entra ID token endpoint, Dovecot and aiosmtpd with XOAUTH2) --

TENANT, CLIENT, SECRET = "3f1c1e2a-1111-4222-8333-444455556666", "9a8b7c6d-aaaa-4bbb-8ccc-ddddeeeeffff", "Q7x8Q~the-secret-value"


@pytest.fixture
def entra():
    server = TokenServer(tenant=TENANT, client_id=CLIENT, secret=SECRET, tokens={MAIL_SCOPE: DovecotServer.password}).start()
    yield server
    server.stop()


def exchange_style(setup: Installation, entra: TokenServer, imap: DovecotServer, smtp: SmtpServer) -> None:
    """IMAP and SMTP both sign in with the Entra ID app (auth = "microsoft"), as against Exchange Online."""
    sign_in = {"auth": "microsoft", "tenant_id": TENANT, "client_id": CLIENT, "client_secret_env": "TEST_MS_SECRET",
               "authority": entra.url, "authority_cafile": str(entra.cafile)}
    setup.sections["source.imap"].update(port=imap.imap_port, user=imap.user, **sign_in)
    setup.sections["smtp"].update(port=smtp.port, user=SMTP_USER, **sign_in)
    setup.env["TEST_MS_SECRET"] = SECRET


@sqlite_only
def test_an_exchange_style_setup_checks_each_sign_in_of_the_app(setup, entra, imap):
    smtp = SmtpServer(user=SMTP_USER, oauth_token=DovecotServer.password).start()
    try:
        exchange_style(setup, entra, imap, smtp)
        done = setup.doctor()
    finally:
        smtp.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    token = next(line for line in done.stdout.splitlines() if line.split()[1] == "token")
    assert f"IMAP: app {CLIENT} signed in to tenant {TENANT} (client secret)" in token
    assert f"SMTP: app {CLIENT} signed in to tenant {TENANT} (client secret)" in token
    assert "(no TLS, Entra ID app)" in done.stdout


@sqlite_only
def test_an_app_token_without_imap_access_as_app(setup, entra):
    entra.tokens[MAIL_SCOPE] = fake_jwt(aud="https://outlook.office365.com", roles=["SMTP.SendAsApp"])
    dovecot = DovecotServer().start()  # of its own: it refuses the token, and a refusal slows the next logins
    smtp = SmtpServer(user=SMTP_USER, oauth_token=entra.tokens[MAIL_SCOPE]).start()
    try:
        exchange_style(setup, entra, dovecot, smtp)
        done = setup.doctor()
    finally:
        smtp.stop()
        dovecot.stop()
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    token = next(i for i, line in enumerate(lines) if line.split()[1] == "token")
    assert lines[token].startswith("✗ token") and "[source.imap] client_id: the app's token carries no IMAP.AccessAsApp" in lines[token]
    assert lines[token + 1].strip().startswith("fix: add it (API permissions, APIs my organization uses, Office 365 Exchange Online")
    assert "grant admin consent" in lines[token + 1]
    assert next(line for line in lines if line.split()[1] == "sending").startswith("✓")  # SMTP.SendAsApp is there


def test_a_database_url_that_names_no_database_is_a_config_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[database]\nurl = "postgres://inbox@db/inbox"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "doctor", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["checks"] == [{
        "name": "config", "ok": False, "detail": "[database] url: 'postgres://' is not a SQLAlchemy dialect",
        "fix": "write 'postgresql+psycopg://' instead"}]
