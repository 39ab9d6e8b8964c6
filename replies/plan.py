"""Decide which reply a case change calls for, and put it in the outbox in the same transaction.

Never answer: mail that classification blocked (lists, bulk, no-reply senders,
our own loop header), mail without a sender, or mail from our own address.
A follow-up that adds nothing gets no answer, so two robots cannot loop.
"""

from __future__ import annotations

from email.utils import make_msgid

from sqlalchemy.orm import Session

from cases.apply import CaseChange
from inbox.context import AppContext
from ingest.classify import Verdict
from ingest.message import ParsedMail
from models import Event, Message, OutgoingMail
from replies.variables import case_variables


def plan_replies(ctx: AppContext, session: Session, message: Message, mail: ParsedMail, verdict: Verdict, change: CaseChange) -> None:
    blocker = _blocker(ctx, mail, verdict)
    template = _choose_template(ctx, change)
    if template is None:
        return
    if blocker:
        session.add(Event(action="reply_suppressed", case_id=change.case.id, message_pk=message.id, detail=f"{template}: {blocker}"))
        return
    recipients = [mail.sender]
    contact = change.case.contact
    ours = ctx.settings.smtp.sender_address.lower()
    if template == "acknowledgement" and contact and contact.email and contact.email not in (mail.sender, ours):
        recipients.append(contact.email)
    enqueue(ctx, session, template, change, message, mail, recipients)


def _blocker(ctx: AppContext, mail: ParsedMail, verdict: Verdict) -> str | None:
    if verdict.reply_blockers:
        return "; ".join(verdict.reply_blockers)
    if not mail.sender:
        return "no sender address"
    if mail.sender == ctx.settings.smtp.sender_address.lower():
        return "sent from our own address"
    return None


def _choose_template(ctx: AppContext, change: CaseChange) -> str | None:
    replies = ctx.settings.replies
    if change.case.missing and (change.created or change.added):
        return "request_missing" if replies.request_missing else None
    if change.became_complete:
        return "acknowledgement" if replies.acknowledge else None
    return None


def enqueue(ctx: AppContext, session: Session, template: str, change: CaseChange, message: Message,
            mail: ParsedMail, recipients: list[str]) -> OutgoingMail:
    rendered = ctx.renderer.render(template, case_variables(change.case, ctx.settings))
    domain = ctx.settings.smtp.sender_address.rsplit("@", 1)[-1]
    references = " ".join([*mail.references, mail.message_id] if mail.message_id else mail.references)
    row = OutgoingMail(
        case_id=change.case.id, cause_message_pk=message.id, template=template, recipients=recipients,
        subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
        message_id=make_msgid(idstring=change.case.reference, domain=domain),
        in_reply_to=mail.message_id, references=references or None, created_at=ctx.clock(),
    )
    session.add(row)
    session.add(Event(action="reply_queued", case_id=change.case.id, message_pk=message.id, detail=f"{template} to {', '.join(recipients)}"))
    return row
