"""Turn an outbox row into the exact e-mail that leaves the building."""

from __future__ import annotations

from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from inbox.config import Settings
from models import OutgoingMail

LOOP_HEADER = "X-Strategy-Inbox-Loop"


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
    msg["Message-ID"] = row.message_id
    if row.in_reply_to:
        msg["In-Reply-To"] = row.in_reply_to
    if row.references:
        msg["References"] = row.references
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
