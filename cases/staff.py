"""What staff do to a case by hand: status, notes, corrections, merges, invitation approval,
confirming or rejecting a candidate contact.

Every action is an audit event with the person's name as actor. A correction is stored
in `case.overrides` as well, so a later message or a re-extraction never undoes it.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cases.apply import recount_missing, settle_open_status
from cases.contacts import FIELDS, activate, same_person, summary
from cases.lifecycle import transition
from inbox.context import AppContext
from inbox.errors import InboxError, NotFound
from ingest.extract.fields import normalise_email, normalise_phone
from models import Case, CaseStatus, Contact, Decision, Event, Meeting, Message, OutgoingMail, Slot, UndeliverableAddress

CONTACT_FIELDS = FIELDS  # one list of contact fields (cases/contacts.py)


def get_case(session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise NotFound(f"no case {reference}")
    return case


def set_status(ctx: AppContext, session: Session, case: Case, status: str, *, actor: str, why: str | None) -> None:
    try:
        new = CaseStatus(status)
    except ValueError:
        raise InboxError(f"unknown status {status!r} (one of: {', '.join(s.value for s in CaseStatus)})") from None
    was = case.status
    transition(session, case, new, actor=actor, why=why or "set by staff", at=ctx.clock())
    if was is CaseStatus.NEEDS_REVIEW and new is not CaseStatus.NEEDS_REVIEW:
        # The person who takes the case out of review settled who the organisation is.
        case.review = [item for item in case.review or [] if item.get("field") != "organisation"]


def add_note(ctx: AppContext, session: Session, case: Case, text: str, *, actor: str) -> None:
    session.add(Event(at=ctx.clock(), actor=actor, action="note", case_id=case.id, detail=text))


def correct_contact(ctx: AppContext, session: Session, case: Case, values: dict[str, str], *, actor: str) -> Contact:
    """A new contact row with the corrected fields on top of the current ones; the correction wins later too."""
    clean = {key: _clean_contact_value(key, value) for key, value in values.items() if value is not None}
    current = case.contact
    merged = {key: getattr(current, key) if current else None for key in CONTACT_FIELDS} | clean
    contact = Contact(case_id=case.id, **merged, source="staff", status="active", created_at=ctx.clock())
    activate(session, case, contact)
    case.overrides = {**(case.overrides or {}), **{f"contact.{key}": value for key, value in clean.items()}}
    # A person checked these: they no longer need a look, and they are as certain as can be.
    corrected = {f"contact.{key}" for key in clean}
    case.review = [item for item in case.review or [] if item["field"] not in corrected]
    case.confidence = {**(case.confidence or {}), **{field: 1.0 for field in corrected}}
    session.add(Event(at=ctx.clock(), actor=actor, action="contact_corrected", case_id=case.id, data=clean,
                      detail=", ".join(f"{key}={value}" for key, value in clean.items())))
    _refresh_missing(ctx, session, case, actor)
    return contact


def decide_contact(ctx: AppContext, session: Session, case: Case, contact_id: int, *, confirm: bool, actor: str) -> Contact:
    """A person confirms a candidate contact (it becomes the case's contact, keeping what is known
    of the same person) or rejects it (kept as history); either way its review item goes."""
    row = session.get(Contact, contact_id)
    if row is None or row.case_id != case.id:
        raise NotFound(f"{case.reference} has no contact {contact_id}")
    if row.status != "candidate":
        raise InboxError(f"contact {contact_id} of {case.reference} is {row.status}, not a candidate")
    current = case.contact
    if confirm:
        if current is not None and same_person(current, {key: getattr(row, key) for key in FIELDS}):
            for key in FIELDS:  # a confirmed candidate adds to what is known, never erases it
                setattr(row, key, getattr(row, key) or getattr(current, key))
        activate(session, case, row)
    else:
        row.status = "rejected"
    case.review = [item for item in case.review or [] if item.get("contact_id") != row.id]
    values = {key: getattr(row, key) for key in FIELDS}
    session.add(Event(at=ctx.clock(), actor=actor, action="contact_confirmed" if confirm else "contact_rejected",
                      case_id=case.id, detail=f"contact {row.id}: {summary(values)}", data={"contact_id": row.id, **values}))
    _refresh_missing(ctx, session, case, actor)
    return row


def _clean_contact_value(key: str, value: str) -> str:
    if key == "email":
        if not (address := normalise_email(value)):
            raise InboxError(f"not a valid e-mail address: {value!r}")
        return address
    if key == "phone":
        if not (number := normalise_phone(value)):
            raise InboxError(f"not a valid Swedish phone number: {value!r}")
        return number
    return value.strip()


def merge(ctx: AppContext, session: Session, target: Case, other: Case, *, actor: str) -> None:
    """Move everything of `other` into `target`; `other` is withdrawn and forwards to `target`."""
    if other.id == target.id:
        raise InboxError("a case cannot be merged into itself")
    if target.merged_into_id or target.status is CaseStatus.WITHDRAWN:
        raise InboxError(f"{target.reference} is withdrawn{' (merged)' if target.merged_into_id else ''}; merge into an open case")
    if other.merged_into_id:
        raise InboxError(f"{other.reference} was already merged into another case")
    for model in (Message, Contact, Decision, OutgoingMail, Meeting, UndeliverableAddress):
        session.execute(update(model).where(model.case_id == other.id).values(case_id=target.id))
    session.execute(update(Slot).where(Slot.offered_case_id == other.id).values(offered_case_id=target.id))
    session.execute(update(Slot).where(Slot.booked_case_id == other.id).values(booked_case_id=target.id))
    other.merged_into_id = target.id
    transition(session, other, CaseStatus.WITHDRAWN, actor=actor, why=f"merged into {target.reference}", at=ctx.clock())
    session.add(Event(at=ctx.clock(), actor=actor, action="case_merged", case_id=target.id, detail=f"{other.reference} merged into this case"))
    session.flush()
    session.expire(target, ["contacts", "decisions"])
    _refresh_missing(ctx, session, target, actor)


def _refresh_missing(ctx: AppContext, session: Session, case: Case, actor: str) -> None:
    recount_missing(session, case)
    settle_open_status(ctx, session, case, actor=actor, why="after a staff change")
