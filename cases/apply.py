"""Apply one message's extraction to its case: create or join, add decision and contact, set status.

Doubts about who a message is from (two org numbers under one name, one number under two names,
a sender from an unknown domain claiming an organisation) are never settled silently: they are
review items on the case (field "organisation"), an `identity_review` event, and the case goes to
needs_review. Case-level review items (fields "organisation" and "contact") stay until a person
settles them; the extraction's own items are replaced by the next extraction that adds something.

A case opened by such a claim ("claims to be ...", "claims to answer JS-...") is the claimant's own:
its contact is the claimant, and the receipt it gets names nothing but the new case's reference, so
our mail never confirms what a claim says.

A person erased on request (`inbox person erase`, privacy/) does not come back when kept mail is
read again (`inbox reprocess`): contact rows pseudonymised by the erasure (source "erased") are left
as they are, and no contact is taken from a message received before the last erasure of its address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.contacts import Said, record_contact
from cases.lifecycle import OPEN_STATUSES, transition
from cases.match import find_case
from cases.names import organisations_named
from cases.reference import next_reference, token_key
from cases.trust import CLAIMS, Sender, claim, heard_from, trusted, under_claim, unlisted_claim
from inbox.context import AppContext
from ingest.extract import known_organisations_for
from ingest.extract.result import Extraction
from ingest.message import ParsedMail
from models import Attachment, Case, CaseStatus, Contact, Decision, Event, Message, Organisation
from privacy.lookup import last_erasure

CASE_REVIEW_FIELDS = frozenset({"organisation", "contact"})  # settled by a person, not by the next extraction
CONVERSATION = frozenset({"by_thread", "by_reference", "by_token"})  # joins that answer our mail (Match.how)
ERASED = "erased"  # Contact.source of a row privacy/erase.py pseudonymised


class NamedFile(Protocol):
    """A file as the message named it: a part just parsed (ingest.message.MailAttachment) or a
    stored row read again (models.Attachment, `inbox reprocess`)."""

    @property
    def filename(self) -> str | None: ...


@dataclass
class CaseChange:
    case: Case
    created: bool
    joined_by: str
    status_before: CaseStatus | None
    added: list[str] = field(default_factory=list)  # "decision", "contact"
    review: list[str] = field(default_factory=list)  # identity doubts: the case goes to a person
    new_sender: bool = True  # the case never heard from (nor wrote to) this sender before
    # The sender may speak for the case (cases/trust.py), and be told what the case holds (the receipt).
    trusted: bool = True

    @property
    def became_complete(self) -> bool:
        return self.case.status is CaseStatus.COMPLETE and self.status_before is not CaseStatus.COMPLETE


def apply_extraction(
    ctx: AppContext, session: Session, message: Message, mail: ParsedMail,
    extraction: Extraction, attachments: Sequence[tuple[NamedFile, Attachment]],
) -> CaseChange:
    sender = Sender.of(mail.sender, mail.auth)  # DMARC as our own server saw it, whatever rules are configured
    match = find_case(session, mail, extraction, ctx.settings.service.case_prefix, token_key(ctx.data_dir),
                      sender, known_organisations_for(ctx))
    found, how = match.case, match.how
    case = found if found is not None else _new_case(ctx, session, mail)
    change = CaseChange(case=case, created=found is None, joined_by=how, status_before=found.status if found else None,
                        review=list(match.review))
    if change.created:
        change.trusted = sender.authenticated
    else:
        change.new_sender = not heard_from(session, case, sender.address, exclude=message.id)
        change.trusted = trusted(session, case, sender, known_organisations_for(ctx), exclude=message.id)
    message.case_id = case.id
    for refused in match.refused:
        _event(session, case, message, "join_refused", refused)
    _event(session, case, message, "message_joined" if not change.created else "case_created", how or mail.sender)
    _attach_organisation(session, case, extraction, change, claimed=match.claimed)
    if change.created and match.claimed is None:
        _check_claim(ctx, case, sender, change)
    if change.created and any(reason.startswith(CLAIMS) for reason in change.review):
        change.trusted = False  # its receipt confirms nothing the claim says (replies/plan.py)
    _add_decision(session, case, message, extraction, attachments, change)
    _add_contact(ctx, session, case, message, extraction, change, sender)
    _record_review(case, extraction, change)
    _update_status(ctx, session, case, message, change)
    if not change.created:
        # Every answer a person wrote is read by a person, even when it added something:
        # "Fredag kl. 9 passar oss", "vi vill inte vara med längre", a new phone number.
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


def _attach_organisation(session: Session, case: Case, extraction: Extraction, change: CaseChange, *, claimed: Case | None = None) -> None:
    """Link the case to its organisation and fill what the organisation lacks. Only a sender the
    case trusts fills anything, and an org number another organisation holds is never taken."""
    info = extraction.organisation
    if case.organisation is None and (info.name or info.org_number):
        case.organisation = joined = _find_or_create_organisation(session, extraction)
        if claimed is None and (others := _other_cases(session, case, joined)):
            change.review.append(f"{joined.name} ({joined.org_number or 'no org number'}) "
                                 f"already has case {', '.join(c.reference for c in others)}")
    org = case.organisation
    if org is None or not change.trusted or claimed is not None:
        return
    if info.org_number and not org.org_number:
        taken = session.scalar(select(Organisation).where(Organisation.org_number == info.org_number))
        if taken is None:
            org.org_number = info.org_number
        else:
            change.review.append(f"this message gives org number {info.org_number}, which is {taken.name}'s, "
                                 f"not {org.name}'s")
    org.type = org.type or info.type


def _check_claim(ctx: AppContext, case: Case, sender: Sender, change: CaseChange) -> None:
    """A new case for a listed organisation from none of its domains: a person checks the claim."""
    org = case.organisation  # unlisted_claim finds nothing for a case without one
    if org is not None and (entry := unlisted_claim(org, sender, known_organisations_for(ctx))) is not None:
        change.review.append(f"{claim(entry.name, org.org_number, sender)}; "
                             f"not a domain of {entry.name} in data/organisations.toml")


def _other_cases(session: Session, case: Case, org: Organisation) -> list[Case]:
    """The organisation's other cases; one opened by an unsettled claim is not the organisation's."""
    found = session.scalars(select(Case).where(Case.organisation_id == org.id, Case.id != case.id,
                                               Case.merged_into_id.is_(None)).order_by(Case.id))
    return [other for other in found if not under_claim(other)]


def _find_or_create_organisation(session: Session, extraction: Extraction) -> Organisation:
    """The organisation with the message's org number, else one of that name whose org number does
    not contradict it, else a new one: two org numbers are two organisations, whatever their names."""
    info = extraction.organisation
    found = None
    if info.org_number:
        found = session.scalar(select(Organisation).where(Organisation.org_number == info.org_number))
    if found is None and info.name:
        fitting = (org for org in organisations_named(session, info.name) if not (org.org_number and info.org_number))
        found = next(fitting, None)
    if found is None:
        found = Organisation(name=info.name or info.org_number, org_number=info.org_number, type=info.type)
        session.add(found)
        session.flush()
    return found


def _add_decision(session: Session, case: Case, message: Message, extraction: Extraction,
                  attachments: Sequence[tuple[NamedFile, Attachment]], change: CaseChange) -> None:
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


def _add_contact(ctx: AppContext, session: Session, case: Case, message: Message, extraction: Extraction,
                 change: CaseChange, sender: Sender) -> None:
    """Weigh the message's contact against the one on record (cases/contacts.py)."""
    found = extraction.contact
    if "contact" in extraction.missing:
        return
    if erased_after(ctx, session, message, found.email):
        _event(session, case, message, "contact_not_restored",
               "the contact this message names was erased on request after it was received")
        return
    values = {key: getattr(found, key) for key in ("name", "title", "email", "phone")}
    # A staff correction wins over whatever a later message seems to say.
    values.update({key.removeprefix("contact."): value for key, value in (case.overrides or {}).items() if key.startswith("contact.")})
    # A sender speaks for a case its own mail opened (even on a claim: the claimant's own case),
    # unless that mail failed authentication.
    speaks = change.trusted or (change.created and sender.authenticated)
    said = Said(values=values, source=found.source, trusted=speaks, in_reply=change.joined_by in CONVERSATION,
                domain=sender.domain or "no sender")
    outcome = record_contact(session, case, message, said)
    if outcome is None:
        return
    if outcome != "candidate":
        change.added.append("contact")
    _event(session, case, message, f"contact_{outcome}", f"{found.name or found.email} ({found.source or 'rule'})")


def erased_after(ctx: AppContext, session: Session, message: Message, address: str | None) -> bool:
    """`address` was erased on request after `message` was received: what the message says of
    that person must not come back when it is read again."""
    if not address:
        return False
    erased_at = last_erasure(session, ctx.data_dir, address)
    return erased_at is not None and message.received_at < erased_at


def contact_erased(ctx: AppContext, session: Session, message: Message, address: str | None) -> bool:
    """The contact `message` gave was erased: a row taken from it was pseudonymised, or the
    address it names now was erased after it was received."""
    rows = session.scalars(select(Contact.source).where(Contact.from_message_pk == message.id))
    return ERASED in set(rows) or erased_after(ctx, session, message, address)


def _record_review(case: Case, extraction: Extraction, change: CaseChange) -> None:
    """The case shows the confidence and review list of the extraction that last added to it, and
    keeps the items only a person settles (who the organisation is, a candidate contact)."""
    kept = [item for item in case.review or [] if item.get("field") in CASE_REVIEW_FIELDS]
    if change.created or change.added:
        case.confidence = dict(extraction.confidence)
        kept += [item.model_dump() for item in extraction.review]
    else:
        kept = list(case.review or [])
    kept += [{"field": "organisation", "reason": reason} for reason in change.review
             if {"field": "organisation", "reason": reason} not in kept]
    case.review = kept


def _update_status(ctx: AppContext, session: Session, case: Case, message: Message, change: CaseChange) -> None:
    recount_missing(session, case)
    case.updated_at = ctx.clock()
    if change.review:
        for reason in change.review:
            session.add(Event(at=ctx.clock(), action="identity_review", case_id=case.id, message_pk=message.id, detail=reason))
        transition(session, case, CaseStatus.NEEDS_REVIEW, actor="system", why="; ".join(change.review), at=ctx.clock(), message_pk=message.id)
        return
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
    case.missing = [part for part, have in (("decision", case.decisions), ("contact", case.contact)) if not have]


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
    sender = Sender.of_stored(message)
    joined_by = session.scalar(select(Event.detail).where(Event.message_pk == message.id, Event.action == "message_joined").limit(1))
    again = CaseChange(case, False, joined_by or "reprocess", case.status,
                       trusted=trusted(session, case, sender, known_organisations_for(ctx), exclude=message.id))
    found = extraction.decision
    decision = session.scalar(select(Decision).where(Decision.from_message_pk == message.id).order_by(Decision.id.desc()).limit(1))
    if decision is not None and found.present:
        decision.filename, decision.decided_by, decision.decision_date = found.filename, found.decided_by, found.date
        decision.paragraph, decision.case_number, decision.text_source = found.paragraph, found.case_number, found.text_source
        stored = next((row for row in message.attachments if row.filename == found.filename), None)
        decision.attachment_id = stored.id if stored else None  # the file the current rules chose
    elif decision is None and found.present and is_newest:
        attachments = [(part, part) for part in message.attachments]  # rows carry the filename too
        _add_decision(session, case, message, extraction, attachments, again)
    _refresh_contact(ctx, session, case, message, extraction, again, sender, is_newest=is_newest)
    _attach_organisation(session, case, extraction, again)
    _record_review(case, extraction, CaseChange(case, is_newest, "reprocess", case.status, review=again.review))
    _update_status(ctx, session, case, message, CaseChange(case, False, "reprocess", case.status, review=again.review))


def _refresh_contact(ctx: AppContext, session: Session, case: Case, message: Message, extraction: Extraction,
                     again: CaseChange, sender: Sender, *, is_newest: bool) -> None:
    """Correct the contact row this message gave, or add it (newest message only). A contact
    pseudonymised on the person's request stays so: reading kept mail again must not undo an erasure."""
    if contact_erased(ctx, session, message, extraction.contact.email):
        return
    contact = session.scalar(select(Contact).where(Contact.from_message_pk == message.id).order_by(Contact.id.desc()).limit(1))
    if contact is not None and "contact" not in extraction.missing:
        overridden = {key.removeprefix("contact.") for key in (case.overrides or {}) if key.startswith("contact.")}
        for key in ("name", "title", "email", "phone"):
            if key not in overridden and getattr(extraction.contact, key):  # corrects a field, never erases one
                setattr(contact, key, getattr(extraction.contact, key))
        contact.source = extraction.contact.source
    elif contact is None and is_newest:
        _add_contact(ctx, session, case, message, extraction, again, sender)
