"""A person decides that a message no rule took for an affiliation is one: make a case of it.

The message is read again from its raw bytes and walks the rest of the pipeline as an affiliation
(extraction, case matching: it may join an open case of the same organisation or conversation),
with the reason and the person in its classification reasons and in an audit event. Replies are
planned as the pipeline plans them (a receipt, a request for what is missing, the acknowledgement
and invitation per config; never where classification blocked answering), unless the person
chose to send nothing. Used by `inbox make-case` and the workspace's "Gör till ärende".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cases.apply import CaseChange, apply_extraction
from cases.other_mail import MailRefused
from inbox.context import AppContext
from inbox.errors import NotFound
from ingest.classify import Verdict
from ingest.pipeline import Work, classify_message, extract_fields, parse
from models import Case, Event, Message, MessageStatus
from replies.plan import plan_replies


@dataclass(frozen=True)
class MadeCase:
    case: Case
    created: bool  # False: the message joined an open case (same organisation or conversation)
    replies: bool  # replies were planned (the person did not turn them off)


def make_case(ctx: AppContext, session: Session, message_pk: int, *, actor: str, reply: bool = True) -> MadeCase:
    message = _eligible(session, message_pk)
    work = Work(ctx=ctx, session=session, message=message)
    try:
        parse(work)
    except OSError as err:
        raise MailRefused(message_pk, MailRefused.GONE, f"its stored original cannot be read ({err.strerror})") from err
    classify_message(work)  # today's rules: their reply blockers (lists, auto-replies, our own loop) still hold
    why = f"made a case by {actor}"
    work.verdict = Verdict("affiliation", (*work.verdict.reasons, why), work.verdict.reply_blockers)
    message.kind, message.reasons = "affiliation", [*(message.reasons or []), why]
    extract_fields(work)
    assert work.extraction is not None, "an affiliation verdict is always extracted"
    attachments = [(row, row) for row in message.attachments]  # stored when the message was processed
    change = apply_extraction(ctx, session, message, work.mail, work.extraction, attachments)
    _audit(ctx, session, message, change, actor, reply)
    if reply:
        plan_replies(ctx, session, message, work.mail, work.verdict, change)
    return MadeCase(change.case, change.created, reply)


def _eligible(session: Session, message_pk: int) -> Message:
    message = session.get(Message, message_pk)
    if message is None:
        raise NotFound(f"no message {message_pk}")
    if message.case_id is not None:
        case = session.get_one(Case, message.case_id)  # a foreign key: the case exists
        raise MailRefused(message_pk, MailRefused.ON_CASE, f"already on case {case.reference}", reference=case.reference)
    if message.status is MessageStatus.QUARANTINED:
        raise MailRefused(message_pk, MailRefused.QUARANTINED, "quarantined: replay it first")
    if message.status is not MessageStatus.PROCESSED:
        raise MailRefused(message_pk, MailRefused.NOT_PROCESSED, "not processed yet")
    return message


def _audit(ctx: AppContext, session: Session, message: Message, change: CaseChange, actor: str, reply: bool) -> None:
    joined = "a new case" if change.created else f"joined {change.case.reference}"
    session.add(Event(at=ctx.clock(), actor=actor, action="case_made_from_message", case_id=change.case.id,
                      message_pk=message.id, detail=f"message {message.id} taken as an affiliation: {joined}"
                      + ("" if reply else "; no reply sent (the person chose so)"),
                      data={"created": change.created, "reply": reply}))
