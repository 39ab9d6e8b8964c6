"""Mail on no case ("övrig post"): questions, registrar forwards, unrelated mail, auto-replies and bounces
no rule tied to a case, and quarantined mail. A person reads each, then marks it handled (a Resolution
keyed `message:{id}`, the key the action list uses for a message), replays a quarantined one, or makes
a case of it (cases/from_message.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, cast, exists, func, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.errors import InboxError, NotFound
from ingest.process import Outcome, replay
from models import Event, Message, MessageStatus, Resolution

KINDS = ("other", "auto_reply", "bounce")  # what classification says when it is not an affiliation
QUARANTINED = "quarantined"  # the list's filter for quarantined mail (any kind)
SHOWN = ("unhandled", "handled", "all")


class MailRefused(InboxError):
    """What a message's state does not allow: `code` for each edge to phrase, `facts` (who, which case) for the words."""

    ALREADY_HANDLED, NOT_QUARANTINED, ON_CASE, QUARANTINED, NOT_PROCESSED, GONE = (
        "already_handled", "not_quarantined", "on_case", "quarantined", "not_processed", "gone")

    def __init__(self, message_pk: int, code: str, text: str, **facts: str) -> None:
        self.message_pk, self.code, self.facts = message_pk, code, facts
        super().__init__(f"message {message_pk}: {text}")


def item_key(message_pk: int) -> str:
    return f"message:{message_pk}"


@dataclass(frozen=True)
class OtherMail:
    message: Message
    handled: Resolution | None


def other_mail(session: Session, *, shown: str = "unhandled", kind: str | None = None, offset: int = 0,
               limit: int = 50) -> tuple[list[OtherMail], int]:
    """A page of mail on no case, newest first, and how many there are in all."""
    query = _filtered(shown, kind)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    messages = list(session.scalars(query.order_by(Message.received_at.desc(), Message.id.desc()).offset(offset).limit(limit)))
    keys = {item_key(m.id): m for m in messages}
    resolved = {r.item_key: r for r in session.scalars(select(Resolution).where(Resolution.item_key.in_(list(keys))))} if keys else {}
    return [OtherMail(m, resolved.get(item_key(m.id))) for m in messages], total


def _filtered(shown: str, kind: str | None):
    if shown not in SHOWN:
        raise InboxError(f"show one of {', '.join(SHOWN)} (got {shown!r})")
    if kind not in (None, QUARANTINED, *KINDS):
        raise InboxError(f"kind is one of {', '.join((*KINDS, QUARANTINED))} (got {kind!r})")
    on_no_case = Message.case_id.is_(None) & Message.kind.in_(KINDS) & (Message.status == MessageStatus.PROCESSED)
    query = select(Message).where(or_(on_no_case, Message.status == MessageStatus.QUARANTINED))
    if kind == QUARANTINED:
        query = query.where(Message.status == MessageStatus.QUARANTINED)
    elif kind is not None:
        query = query.where(Message.kind == kind, Message.status == MessageStatus.PROCESSED)
    is_handled = exists().where(Resolution.item_key == literal("message:") + cast(Message.id, String))
    if shown == "unhandled":
        query = query.where(~is_handled)
    elif shown == "handled":
        query = query.where(is_handled)
    return query


def handled(session: Session, message_pk: int) -> Resolution | None:
    return session.scalar(select(Resolution).where(Resolution.item_key == item_key(message_pk)))


def mark_handled(ctx: AppContext, session: Session, message_pk: int, *, actor: str, note: str | None = None) -> Resolution:
    """The person dealt with the message (answered it elsewhere, or nothing to do); once per message."""
    message = session.get(Message, message_pk)
    if message is None:
        raise NotFound(f"no message {message_pk}")
    if (done := handled(session, message_pk)) is not None:
        raise MailRefused(message_pk, MailRefused.ALREADY_HANDLED, f"already marked handled by {done.resolved_by}", by=done.resolved_by)
    resolution = Resolution(item_key=item_key(message_pk), resolved_by=actor, resolved_at=ctx.clock(), note=note or None)
    session.add(resolution)
    try:
        session.flush()  # two people at once: the unique key lets one win
    except IntegrityError as err:
        raise MailRefused(message_pk, MailRefused.ALREADY_HANDLED, "just marked handled by someone else", by="") from err
    session.add(Event(at=ctx.clock(), actor=actor, action="message_handled", message_pk=message_pk, case_id=message.case_id,
                      detail=note or None))
    return resolution


def replay_one(ctx: AppContext, message_pk: int, *, actor: str) -> Outcome:
    """Process one quarantined message again (`inbox replay ID`), with the person in the audit log."""
    with ctx.sessions() as session:
        message = session.get(Message, message_pk)
        if message is None:
            raise NotFound(f"no message {message_pk}")
        if message.status is not MessageStatus.QUARANTINED:
            raise MailRefused(message_pk, MailRefused.NOT_QUARANTINED, f"is {message.status.value}, not quarantined; only quarantined mail is replayed")
        session.add(Event(at=ctx.clock(), actor=actor, action="replay_requested", message_pk=message_pk))
        session.commit()
    return replay(ctx, [message_pk]).outcomes[message_pk]
