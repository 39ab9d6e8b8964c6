"""Sending: connect, EHLO, STARTTLS or TLS as configured, AUTH (the transport's own code), or
for the file transport a writable outbox folder. --send-test ADDRESS sends one real mail,
composed the way every reply is."""

from __future__ import annotations

import smtplib
import uuid
from email.utils import make_msgid

from sqlalchemy.exc import SQLAlchemyError

from inbox.config import Settings
from mailauth.microsoft import graph_mailbox
from models import Event, OutgoingMail
from ops.doctor import CheckFailed, Checkup
from replies.compose import compose
from replies.transports import FileTransport, SmtpTransport, Transport, transport_for

TEST_SUBJECT = "Testmejl från inkorgen för jämställdhetsstrategin"
TEST_BODY = """Det här är ett testmejl från inkorgstjänsten för Jämställdhetsstrategi för Västmanlands län,
skickat av en administratör med `inbox doctor --send-test`.

Kom det fram fungerar utskicket. Mejlet behöver inte besvaras.

(This is a test message from the strategy inbox service, sent by `inbox doctor --send-test`.)
"""


def check_sending(checkup: Checkup) -> str:
    transport = transport_for(checkup.ctx)
    if isinstance(transport, SmtpTransport):
        found = _smtp(transport)
    elif isinstance(transport, FileTransport):
        found = _outbox_folder(checkup.settings)
    else:
        found = _graph(checkup.settings)
    if checkup.send_test:
        found += f"; {_send_test(checkup, transport, checkup.send_test)}"
    return found


def _smtp(transport: SmtpTransport) -> str:
    cfg = transport.config
    client = transport._open()  # the service's own connect, EHLO, STARTTLS/TLS and AUTH; raises TransportError
    try:
        size = int(client.esmtp_features.get("size", "0") or 0)
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    tls = {"ssl": "TLS", "starttls": "STARTTLS", "none": "no TLS"}[cfg.tls]
    auth = f"AUTH as {cfg.user}" if cfg.user else "no AUTH ([smtp] user is empty)"
    limit = f", messages up to {size / 1e6:.0f} MB" if size else ""
    return f"{cfg.host}:{cfg.port}: EHLO, {tls}, {auth}{limit}"


def _graph(settings: Settings) -> str:
    """Graph has no harmless call that Mail.Send alone allows: the sign-in is the token check's, a send is --send-test's."""
    mailbox = graph_mailbox(settings)
    return (f"[smtp] transport = \"graph\": sendMail as {mailbox} at {settings.smtp.graph_base_url}; the app's sign-in "
            "is checked under token, a send only with --send-test")


def _outbox_folder(settings: Settings) -> str:
    folder = settings.path(settings.smtp.outbox_dir)
    probe = folder / f".doctor-{uuid.uuid4().hex}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise CheckFailed(f"[smtp] outbox_dir: cannot write to {folder}: {err.strerror or err}",
                          "create the folder and let the service's user write to it, or set [smtp] outbox_dir") from err
    return f"[smtp] transport = \"file\": replies are written to {folder}, not sent (transport = \"smtp\" sends them)"


def _send_test(checkup: Checkup, transport: Transport, address: str) -> str:
    settings, now = checkup.settings, checkup.ctx.clock()
    row = OutgoingMail(template="doctor_test", automatic=False, recipients=[address], subject=TEST_SUBJECT, body_text=TEST_BODY,
                       body_html=None, message_id=make_msgid(idstring="doctor", domain=settings.smtp.sender_address.rpartition("@")[2]),
                       created_at=now)
    delivery = transport.send(compose(row, settings), [address])  # TransportError names what to fix
    _record(checkup, f"test mail {row.message_id} to {address}: {delivery.detail}")
    return f"test mail {row.message_id} sent to {address} ({delivery.detail})"


def _record(checkup: Checkup, detail: str) -> None:
    """Every mail that leaves is on record, a test too (when the database can be written)."""
    if checkup.database_file_missing:
        return
    try:
        with checkup.ctx.sessions() as session:
            session.add(Event(at=checkup.ctx.clock(), actor="doctor", action="doctor_test_mail", detail=detail[:2000]))
            session.commit()
    except SQLAlchemyError:
        pass  # the database check says why; the mail itself has left

