"""Each SMTP failure names whose problem it is, against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from inbox.config import Settings
from inbox.errors import TransportError
from models import OutgoingMail
from replies.compose import compose
from replies.smtp_replies import environment_reply
from replies.transports import SmtpTransport
from tests.servers.dovecot import free_port
from tests.servers.smtp import SmtpServer

ROW = OutgoingMail(recipients=["anna.lind@koping.se"], subject="Bekräftelse", body_text="Hej!", message_id="<m1@lansstyrelsen.se>",
                   created_at=datetime(2026, 3, 12, 9, 0, tzinfo=UTC), automatic=True)


@pytest.fixture
def auth_smtp():
    server = SmtpServer(user="inbox", password="right-password").start()
    yield server
    server.stop()


def failure(server_port: int, **smtp) -> TransportError:
    settings = Settings(smtp={"transport": "smtp", "host": "127.0.0.1", "port": server_port, "tls": "none", **smtp})
    with pytest.raises(TransportError) as raised:
        SmtpTransport(settings.smtp).send(compose(ROW, settings), list(ROW.recipients))
    return raised.value


def test_a_missing_password_is_the_environment_s_and_names_the_variable(auth_smtp, monkeypatch):
    monkeypatch.delenv("TEST_NO_SUCH_PASSWORD", raising=False)
    err = failure(auth_smtp.port, user="inbox", password_env="TEST_NO_SUCH_PASSWORD")
    assert err.environment and "set the environment variable TEST_NO_SUCH_PASSWORD" in str(err)
    assert auth_smtp.messages == []


def test_a_refused_login_is_the_environment_s(auth_smtp, monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    err = failure(auth_smtp.port, user="inbox", password_env="TEST_SMTP_PASSWORD")
    assert err.environment
    assert str(err).startswith(f"SMTP login refused by 127.0.0.1:{auth_smtp.port}: check [smtp] user and the environment variable TEST_SMTP_PASSWORD (535")


def test_a_closed_port_is_the_environment_s():
    err = failure(free_port())
    assert err.environment and "refused the connection: check [smtp] host and port" in str(err)


@pytest.mark.parametrize("tls, says", [("starttls", "does not offer STARTTLS: check [smtp] tls"), ("ssl", "TLS with SMTP server")])
def test_tls_trouble_is_the_environment_s(smtp_server, tls, says):
    err = failure(smtp_server.port, tls=tls, timeout_seconds=5)
    assert err.environment and says in str(err)


def test_a_refused_recipient_is_the_message_s(smtp_server):
    smtp_server.reject_recipients.add("anna.lind@koping.se")
    err = failure(smtp_server.port)
    assert (err.kind, err.permanent, err.refused) == ("message", True, ("anna.lind@koping.se",))


@pytest.mark.parametrize("code, reply, environment", [
    (550, b"5.1.1 User unknown", False),
    (554, b"5.7.1 Message rejected as spam", False),  # policy about this message
    (552, b"5.3.4 Message too big for system", True),  # X.3: the mail system
    (452, b"4.3.1 Insufficient system storage", True),
    (451, b"4.7.0 Greylisted, try again", False),
    (535, b"5.7.8 Authentication credentials invalid", True),
    (530, b"5.7.57 Client not authenticated to send mail", True),
    (554, b"5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied", True),
    (421, b"Service not available, closing channel", True),
    (550, b"Requested action not taken", False),  # no enhanced code: about this message
])
def test_enhanced_status_codes_say_whose_problem_a_refusal_is(code, reply, environment):
    assert (environment_reply(code, reply) is not None) == environment
