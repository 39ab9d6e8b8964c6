"""A real SMTP server (aiosmtpd) on loopback that records what it accepted."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.servers.dovecot import free_port


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: email.message.EmailMessage


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        if address.lower() in self.server.reject_recipients:
            return "550 5.1.1 User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        if self.server.tempfail_next > 0:
            self.server.tempfail_next -= 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.server.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, message))
        return "250 Message accepted"


class _OAuthHandler(_Handler):
    """Adds SASL XOAUTH2 (as Exchange Online offers it): accepts `user` with exactly the server's oauth_token."""

    async def auth_XOAUTH2(self, server, args):
        try:
            blob = base64.b64decode(args[1], validate=True) if len(args) > 1 else await server.challenge_auth("")
            fields = dict(part.split("=", 1) for part in blob.decode().split("\x01") if "=" in part)
        except (binascii.Error, UnicodeDecodeError, ValueError, AttributeError):  # AttributeError: the client aborted
            return AuthResult(success=False, handled=False, message="501 5.5.2 Cannot decode the XOAUTH2 response")
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        if user == self.server.user and token == self.server.oauth_token:
            self.server.oauth_logins.append(user)
            return AuthResult(success=True, auth_data=user)
        # RFC 7628 style: a 334 with the error in JSON, the client's empty answer, then the refusal.
        await server.challenge_auth(b'{"status":"401","schemes":"bearer","scope":"https://outlook.office365.com/.default"}')
        return AuthResult(success=False, handled=False, message="535 5.7.3 Authentication unsuccessful")


class SmtpServer:
    host = "127.0.0.1"

    def __init__(self, user: str | None = None, password: str | None = None, *, oauth_token: str | None = None) -> None:
        self.port = free_port()
        self.user, self.password = user, password
        self.oauth_token = oauth_token  # set: AUTH XOAUTH2 for `user` with this bearer token
        self.oauth_logins: list[str] = []
        self.messages: list[ReceivedMail] = []
        self.reject_recipients: set[str] = set()
        self.tempfail_next = 0
        self.controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == self.user and auth_data.password.decode() == self.password
        return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)

    def start(self) -> SmtpServer:
        kwargs = {}
        if self.user:
            kwargs = {"authenticator": self._authenticate, "auth_require_tls": False}
        handler = _OAuthHandler(self) if self.oauth_token else _Handler(self)
        self.controller = Controller(handler, hostname=self.host, port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float = 5) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
