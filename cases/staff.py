"""What staff do to a case by hand: status, notes, corrections, merges, invitation approval,
confirming or rejecting a candidate contact, marking the dialogue held.

Every action is an audit event with the person's name as actor. A correction is stored
in `case.overrides` as well, so a later message or a re-extraction never undoes it.

A change by hand that completes a case sends what completion by mail sends (replies/plan.py):
the acknowledgement, and the invitation when [replies] invitation = "auto". An edge that wants
the person to see that mail first asks `planned_mail` what a change would queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import get_args

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from cases.apply import recount_missing, settle_open_status
from cases.contacts import FIELDS, activate, same_person, summary
from cases.lifecycle import transition
from inbox.context import AppContext
from inbox.errors import InboxError, NotFound
from ingest.extract.fields import normalise_email, normalise_phone, org_number_ok
from ingest.extract.result import OrgType
from models import Case, CaseStatus, Contact, Decision, Event, Meeting, Message, Organisation, OutboxStatus, OutgoingMail, Slot, UndeliverableAddress
from replies.invitation import invite
from replies.outbox import Reply, enqueue

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
    _corrected(case, {f"contact.{key}": value for key, value in clean.items()})
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
    was = case.status
    recount_missing(session, case)
    settle_open_status(ctx, session, case, actor=actor, why="after a staff change")
    if case.status is CaseStatus.COMPLETE and was is not CaseStatus.COMPLETE:
        send_completion(ctx, session, case, actor=actor)


def send_completion(ctx: AppContext, session: Session, case: Case, *, actor: str) -> None:
    """What a case completed by mail gets (replies/plan.py), for a case a person completed: the
    acknowledgement to whoever opened the case and its contact, and the invitation per config.
    A person made the change, so neither is held or rate limited as automatic mail would be."""
    replies = ctx.settings.replies
    if replies.acknowledge:
        contact = case.contact
        enqueue(ctx, session, Reply("acknowledgement", case, [case.sender, contact.email if contact else None], automatic=False))
    if replies.invitation == "auto":
        invite(ctx, session, case, actor=actor)


# -- corrections beyond the contact ------------------------------------------------------------

DECISION_FIELDS = ("decided_by", "date", "paragraph", "case_number")
ORGANISATION_TYPES: tuple[str, ...] = get_args(OrgType)  # kommun, region, statlig_myndighet, ...
STAFF_SOURCE = "staff"  # Decision.text_source of a row a person wrote


def correct_decision(ctx: AppContext, session: Session, case: Case, values: dict[str, str], *, actor: str) -> Decision:
    """A new decision row with the corrected fields on top of the current decision (its document and
    message kept); the row it corrects stays as history. With no decision yet, a person records one
    they received another way (post, the registrar)."""
    clean = {key: _clean_decision_value(key, value) for key, value in values.items() if value is not None}
    unknown = set(clean) - set(DECISION_FIELDS)
    if unknown:
        raise InboxError(f"unknown decision field(s): {', '.join(sorted(unknown))}")
    current = case.decision
    kept = {"decided_by": current.decided_by, "date": current.decision_date, "paragraph": current.paragraph,
            "case_number": current.case_number} if current else dict.fromkeys(DECISION_FIELDS)
    merged = kept | clean
    row = Decision(case_id=case.id, from_message_pk=None, attachment_id=current.attachment_id if current else None,
                   filename=current.filename if current else None, decided_by=merged["decided_by"], decision_date=merged["date"],
                   paragraph=merged["paragraph"], case_number=merged["case_number"], text_source=STAFF_SOURCE,
                   created_at=ctx.clock())
    session.add(row)
    case.decisions.append(row)
    shown = {key: value.isoformat() if isinstance(value, date) else value for key, value in clean.items()}
    _corrected(case, {f"decision.{key}": value for key, value in shown.items()})
    session.add(Event(at=ctx.clock(), actor=actor, action="decision_corrected", case_id=case.id, data=shown,
                      detail=", ".join(f"{key}={value}" for key, value in shown.items()) or "decision recorded"))
    _refresh_missing(ctx, session, case, actor)
    return row


def _clean_decision_value(key: str, value: str) -> str | date | None:
    text = " ".join(value.split())
    if key != "date":
        return text or None
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InboxError(f"not a date like 2026-03-12: {value!r}") from None


def correct_organisation(ctx: AppContext, session: Session, case: Case, values: dict[str, str], *, actor: str) -> Organisation:
    """Name, org number or type of the case's organisation (made if the case has none). The organisation
    is shared by its cases: the correction shows on each. An org number another organisation holds is
    refused: that is the same organisation twice, a merge of cases, not a correction."""
    clean = {key: _clean_organisation_value(key, value) for key, value in values.items() if value is not None}
    org = case.organisation
    if org is None:
        if not clean.get("name"):
            raise InboxError(f"{case.reference} has no organisation yet: give its name")
        org = Organisation(name=clean["name"], created_at=ctx.clock())
        session.add(org)
        case.organisation = org
    number = clean.get("org_number")
    if number:
        holder = session.scalar(select(Organisation).where(Organisation.org_number == number, Organisation.id != org.id))
        if holder is not None:
            raise InboxError(f"org number {number} belongs to {holder.name}; merge the cases instead")
    for key, value in clean.items():
        setattr(org, key, value)
    _corrected(case, {f"organisation.{key}": value for key, value in clean.items()})
    session.add(Event(at=ctx.clock(), actor=actor, action="organisation_corrected", case_id=case.id, data=clean,
                      detail=", ".join(f"{key}={value}" for key, value in clean.items())))
    return org


def _clean_organisation_value(key: str, value: str) -> str | None:
    text = " ".join(value.split())
    if key == "name":
        if not text:
            raise InboxError("an organisation needs a name")
        return text
    if key == "org_number":
        digits = "".join(ch for ch in text if ch.isdigit())
        if not text:
            return None
        if len(digits) != 10 or not org_number_ok(digits):
            raise InboxError(f"not a valid organisation number: {value!r}")
        return f"{digits[:6]}-{digits[6:]}"
    if key == "type":
        if text and text not in ORGANISATION_TYPES:
            raise InboxError(f"unknown organisation type {value!r} (one of: {', '.join(ORGANISATION_TYPES)})")
        return text or None
    raise InboxError(f"unknown organisation field {key!r}")


def _corrected(case: Case, fields: dict[str, object]) -> None:
    """A person checked these fields: kept as overrides, no longer in review, as certain as can be."""
    case.overrides = {**(case.overrides or {}), **fields}
    case.review = [item for item in case.review or [] if item.get("field") not in fields]
    case.confidence = {**(case.confidence or {}), **dict.fromkeys(fields, 1.0)}


def mark_dialogue_held(ctx: AppContext, session: Session, case: Case, notes: str, *, actor: str) -> None:
    """The dialogue meeting took place; the notes (what was agreed) go to the case's history."""
    transition(session, case, CaseStatus.DIALOGUE_HELD, actor=actor, why="dialogue held", at=ctx.clock())
    if notes.strip():
        session.add(Event(at=ctx.clock(), actor=actor, action="dialogue_notes", case_id=case.id, detail=notes.strip()))


# -- what a change would send ------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMail:
    template: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    held: bool  # would wait for a person's approval


def planned_mail(session: Session, change: Callable[[], object]) -> list[PlannedMail]:
    """The mail `change` would queue, rendered exactly as it would go, without queuing it: `change`
    runs, the outbox rows it adds are read, and the session is rolled back. Call it on a session
    with nothing of its own pending; errors of `change` propagate (after the rollback)."""
    queued: list[OutgoingMail] = []

    def note(_session: Session, instance: object) -> None:
        if isinstance(instance, OutgoingMail):
            queued.append(instance)

    event.listen(session, "transient_to_pending", note)
    try:
        change()
        session.flush()
        return [PlannedMail(row.template, tuple(row.recipients), row.subject, row.body_text, row.status is OutboxStatus.HELD)
                for row in queued]
    finally:
        event.remove(session, "transient_to_pending", note)
        session.rollback()
