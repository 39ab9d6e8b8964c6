"""Decide which replies a case change calls for, and queue them in the same transaction.

Never answer: mail that classification blocked (lists, bulk, auto-replies, no-reply
senders, our own loop header), mail without a sender, or mail from our own address.
A follow-up that adds nothing gets no answer, so two robots cannot loop.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cases.apply import CaseChange
from inbox.context import AppContext
from ingest.classify import Verdict
from ingest.message import ParsedMail
from cases.lifecycle import transition
from models import CaseStatus, Event, Message
from replies.invitation import invite
from replies.outbox import Reply, enqueue


STAFF_FORWARD = "sent by the board's own staff (a forward)"


def plan_replies(ctx: AppContext, session: Session, message: Message, mail: ParsedMail, verdict: Verdict, change: CaseChange) -> None:
    templates = _choose_templates(ctx, change)
    if not templates:
        return
    if blocker := _blocker(ctx, mail, verdict):
        for template in templates:
            session.add(Event(at=ctx.clock(), action="reply_suppressed", case_id=change.case.id, message_pk=message.id, detail=f"{template}: {blocker}"))
        if blocker.startswith(STAFF_FORWARD):
            transition(session, change.case, CaseStatus.NEEDS_REVIEW, actor="system", why=blocker, at=ctx.clock(), message_pk=message.id)
        return
    for template in templates:
        if template == "invitation":
            invite(ctx, session, change.case, actor="system", cause=message, cause_references=mail.references)
        else:
            enqueue(ctx, session, Reply(template, change.case, _recipients(template, mail, change), cause=message, cause_references=mail.references))


def _blocker(ctx: AppContext, mail: ParsedMail, verdict: Verdict) -> str | None:
    if verdict.reply_blockers:
        return "; ".join(verdict.reply_blockers)
    if not mail.sender:
        return "no sender address"
    if mail.sender == ctx.settings.smtp.sender_address.lower():
        return "sent from our own address"
    if _board_domain(ctx) == mail.sender.rpartition("@")[2]:
        # A colleague forwarded the organisation's mail: an automatic answer would go to the
        # colleague, not to the organisation. The case is registered; a person answers.
        return f"{STAFF_FORWARD}; a person answers"
    return None


def _board_domain(ctx: AppContext) -> str:
    return ctx.settings.smtp.sender_address.rpartition("@")[2].lower()


def _choose_templates(ctx: AppContext, change: CaseChange) -> list[str]:
    replies = ctx.settings.replies
    if change.case.missing and (change.created or change.added):
        return ["request_missing"] if replies.request_missing else []
    if not change.became_complete:
        return []
    chosen = ["acknowledgement"] if replies.acknowledge else []
    return chosen + (["invitation"] if replies.invitation == "auto" else [])


def _recipients(template: str, mail: ParsedMail, change: CaseChange) -> list[str]:
    """The sender; the acknowledgement also goes to the contact person when that is someone else."""
    contact = change.case.contact
    extra = [contact.email] if template == "acknowledgement" and contact and contact.email else []
    return [mail.sender, *extra]
