"""Turn an outbox row into the exact e-mail that leaves the building."""

from __future__ import annotations

import re
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from inbox.config import Settings
from models import OutgoingMail

LOOP_HEADER = "X-Strategy-Inbox-Loop"
# CPython refolds any raw header line longer than 78 characters, and its folder writes an
# identifier it cannot break as an RFC 2047 encoded word (=?utf-8?q?=3CGV3P...), which no mail
# program threads on. The identifier headers are therefore stored folded by hand (below) and
# the message is written with refolding off. RFC 5322 allows lines up to 998 characters.
WIRE_POLICY = SMTP.clone(refold_source="none")
MAX_LINE = 998
_ID_CHARS = re.compile(r"<[!-;=?-~]+>")  # "<", printable ASCII without "<", ">" or space, ">"


def compose(row: OutgoingMail, settings: Settings) -> EmailMessage:
    smtp = settings.smtp
    msg = EmailMessage()
    user, _, domain = smtp.sender_address.partition("@")
    msg["From"] = Address(display_name=smtp.sender_name, username=user, domain=domain)
    msg["To"] = ", ".join(row.recipients)
    if smtp.reply_to:
        msg["Reply-To"] = smtp.reply_to
    # Encoded and folded by the legacy Header class, stored as is: the modern folder drops the
    # space between "nya" and "ärenden" when a fold falls there (CPython's RFC 2047 folding bugs).
    msg.set_raw("Subject", Header(row.subject, "utf-8", header_name="Subject").encode(linesep="\n"))
    msg["Date"] = format_datetime(row.created_at)
    _set_identifiers(msg, "Message-ID", row.message_id, limit=1)
    _set_identifiers(msg, "In-Reply-To", row.in_reply_to, limit=1)
    _set_identifiers(msg, "References", row.references)
    # RFC 3834: an automatic answer to a message is auto-replied, anything else the service
    # sends by itself (digest, reminder) auto-generated; mail a person asked for (a booking)
    # carries none. Others' robots are asked not to answer any of it.
    if row.automatic:
        msg["Auto-Submitted"] = "auto-replied" if row.in_reply_to else "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg[LOOP_HEADER] = settings.service.loop_token
    msg.set_content(row.body_text)
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    _attach(msg, row)
    return msg


def wire_bytes(message: EmailMessage, *, linesep: str = "\r\n") -> bytes:
    """The bytes that leave: identifier headers as folded by hand, never re-encoded."""
    return message.as_bytes(policy=WIRE_POLICY.clone(linesep=linesep))


def identifiers(value: str | None) -> list[str]:
    """The well-formed message identifiers in `value`, in order, each once.

    The IDs come from others' mail: anything that is not one printable-ASCII `<...>` token
    short enough for one header line is left out rather than encoded or cut.
    """
    found = _ID_CHARS.findall(value or "")
    return [i for i in dict.fromkeys(found) if len("References: ") + len(i) <= MAX_LINE]


def _set_identifiers(msg: EmailMessage, name: str, value: str | None, *, limit: int | None = None) -> None:
    """One ID per line, folded at the space between IDs (RFC 5322 3.6.4), plain ASCII."""
    ids = identifiers(value)[:limit]
    if ids:
        msg.set_raw(name, "\n ".join(ids))


def _attach(msg: EmailMessage, row: OutgoingMail) -> None:
    """Inline parts (with a Content-ID) go beside the HTML in multipart/related; the rest are attachments."""
    html = msg.get_body(("html",)) if row.body_html else None
    for part in row.attachments:
        maintype, _, rest = part.content_type.partition("/")
        subtype, *params = [p.strip() for p in rest.split(";")]
        extra = dict(p.split("=", 1) for p in params if "=" in p)
        if part.content_id and html is not None:
            html.add_related(part.content, maintype, subtype, cid=f"<{part.content_id}>", filename=part.filename, disposition="inline")
        elif maintype == "text":
            msg.add_attachment(part.content.decode("utf-8"), subtype=subtype, filename=part.filename, params=extra)
        else:
            msg.add_attachment(part.content, maintype, subtype, filename=part.filename, params=extra)
