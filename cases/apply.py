"""Apply one message's extraction to its case: create or join, add decision and contact, set status."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.lifecycle import OPEN_STATUSES, transition
from cases.match import find_case, organisation_named
from cases.reference import next_reference, token_key
from inbox.context import AppContext
from ingest.extract.result import Extraction
from ingest.message import MailAttachment, ParsedMail
from models import Attachment, Case, CaseStatus, Contact, Decision, Event, Message, Organisation


@dataclass
class CaseChange:
    case: Case
    created: bool
    joined_by: str
    status_before: CaseStatus | None
    added: list[str] = field(default_factory=list)  # "decision", "contact"

    @property
    def became_complete(self) -> bool:
        return self.case.status is CaseStatus.COMPLETE and self.status_before is not CaseStatus.COMPLETE


def apply_extraction(
    ctx: AppContext, session: Session, message: Message, mail: ParsedMail,
    extraction: Extraction, attachments: list[tuple[MailAttachment, Attachment]],
) -> CaseChange:
    match = find_case(session, mail, extraction, ctx.settings.service.case_prefix, token_key(ctx.data_dir))
    case, how = match.case, match.how
    change = CaseChange(case=case, created=case is None, joined_by=how, status_before=case.status if case else None)
    if case is None:
        change.case = case = _new_case(ctx, session, mail)
    message.case_id = case.id
    for refused in match.refused:
        _event(session, case, message, "join_refused", refused)
    _event(session, case, message, "message_joined" if not change.created else "case_created", how or mail.sender)
    _attach_organisation(session, case, extraction)
    _add_decision(session, case, message, extraction, attachments, change)
    _add_contact(session, case, message, extraction, change)
    _record_review(case, extraction, change)
    _update_status(ctx, session, case, message, change)
    if not change.created and not change.added:
        # "Fredag kl. 9 passar oss", "vi vill inte vara med längre": nothing to extract, a person reads it.
        _event(session, case, message, "answer_to_read", mail.subject or "(no subject)")
    return change


def _new_case(ctx: AppContext, session: Session, mail: ParsedMail) -> Case:
    now = ctx.clock()
    case = Case(
        reference=next_reference(session, ctx.settings.service.case_prefix, now.astimezone(ctx.zone)),
        status=CaseStatus.RECEIVED, sender=mail.sender, missing=[], created_at=now, updated_at=now,
        status_since=now, confidence={}, review=[], overrides={},
    )
    session.add(case)
    session.flush()
    return case


def _attach_organisation(session: Session, case: Case, extraction: Extraction) -> None:
    info = extraction.organisation
    if case.organisation is None and (info.name or info.org_number):
        case.organisation = _find_or_create_organisation(session, extraction)
    org = case.organisation
    if org is None:
        return
    if info.org_number and not org.org_number:
        taken = session.scalar(select(Organisation.id).where(Organisation.org_number == info.org_number))
        if taken is None:
            org.org_number = info.org_number
    org.type = org.type or info.type


def _find_or_create_organisation(session: Session, extraction: Extraction) -> Organisation:
    info = extraction.organisation
    found = None
    if info.org_number:
        found = session.scalar(select(Organisation).where(Organisation.org_number == info.org_number))
    if found is None and info.name:
        found = organisation_named(session, info.name)
    if found is None:
        found = Organisation(name=info.name or info.org_number, org_number=info.org_number, type=info.type)
        session.add(found)
        session.flush()
    return found


def _add_decision(session, case, message, extraction, attachments, change) -> None:
    found = extraction.decision
    if not found.present:
        return
    attachment = next((row for part, row in attachments if part.filename == found.filename), None)
    session.add(Decision(
        case=case, from_message_pk=message.id, attachment_id=attachment.id if attachment else None,
        filename=found.filename, decided_by=found.decided_by, decision_date=found.date,
        paragraph=found.paragraph, case_number=found.case_number, text_source=found.text_source,
    ))
    change.added.append("decision")
    _event(session, case, message, "decision_added", found.filename)


def _add_contact(session, case, message, extraction, change) -> None:
    found = extraction.contact
    if "contact" in extraction.missing:
        return
    values = {key: getattr(found, key) for key in ("name", "title", "email", "phone")}
    # A staff correction wins over whatever a later message seems to say.
    values.update({key.removeprefix("contact."): value for key, value in (case.overrides or {}).items() if key.startswith("contact.")})
    current = case.contact
    if current and all(getattr(current, key) == values[key] for key in ("name", "email", "phone")):
        return
    session.add(Contact(case=case, **values, source=found.source, from_message_pk=message.id))
    change.added.append("contact")
    _event(session, case, message, "contact_added", found.name or found.email)


def _record_review(case: Case, extraction: Extraction, change: CaseChange) -> None:
    """The case shows the confidence and review list of the extraction that last added to it."""
    if change.created or change.added:
        case.confidence = dict(extraction.confidence)
        case.review = [item.model_dump() for item in extraction.review]


def _update_status(ctx: AppContext, session: Session, case: Case, message: Message, change: CaseChange) -> None:
    recount_missing(session, case)
    case.updated_at = ctx.clock()
    if case.status is CaseStatus.WITHDRAWN and case.merged_into_id is None and change.added:
        # New content on a withdrawn case: re-applying, or a mistake; either way a person decides.
        transition(session, case, CaseStatus.NEEDS_REVIEW, actor="system", why="new mail on a withdrawn case", at=ctx.clock(), message_pk=message.id)
        return
    why = "missing " + " and ".join(case.missing) if case.missing else "decision and contact received"
    settle_open_status(ctx, session, case, actor="system", why=why, message_pk=message.id)


def recount_missing(session: Session, case: Case) -> None:
    """What the case still lacks, from the decisions and contacts it has now."""
    session.flush()
    session.refresh(case, ["decisions", "contacts"])
    case.missing = [part for part, have in (("decision", case.decisions), ("contact", case.contacts)) if not have]


def settle_open_status(ctx: AppContext, session: Session, case: Case, *, actor: str, why: str, message_pk: int | None = None) -> None:
    """An open case is incomplete or complete by what it lacks; later statuses belong to people."""
    if case.status in OPEN_STATUSES:
        new = CaseStatus.INCOMPLETE if case.missing else CaseStatus.COMPLETE
        transition(session, case, new, actor=actor, why=why, at=ctx.clock(), message_pk=message_pk)


def _event(session: Session, case: Case, message: Message, action: str, detail: str | None) -> None:
    session.add(Event(action=action, case_id=case.id, message_pk=message.id, detail=detail))


def refresh_case_from_message(ctx: AppContext, session: Session, case: Case, message: Message, extraction: Extraction) -> None:
    """After `inbox reprocess`: correct what this message contributed; staff corrections still win.
    Only the case's newest message may add rows or set the case's review: an older one read again
    must not push a newer contact or decision aside."""
    newest = session.scalar(select(Message.id).where(Message.case_id == case.id).order_by(Message.id.desc()).limit(1))
    is_newest = newest is None or newest == message.id
    found = extraction.decision
    decision = session.scalar(select(Decision).where(Decision.from_message_pk == message.id).order_by(Decision.id.desc()).limit(1))
    if decision is not None and found.present:
        decision.filename, decision.decided_by, decision.decision_date = found.filename, found.decided_by, found.date
        decision.paragraph, decision.case_number, decision.text_source = found.paragraph, found.case_number, found.text_source
        stored = next((row for row in message.attachments if row.filename == found.filename), None)
        decision.attachment_id = stored.id if stored else None  # the file the current rules chose
    elif decision is None and found.present and is_newest:
        attachments = [(part, part) for part in message.attachments]  # rows carry the filename too
        _add_decision(session, case, message, extraction, attachments, CaseChange(case, False, "reprocess", case.status))
    contact = session.scalar(select(Contact).where(Contact.from_message_pk == message.id).order_by(Contact.id.desc()).limit(1))
    if contact is not None and "contact" not in extraction.missing:
        overridden = {key.removeprefix("contact.") for key in (case.overrides or {}) if key.startswith("contact.")}
        for key in ("name", "title", "email", "phone"):
            if key not in overridden:
                setattr(contact, key, getattr(extraction.contact, key))
        contact.source = extraction.contact.source
    elif contact is None and is_newest:
        _add_contact(session, case, message, extraction, CaseChange(case, False, "reprocess", case.status))
    _attach_organisation(session, case, extraction)
    if is_newest:
        _record_review(case, extraction, CaseChange(case, True, "reprocess", case.status))
    _update_status(ctx, session, case, message, CaseChange(case, False, "reprocess", case.status))
