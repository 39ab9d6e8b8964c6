"""Turn an outbox row into the exact e-mail that leaves the building."""

from __future__ import annotations

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
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(row.created_at)
    msg["Message-ID"] = row.message_id
    if row.in_reply_to:
        msg["In-Reply-To"] = row.in_reply_to
    if row.references:
        msg["References"] = row.references
    # RFC 3834: we are an automatic responder; ask others' robots not to answer us.
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    msg[LOOP_HEADER] = settings.service.loop_token
    msg.set_content(row.body_text)
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    return msg
