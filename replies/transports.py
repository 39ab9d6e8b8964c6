"""Ways a composed reply leaves: over SMTP, or as a .eml file in a folder (demo, dry runs)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from typing import Protocol

from inbox.config import Settings, SmtpConfig, secret
from inbox.errors import TransportError


@dataclass(frozen=True)
class Delivery:
    detail: str  # the server's answer, for the log
    refused: tuple[str, ...] = ()  # recipients refused for good while others were accepted


class Transport(Protocol):
    def send(self, message: EmailMessage, recipients: list[str]) -> Delivery:
        """Hand the message over. Raises TransportError when no one got it."""


class FileTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, recipients: list[str]) -> Delivery:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("/", "_") + ".eml"
        path = self.folder / name
        path.write_bytes(message.as_bytes())
        return Delivery(f"written to {path}")


class SmtpTransport:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def send(self, message: EmailMessage, recipients: list[str]) -> Delivery:
        try:
            client = self._connect()
        except (OSError, smtplib.SMTPException) as err:
            raise TransportError(f"cannot reach SMTP server {self.config.host}:{self.config.port}: {err}") from err
        try:
            return self._transaction(client, message, recipients)
        except (OSError, smtplib.SMTPException) as err:  # before DATA: nothing was handed over
            raise TransportError(f"SMTP conversation failed before the message was sent: {err}") from err
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        context = ssl.create_default_context(cafile=str(cfg.cafile) if cfg.cafile else None)
        if cfg.tls == "ssl":
            client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_seconds, context=context)
        else:
            client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
        client.ehlo()
        if cfg.tls == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if cfg.user:
            password = secret(cfg.password_env)
            if password is None:
                raise TransportError(f"no SMTP password: set the environment variable {cfg.password_env}", permanent=True)
            client.login(cfg.user, password)
        return client

    def _transaction(self, client: smtplib.SMTP, message: EmailMessage, recipients: list[str]) -> Delivery:
        # Step by step rather than sendmail(), so we know whether the data had left when it failed.
        utf8 = client.has_extn("smtputf8")
        code, reply = client.mail(self.config.sender_address, ["SMTPUTF8"] if utf8 and not _ascii(recipients) else [])
        _check(code, reply, "MAIL FROM")
        accepted, refused = [], []
        for rcpt in recipients:
            if not utf8 and not _ascii([rcpt]):
                refused.append((rcpt, "a non-ASCII address and the server does not offer SMTPUTF8"))
                continue
            code, reply = client.rcpt(rcpt)
            if code in (250, 251):
                accepted.append(rcpt)
            elif code >= 500:  # this address is wrong for good; the others may still get it
                refused.append((rcpt, f"{code} {_text(reply)}"))
            else:  # 4xx: try again later for everyone, so no one is left out
                _check(code, reply, f"RCPT TO {rcpt}")
        if not accepted:
            raise TransportError("every recipient was refused: " + "; ".join(f"{r}: {why}" for r, why in refused), permanent=True)
        try:
            code, reply = client.data(message.as_bytes(policy=SMTP_POLICY))
        except smtplib.SMTPDataError as err:
            raise TransportError(f"DATA refused: {err.smtp_code} {_text(err.smtp_error)}", permanent=err.smtp_code >= 500) from err
        except (OSError, smtplib.SMTPServerDisconnected) as err:
            raise TransportError(f"connection lost during DATA: {err}", uncertain=True) from err
        if code != 250:  # smtplib only raises for a refused DATA command, not for a refused message
            raise TransportError(f"message refused: {code} {_text(reply)}", permanent=code >= 500)
        detail = f"{code} {_text(reply)}" + "".join(f"; refused {r}: {why}" for r, why in refused)
        return Delivery(detail, tuple(r for r, _ in refused))


def _ascii(addresses: list[str]) -> bool:
    return all(address.isascii() for address in addresses)


def _check(code: int, reply: bytes, step: str) -> None:
    if code >= 400:
        raise TransportError(f"{step}: {code} {_text(reply)}", permanent=code >= 500)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def make_transport(settings: Settings) -> Transport:
    smtp = settings.smtp
    if smtp.transport == "smtp":
        return SmtpTransport(smtp)
    return FileTransport(settings.path(smtp.outbox_dir))
