"""Decide which replies a case change calls for, and queue them in the same transaction.

Never answer: mail that classification blocked (lists, bulk, auto-replies, no-reply
senders, our own loop header, failed authentication), mail without a sender, or mail from
our own address. A follow-up from someone the case already corresponds with that adds nothing
gets no answer, so two robots cannot loop; a sender the case never heard from gets one short
receipt (`received_on_case`) saying where the mail went. A case in needs_review gets only that
receipt: a person decides what else to answer.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cases.apply import CaseChange
from cases.lifecycle import transition
from cases.trust import AUTH_FAILED
from inbox.context import AppContext
from ingest.classify import Verdict
from ingest.message import ParsedMail
from models import CaseStatus, Event, Message
from replies.invitation import invite
from replies.outbox import Reply, enqueue

STAFF_FORWARD = "sent by the board's own staff (a forward)"
RECEIPT = "received_on_case"


def plan_replies(ctx: AppContext, session: Session, message: Message, mail: ParsedMail, verdict: Verdict, change: CaseChange) -> None:
    templates = _choose_templates(ctx, change)
    blockers = _blockers(ctx, mail, verdict)
    if for_a_person := _for_a_person(blockers, templates):
        transition(session, change.case, CaseStatus.NEEDS_REVIEW, actor="system", why="; ".join(for_a_person),
                   at=ctx.clock(), message_pk=message.id)
    if not templates:
        return
    if blockers:
        for template in templates:
            session.add(Event(at=ctx.clock(), action="reply_suppressed", case_id=change.case.id, message_pk=message.id,
                              detail=f"{template}: {'; '.join(blockers)}"))
        return
    for template in templates:
        if template == "invitation":
            invite(ctx, session, change.case, actor="system", cause=message, cause_references=mail.references)
        else:
            enqueue(ctx, session, Reply(template, change.case, _recipients(template, mail, change), cause=message,
                                        cause_references=mail.references, extra=_extra(template, change)))


def _blockers(ctx: AppContext, mail: ParsedMail, verdict: Verdict) -> list[str]:
    if verdict.reply_blockers:
        return list(verdict.reply_blockers)
    if not mail.sender:
        return ["no sender address"]
    if mail.sender == ctx.settings.smtp.sender_address.lower():
        return ["sent from our own address"]
    if _board_domain(ctx) == mail.sender.rpartition("@")[2]:
        # A colleague forwarded the organisation's mail: an automatic answer would go to the
        # colleague, not to the organisation. The case is registered; a person answers.
        return [f"{STAFF_FORWARD}; a person answers"]
    return []


def _for_a_person(blockers: list[str], templates: list[str]) -> list[str]:
    """Blockers that put the case in front of a person: mail that failed authentication always
    (it may pose as the organisation); a colleague's forward when it would have been answered."""
    answering = [template for template in templates if template != RECEIPT]  # a colleague needs no receipt
    return [b for b in blockers if b.startswith(AUTH_FAILED) or (answering and b.startswith(STAFF_FORWARD))]


def _board_domain(ctx: AppContext) -> str:
    return ctx.settings.smtp.sender_address.rpartition("@")[2].lower()


def _choose_templates(ctx: AppContext, change: CaseChange) -> list[str]:
    replies = ctx.settings.replies
    if change.case.status is CaseStatus.NEEDS_REVIEW:
        return _receipt(ctx, change)  # a person decides what else to answer
    if change.case.missing and (change.created or change.added):
        return ["request_missing"] if replies.request_missing else []
    if not change.became_complete:
        return _receipt(ctx, change)
    chosen = ["acknowledgement"] if replies.acknowledge else []
    return chosen + (["invitation"] if replies.invitation == "auto" else [])


def _receipt(ctx: AppContext, change: CaseChange) -> list[str]:
    """A sender the case never corresponded with learns where the mail went; a resend by the
    same person, or an answer from someone we wrote to, gets nothing (no ping-pong)."""
    return [RECEIPT] if ctx.settings.replies.acknowledge and change.new_sender else []


def _extra(template: str, change: CaseChange) -> dict:
    # The organisation and contact on record are told only to a sender the case trusts:
    # anyone can write a case reference into a subject line.
    return {"trusted_sender": change.trusted} if template == RECEIPT else {}


def _recipients(template: str, mail: ParsedMail, change: CaseChange) -> list[str | None]:
    """The sender; the acknowledgement also goes to the contact person when that is someone else."""
    contact = change.case.contact
    extra = [contact.email] if template == "acknowledgement" and contact and contact.email else []
    return [mail.sender, *extra]
