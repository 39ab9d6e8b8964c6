"""Put one reply in the outbox: filter its recipients, render it, thread it, record it.

Recipients are filtered here, in one place, so no path can mail an address it must not:
our own mailbox, an address a reply of ours bounced from, an address that already got
`rate_limit_per_day` automatic mails in the last 24 hours (Mailman-style; the case still
updates, only the mail is held back and the event says so). Automatic mail to an address
outside the recipient rules, or over a daily cap, is queued *held* for a person
(replies/recipients.py); the sender sends only pending rows, so held mail never leaves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.context import AppContext
from models import Case, Event, Message, OutboxStatus, OutgoingAttachment, OutgoingMail, UndeliverableAddress
from replies.recipients import STAFF_TEMPLATES, Hold, holds
from replies.render import renderer_for
from replies.variables import case_variables

HELD_PREFIX = "held"


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str | None = None


@dataclass
class Reply:
    template: str
    case: Case
    recipients: Sequence[str | None]  # None or "" (a sender without a usable address) is dropped by allowed_recipients
    cause: Message | None = None  # the incoming message this answers, for threading
    cause_references: tuple[str, ...] = ()  # the References of that message
    extra: dict = field(default_factory=dict)  # template variables beyond the case's
    attachments: list[Attachment] = field(default_factory=list)
    automatic: bool = True  # False when a person asked for it (staff command): not rate limited

    @property
    def sender(self) -> str | None:
        """Whose mail made us write this: the cause's sender, else the case's."""
        return (self.cause.sender if self.cause else None) or self.case.sender


@dataclass
class RecipientPlan:
    send: list[str]  # queued pending, in one row
    hold: list[Hold]  # queued held, one row each, for a person to approve or reject


def enqueue(ctx: AppContext, session: Session, reply: Reply) -> OutgoingMail | None:
    """Queue `reply` in the caller's transaction: the row that will be sent, else a held row, else
    None when no recipient is left."""
    rows = enqueue_all(ctx, session, reply)
    pending = [row for row in rows if row.status is OutboxStatus.PENDING]
    return next(iter(pending or rows), None)


def enqueue_all(ctx: AppContext, session: Session, reply: Reply) -> list[OutgoingMail]:
    """Every row queued for `reply`: one pending row for the allowed recipients, one held row per held address."""
    plan = allowed_recipients(ctx, session, reply)
    if not plan.send and not plan.hold:
        return []
    variables = {**case_variables(reply.case, ctx.settings), **reply.extra, "automatic": reply.automatic}
    rendered = renderer_for(ctx).render(reply.template, variables)
    rows = []
    if plan.send:
        rows.append(_record(ctx, session, reply, rendered, plan.send))
        _event(ctx, session, reply, "reply_queued", f"{reply.template} to {', '.join(plan.send)}")
    for hold in plan.hold:
        row = _record(ctx, session, reply, rendered, [hold.address], hold)
        rows.append(row)
        session.flush()  # the id goes into the event, for `inbox outbox approve ID`
        _event(ctx, session, reply, "reply_held", f"{reply.template} to {hold.address} (outbox {row.id}): {hold.reason}",
               data={"outbox_id": row.id, "address": hold.address, "kind": hold.kind, "reason": hold.reason, "sender": reply.sender})
    return rows


def _record(ctx: AppContext, session: Session, reply: Reply, rendered, recipients: list[str], hold: Hold | None = None) -> OutgoingMail:
    in_reply_to, references = _thread(session, reply)
    domain = ctx.settings.smtp.sender_address.rsplit("@", 1)[-1]
    row = OutgoingMail(
        case_id=reply.case.id, cause_message_pk=reply.cause.id if reply.cause else None, template=reply.template,
        automatic=reply.automatic,
        recipients=recipients, subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
        message_id=make_msgid(idstring=reply.case.reference, domain=domain),
        in_reply_to=in_reply_to, references=references, created_at=ctx.clock(),
        attachments=[OutgoingAttachment(**vars(a)) for a in reply.attachments],
        status=OutboxStatus.HELD if hold else OutboxStatus.PENDING,
        last_error=f"{HELD_PREFIX} ({hold.kind}): {hold.reason}" if hold else None,
    )
    session.add(row)
    return row


def hold_kind(row: OutgoingMail) -> str | None:
    """Why a held row waits (recipients.OUTSIDE, SENDER_CAP, DAILY_CAP), read back from what _record wrote."""
    error = row.last_error or ""
    if row.status is not OutboxStatus.HELD or not error.startswith(HELD_PREFIX + " ("):
        return None
    return error[len(HELD_PREFIX) + 2:].partition(")")[0]


def allowed_recipients(ctx: AppContext, session: Session, reply: Reply) -> RecipientPlan:
    ours = ctx.settings.smtp.sender_address.lower()
    wanted = list(dict.fromkeys(a.lower() for a in reply.recipients if a and a.lower() != ours))
    undeliverable = set(session.scalars(select(UndeliverableAddress.address).where(UndeliverableAddress.address.in_(wanted))))
    automatic = reply.automatic and reply.template not in STAFF_TEMPLATES
    limited = _over_rate_limit(ctx, session, wanted) if automatic else set()
    for address in undeliverable:
        _event(ctx, session, reply, "reply_suppressed", f"{reply.template}: {address} is undeliverable")
    for address in limited - undeliverable:
        _event(ctx, session, reply, "reply_rate_limited",
               f"{reply.template}: {address} already got {ctx.settings.replies.rate_limit_per_day} automatic mails in 24 hours")
    left = [a for a in wanted if a not in undeliverable and a not in limited]
    held = holds(ctx, session, reply.case, reply.sender, left) if automatic else []
    return RecipientPlan(send=[a for a in left if a not in {h.address for h in held}], hold=held)


def _over_rate_limit(ctx: AppContext, session: Session, addresses: list[str]) -> set[str]:
    since = ctx.clock() - timedelta(hours=24)
    recent = session.scalars(
        select(OutgoingMail.recipients).where(OutgoingMail.created_at > since, OutgoingMail.template.not_in(STAFF_TEMPLATES),
                                              OutgoingMail.status.not_in((OutboxStatus.HELD, OutboxStatus.CANCELLED)))
    ).all()
    counts: dict[str, int] = {}
    for recipients in recent:
        for address in recipients:
            counts[address.lower()] = counts.get(address.lower(), 0) + 1
    limit = ctx.settings.replies.rate_limit_per_day
    return {a for a in addresses if counts.get(a, 0) >= limit}


def _thread(session: Session, reply: Reply) -> tuple[str | None, str | None]:
    """Answer the cause, else the organisation's latest mail on the case (not a bounce or an
    out-of-office), so clients thread it."""
    cause = reply.cause or session.scalar(
        select(Message).where(Message.case_id == reply.case.id, Message.message_id.is_not(None), Message.kind == "affiliation")
        .order_by(Message.id.desc()).limit(1)
    )
    if cause is None or not cause.message_id:
        return None, None
    chain = [*reply.cause_references, cause.message_id] if reply.cause is cause else [cause.message_id]
    return cause.message_id, " ".join(dict.fromkeys(chain))


def _event(ctx: AppContext, session: Session, reply: Reply, action: str, detail: str, data: dict | None = None) -> None:
    session.add(Event(at=ctx.clock(), action=action, case_id=reply.case.id,
                      message_pk=reply.cause.id if reply.cause else None, detail=detail, data=data))
