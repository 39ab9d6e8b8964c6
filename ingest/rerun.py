"""Re-run the current rules over stored messages: `inbox rules dry-run` and `inbox reprocess`.

Both read every processed message again from its raw bytes (classification, follow-up
recognition, extraction: the same handlers as the pipeline) and compare the result with
what is stored. A dry run rolls each message's transaction back, so nothing is written.
Reprocessing commits the new result per message and corrects the case's decision, contact
and organisation, with one audit event per changed field. It never sends mail: a case that
becomes complete this way is listed for staff (`inbox case REF --invite`).

A person erased on request stays erased: when the contact a message gave was pseudonymised
(`inbox person erase`), or its address was erased after the message was received, the
message's stored contact (the pseudonym) is kept and the contact read again is not used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.apply import apply_extraction, contact_erased, refresh_case_from_message
from inbox.context import AppContext
from ingest.extract.result import ContactInfo
from ingest.pipeline import Work, classify_message, extract_fields, parse, recognise_follow_up, recognise_returned_copy
from models import Case, Event, Message, MessageStatus
from privacy.identity import ERASED

READ_AGAIN = (parse, classify_message, recognise_returned_copy, recognise_follow_up, extract_fields)
PSEUDONYM_START = ERASED.removesuffix("]") + " "  # "[raderad 3f2a9c1d7e4b]" (privacy.identity.pseudonym)
FIELDS = (
    "organisation.name", "organisation.org_number", "organisation.type",
    "decision.present", "decision.filename", "decision.decided_by", "decision.date", "decision.paragraph",
    "decision.case_number", "decision.text_source",
    "contact.name", "contact.title", "contact.email", "contact.phone", "contact.source", "missing",
)


@dataclass(frozen=True)
class FieldChange:
    message_pk: int
    case_reference: str | None
    field: str
    stored: object
    current: object


@dataclass
class RerunReport:
    messages: int = 0
    changed_messages: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        by_field: dict[str, int] = {}
        for change in self.changes:
            by_field[change.field] = by_field.get(change.field, 0) + 1
        return by_field


def rerun(ctx: AppContext, *, since: datetime | None = None, apply: bool = False, actor: str = "system") -> RerunReport:
    report = RerunReport()
    for pk in _message_ids(ctx, since):
        report.messages += 1
        try:
            changes = _rerun_one(ctx, pk, apply=apply, actor=actor)
        except Exception as err:  # one unreadable message must not stop the run; it is reported
            report.failed.append((pk, f"{type(err).__name__}: {err}"[:300]))
            continue
        report.changed_messages += bool(changes)
        report.changes.extend(changes)
    return report


def _message_ids(ctx: AppContext, since: datetime | None) -> list[int]:
    query = select(Message.id).where(Message.status == MessageStatus.PROCESSED).order_by(Message.id)
    if since is not None:
        query = query.where(Message.received_at >= since)
    with ctx.sessions() as session:
        return list(session.scalars(query))


def _rerun_one(ctx: AppContext, pk: int, *, apply: bool, actor: str) -> list[FieldChange]:
    with ctx.sessions() as session:
        message = session.get_one(Message, pk)  # purged since it was listed: NoResultFound, reported as failed
        before, stored = snapshot(message), message.extraction
        work = Work(ctx=ctx, session=session, message=message)
        for handler in READ_AGAIN:
            handler(work)
        keep_erased_contact(ctx, session, work, stored)
        after = snapshot(message)
        case = session.get(Case, message.case_id) if message.case_id else None
        reference = case.reference if case else None
        changes = [FieldChange(pk, reference, key, before[key], after[key]) for key in before if before[key] != after[key]]
        if not (apply and changes):
            session.rollback()
            return changes
        for change in changes:
            session.add(Event(at=ctx.clock(), actor=actor, action="reprocessed", case_id=case.id if case else None, message_pk=pk,
                              detail=f"{change.field}: {change.stored!r} -> {change.current!r}",
                              data={"field": change.field, "from": change.stored, "to": change.current}))
        if case is not None and work.extraction is not None:
            refresh_case_from_message(ctx, session, case, message, work.extraction)
        elif case is None and work.extraction is not None:  # newly recognised as an affiliation
            attachments = [(row, row) for row in message.attachments]  # rows carry the filename too
            applied = apply_extraction(ctx, session, message, work.mail, work.extraction, attachments)
            session.add(Event(at=ctx.clock(), actor=actor, action="reprocessed", case_id=applied.case.id, message_pk=pk,
                              detail=f"now an affiliation: joined {applied.case.reference} (no mail is sent by reprocessing)"))
        session.commit()
        return changes


def keep_erased_contact(ctx: AppContext, session: Session, work: Work, stored: dict | None) -> None:
    """When the person the message names as contact was erased, the stored (pseudonymised)
    contact and notes stay, and the extraction read again carries no contact for the case."""
    found = work.extraction
    if found is None or "contact" in found.missing:
        return
    if not (_pseudonymised((stored or {}).get("contact")) or contact_erased(ctx, session, work.message, found.contact.email)):
        return
    # The notes say which step found whom: they name the person too.
    kept = {key: (stored or {}).get(key) for key in ("contact", "notes")}
    work.message.extraction = {**(work.message.extraction or {}), **kept}
    work.extraction = found.model_copy(update={"contact": ContactInfo(), "missing": [*found.missing, "contact"]})


def _pseudonymised(contact: dict | None) -> bool:
    return any(isinstance(value, str) and PSEUDONYM_START in value for value in (contact or {}).values())


def snapshot(message: Message) -> dict[str, object]:
    """The compared values: the kind and every extracted field, flattened ("contact.email")."""
    data = message.extraction or {}
    values: dict[str, object] = {"kind": message.kind}
    for key in FIELDS:
        group, _, name = key.partition(".")
        values[key] = (data.get(group) or {}).get(name) if name else data.get(group)
    return values
