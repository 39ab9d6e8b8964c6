"""Ways a composed reply leaves: over SMTP, through Microsoft Graph (replies/graph.py), or as a .eml file in a folder (demo, dry runs).

A failure says whose problem it is (TransportError.kind): the environment's (the service cannot
send anything: fix the configuration or wait for the server), the message's (this reply or
its recipients were refused), or uncertain (the data left but no answer came back).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from inbox.config import Settings, SmtpConfig, secret
from inbox.errors import TransportError
from mailauth.login import smtp_use
from mailauth.microsoft import access_token, graph_mailbox, refusal_hint
from mailauth.tokens import TokenError, xoauth2
from replies.compose import wire_bytes
from replies.smtp_replies import environment_reply

if TYPE_CHECKING:  # the context is built above the services; they only read it
    from inbox.context import AppContext

ENVIRONMENT = TransportError.ENVIRONMENT


@dataclass(frozen=True)
class Delivery:
    detail: str  # the server's answer, for the log
    refused: tuple[str, ...] = ()  # recipients refused for good while others were accepted
    data: bytes = b""  # the exact bytes handed over (for the sent copy)


class Transport(Protocol):
    def send(self, message: EmailMessage, recipients: list[str]) -> Delivery:
        """Hand the message over. Raises TransportError when no one got it."""


class FileTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, recipients: list[str]) -> Delivery:
        name = message["Message-ID"].strip("<>").replace("/", "_") + ".eml"
        path = self.folder / name
        data = wire_bytes(message, linesep="\n")  # a file on disk: Unix line ends
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as err:  # a full or read-only disk is the service's problem, not the reply's
            raise TransportError(f"cannot write the reply to {path}: {err.strerror or err}: check [smtp] outbox_dir and the disk",
                                 kind=ENVIRONMENT) from err
        return Delivery(f"written to {path}", data=data)


class SmtpTransport:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    @property
    def where(self) -> str:
        return f"{self.config.host}:{self.config.port}"

    def send(self, message: EmailMessage, recipients: list[str]) -> Delivery:
        client = self._open()
        try:
            return self._transaction(client, message, recipients)
        except smtplib.SMTPResponseException as err:  # 421 and the like in the middle of a conversation
            raise TransportError(f"SMTP server {self.where} broke off: {err.smtp_code} {_text(err.smtp_error)}", kind=ENVIRONMENT) from err
        except (OSError, smtplib.SMTPException) as err:  # before DATA: nothing was handed over
            raise TransportError(f"SMTP server {self.where} stopped answering before the message was sent: {err}", kind=ENVIRONMENT) from err
        finally:
            _close(client)

    # -- connection: every failure here is the environment's ---------------------------
    def _open(self) -> smtplib.SMTP:
        cfg = self.config
        if not cfg.host:
            raise TransportError("[smtp] host is empty: set the SMTP server in the config file", kind=ENVIRONMENT)
        credential = self._credential()  # before connecting: a missing secret is not the server's fault
        try:
            client = self._connect()
        except (OSError, smtplib.SMTPException, UnicodeError) as err:  # UnicodeError: a host name IDNA cannot encode
            raise TransportError(self._connect_failure(err), kind=ENVIRONMENT) from err
        if credential is None:
            return client
        if cfg.auth == "microsoft":
            self._login_xoauth2(client, credential)
        else:
            self._login(client, credential)
        return client

    def _credential(self) -> str | None:
        """The password, or the Entra ID app's token (auth = "microsoft"); None when there is no [smtp] user."""
        cfg = self.config
        if cfg.auth == "microsoft":  # the config requires a user with it
            try:
                return access_token(smtp_use(cfg, cfg.user))
            except TokenError as err:
                raise TransportError(str(err), kind=ENVIRONMENT) from err
        password = secret(cfg.password_env) if cfg.user else None
        if cfg.user and password is None:
            raise TransportError(f"no SMTP password for {cfg.user}: set the environment variable {cfg.password_env} "
                                 "([smtp] password_env)", kind=ENVIRONMENT)
        return password

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        context = ssl.create_default_context(cafile=str(cfg.cafile) if cfg.cafile else None)
        client: smtplib.SMTP
        if cfg.tls == "ssl":
            client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_seconds, context=context)
        else:
            client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
        try:
            client.ehlo()
            if cfg.tls == "starttls":
                client.starttls(context=context)
                client.ehlo()
        except (OSError, smtplib.SMTPException):
            client.close()
            raise
        return client

    def _connect_failure(self, err: Exception) -> str:
        """One line that names the key to check."""
        cfg, where = self.config, self.where
        if isinstance(err, socket.gaierror):
            return f"SMTP server {cfg.host!r} not found (DNS: {err.strerror}): check [smtp] host"
        if isinstance(err, ConnectionRefusedError):
            return f"SMTP server {where} refused the connection: check [smtp] host and port, and that the server runs"
        if isinstance(err, (TimeoutError, socket.timeout)):
            return f"SMTP server {where} did not answer within {cfg.timeout_seconds:g} s: check [smtp] host and port, and the network"
        if isinstance(err, ssl.SSLError):
            reason = getattr(err, "verify_message", None) or err.reason or err
            return f"TLS with SMTP server {where} failed ({reason}): check [smtp] tls, port and cafile"
        if isinstance(err, smtplib.SMTPNotSupportedError):
            return f"SMTP server {where} does not offer STARTTLS: check [smtp] tls and port"
        if isinstance(err, smtplib.SMTPResponseException):
            return f"SMTP server {where} turned us away: {err.smtp_code} {_text(err.smtp_error)}"
        return f"cannot reach SMTP server {where}: {err}: check [smtp] host and port"

    def _login(self, client: smtplib.SMTP, password: str) -> None:
        cfg = self.config
        try:
            client.login(cfg.user, password)
        except smtplib.SMTPAuthenticationError as err:
            _close(client)
            raise TransportError(f"SMTP login refused by {self.where}: check [smtp] user and the environment variable "
                                 f"{cfg.password_env} ({err.smtp_code} {_text(err.smtp_error)})", kind=ENVIRONMENT) from err
        except smtplib.SMTPNotSupportedError as err:
            _close(client)
            raise TransportError(f"SMTP server {self.where} offers no login here: check [smtp] tls "
                                 "(most servers offer AUTH only after STARTTLS) and user", kind=ENVIRONMENT) from err
        except (OSError, smtplib.SMTPException) as err:
            _close(client)
            raise TransportError(f"SMTP login at {self.where} failed: {err}", kind=ENVIRONMENT) from err

    def _login_xoauth2(self, client: smtplib.SMTP, token: str) -> None:
        """SMTP AUTH XOAUTH2 (Exchange Online: SMTP.SendAsApp). A refusal comes as 535, or as a 334 carrying
        an error the client answers with an empty line before the 535 (RFC 7628's way, which smtplib follows)."""
        offered = str(client.esmtp_features.get("auth", "")).upper().split()
        if "XOAUTH2" not in offered:
            _close(client)
            raise TransportError(f"SMTP server {self.where} offers no AUTH XOAUTH2 here (offers: {' '.join(offered) or 'none'}): "
                                 "check [smtp] host, port and tls (Exchange Online: smtp.office365.com, 587, starttls)", kind=ENVIRONMENT)
        initial = xoauth2(self.config.user, token)

        def respond(challenge: bytes | None = None) -> str:
            return initial if challenge is None else ""

        try:
            client.auth("XOAUTH2", respond)
        except smtplib.SMTPAuthenticationError as err:
            _close(client)
            hint = refusal_hint(smtp_use(self.config, self.config.user), token)
            raise TransportError(f"SMTP server {self.where} refused the app's token for {self.config.user}: "
                                 f"{err.smtp_code} {_text(err.smtp_error)}; {hint}", kind=ENVIRONMENT) from err
        except (OSError, smtplib.SMTPException) as err:
            _close(client)
            raise TransportError(f"SMTP login at {self.where} failed: {err}", kind=ENVIRONMENT) from err

    # -- the transaction: refusals of this message or its recipients ----------------------
    def _transaction(self, client: smtplib.SMTP, message: EmailMessage, recipients: list[str]) -> Delivery:
        # Step by step rather than sendmail(), so we know whether the data had left when it failed.
        utf8 = client.has_extn("smtputf8")
        code, reply = client.mail(self.config.sender_address, ["SMTPUTF8"] if utf8 and not _ascii(recipients) else [])
        if code >= 400:  # every message would get this answer: our sender address or the server
            hint = environment_reply(code, reply) or ("check [smtp] sender_address and user" if code >= 500 else "the server is busy")
            raise TransportError(f"SMTP server {self.where} refused our sender {self.config.sender_address}: {code} {_text(reply)}: {hint}",
                                 kind=ENVIRONMENT)
        accepted, refused = self._recipients(client, recipients, utf8)
        if not accepted:
            raise TransportError("every recipient was refused: " + "; ".join(f"{r}: {why}" for r, why in refused),
                                 permanent=True, refused=tuple(r for r, _ in refused))
        data = wire_bytes(message)
        code, answer = self._data(client, data)
        detail = f"{code} {_text(answer)}" + "".join(f"; refused {r}: {why}" for r, why in refused)
        return Delivery(detail, tuple(r for r, _ in refused), data)

    def _recipients(self, client: smtplib.SMTP, recipients: list[str], utf8: bool) -> tuple[list[str], list[tuple[str, str]]]:
        accepted, refused = [], []
        for rcpt in recipients:
            if not utf8 and not _ascii([rcpt]):
                refused.append((rcpt, "a non-ASCII address and the server does not offer SMTPUTF8"))
                continue
            code, reply = client.rcpt(rcpt)
            if code in (250, 251):
                accepted.append(rcpt)
            elif hint := environment_reply(code, reply):
                raise TransportError(f"SMTP server {self.where} refused RCPT TO {rcpt}: {code} {_text(reply)}: {hint}", kind=ENVIRONMENT)
            elif code >= 500:  # this address is wrong for good; the others may still get it
                refused.append((rcpt, f"{code} {_text(reply)}"))
            else:  # 4xx (greylisting, a full mailbox): try again later for everyone, so no one is left out
                raise TransportError(f"RCPT TO {rcpt}: {code} {_text(reply)}")
        return accepted, refused

    def _data(self, client: smtplib.SMTP, data: bytes) -> tuple[int, bytes | str]:
        reply: bytes | str  # SMTPResponseException.smtp_error may be either
        try:
            code, reply = client.data(data)
        except smtplib.SMTPDataError as err:  # the DATA command itself was refused: nothing left
            code, reply = err.smtp_code, err.smtp_error
        except (OSError, smtplib.SMTPServerDisconnected) as err:
            raise TransportError(f"connection to {self.where} lost during DATA: {err}", kind=TransportError.UNCERTAIN) from err
        if code == 250:
            return code, reply
        if hint := environment_reply(code, reply):  # smtplib raises only for a refused DATA command, not a refused message
            raise TransportError(f"SMTP server {self.where} refused the message: {code} {_text(reply)}: {hint}", kind=ENVIRONMENT)
        raise TransportError(f"message refused: {code} {_text(reply)}", permanent=code >= 500)


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


def _ascii(addresses: list[str]) -> bool:
    return all(address.isascii() for address in addresses)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def make_transport(settings: Settings) -> Transport:
    smtp = settings.smtp
    if smtp.transport == "smtp":
        return SmtpTransport(smtp)
    if smtp.transport == "graph":
        from replies.graph import GraphTransport  # here, not above: replies.graph takes Delivery from this module

        return GraphTransport(smtp, mailbox=graph_mailbox(settings))
    return FileTransport(settings.path(smtp.outbox_dir))


def transport_for(ctx: AppContext) -> Transport:
    """The context's transport, built once."""
    return ctx.memo("transport", lambda: make_transport(ctx.settings))
