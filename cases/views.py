"""One case as the edges show it: the plain data of `inbox show --json` and the staff workspace's case page.

Both edges read the same rows through here; the CLI prints `case_detail` (keys documented in the README),
the web page renders `case_page`. Reading only: nothing here changes a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from cases.evidence import DecisionView, MessageTexts, decision_view, shown_text
from cases.lifecycle import ALLOWED
from cases.search import matches, terms
from digest import labels
from inbox.context import AppContext
from inbox.errors import NotFound
from models import Case, CaseStatus, Contact, Decision, Event, Meeting, Message, OutgoingMail, Slot, UndeliverableAddress


def local_iso(at: datetime | None, zone: ZoneInfo) -> str | None:
    """An instant for scripts: ISO 8601 in the board's zone, with its offset."""
    return at.astimezone(zone).isoformat(timespec="seconds") if at else None


# -- the plain data of `inbox cases --json` and `inbox show --json` -------------------------


def case_summary(case: Case, zone: ZoneInfo) -> dict:
    decision, contact = case.decision, case.contact
    return {
        "reference": case.reference,
        "status": case.status.value,
        "status_label": labels.status(case.status.value),
        "organisation": _organisation(case),
        "decision": _decision(decision) if decision else None,
        "contact": _contact(contact) if contact else None,
        "missing": list(case.missing or []),
        "created_at": local_iso(case.created_at, zone),
        "updated_at": local_iso(case.updated_at, zone),
    }


def _organisation(case: Case) -> dict | None:
    org = case.organisation
    if org is None:
        return None
    return {"name": org.name, "org_number": org.org_number, "type": org.type,
            "type_label": labels.organisation_type(org.type) if org.type else None}


def _decision(decision: Decision) -> dict:
    return {"decided_by": decision.decided_by, "date": decision.decision_date.isoformat() if decision.decision_date else None,
            "paragraph": decision.paragraph, "case_number": decision.case_number, "filename": decision.filename,
            "text_source": decision.text_source}


def _contact(contact: Contact) -> dict:
    return {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone,
            "source": contact.source, "status": contact.status}


def case_detail(session: Session, reference: str, zone: ZoneInfo) -> dict:
    """`inbox show REF --json`: the case with everything on it (keys documented in the README)."""
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise NotFound(f"no case {reference}")

    def by_case(model):
        return session.scalars(select(model).where(model.case_id == case.id).order_by(model.id))

    return {
        **case_summary(case, zone),
        "decisions": [_decision(d) for d in case.decisions],
        "contacts": [_contact(c) for c in case.contacts],
        "overrides": dict(case.overrides or {}),
        "review": list(case.review or []),
        "meetings": [{"starts_at": local_iso(m.starts_at, zone), "minutes": m.duration_minutes, "place": m.place,
                      "link": m.link, "cancelled": m.cancelled, "sequence": m.sequence} for m in by_case(Meeting)],
        "undeliverable": [{"address": u.address, "reason": u.reason} for u in by_case(UndeliverableAddress)],
        "messages": [{"id": m.id, "received_at": local_iso(m.received_at, zone), "sender": m.sender, "subject": m.subject,
                      "kind": m.kind, "status": m.status.value} for m in by_case(Message)],
        "replies": [{"id": r.id, "template": r.template, "recipients": list(r.recipients), "status": r.status.value,
                     "sent_at": local_iso(r.sent_at, zone)} for r in by_case(OutgoingMail)],
        "events": [{"at": local_iso(e.at, zone), "actor": e.actor, "action": e.action, "detail": e.detail} for e in by_case(Event)],
    }


# -- the workspace's case page -------------------------------------------------------------


@dataclass(frozen=True)
class ContactView:
    """A contact row with where it came from: the message, how it was found, the confidence then."""

    row: Contact
    message: Message | None
    confidence: dict[str, float]


@dataclass(frozen=True)
class Entry:
    """One line of the case's history: mail in, mail out, or an event."""

    at: datetime
    kind: str  # "in", "out", "event"
    message: Message | None = None
    text: str | None = None  # an incoming message's text body (never its HTML), at most evidence.MAX_TEXT characters
    cut: bool = False  # the text was longer
    reply: OutgoingMail | None = None
    event: Event | None = None


@dataclass(frozen=True)
class CasePage:
    case: Case
    allowed: list[CaseStatus]  # where a person may move the case, in the lifecycle's order
    decision: DecisionView | None
    earlier_decisions: list[Decision]
    contacts: list[ContactView]
    meeting: Meeting | None  # the booked (not cancelled) meeting
    meetings: list[Meeting]
    slots: list[Slot]  # free times the case may book
    undeliverable: list[UndeliverableAddress]
    timeline: list[Entry]
    merged_into: Case | None
    merged_from: list[Case]


def case_page(ctx: AppContext, session: Session, case: Case) -> CasePage:
    def by_case(model):
        return list(session.scalars(select(model).where(model.case_id == case.id).order_by(model.id)))

    meetings = by_case(Meeting)
    texts = MessageTexts(ctx)
    return CasePage(
        case=case,
        allowed=[status for status in CaseStatus if status in ALLOWED[case.status]],
        decision=decision_view(ctx, session, case, texts) if case.decision else None,
        earlier_decisions=list(reversed(case.decisions[:-1])),
        contacts=[_contact_view(session, row) for row in reversed(case.contacts)],
        meeting=next((m for m in reversed(meetings) if not m.cancelled), None),
        meetings=meetings,
        slots=bookable_slots(session, case, ctx.clock()),
        undeliverable=by_case(UndeliverableAddress),
        timeline=_timeline(by_case(Message), by_case(OutgoingMail), by_case(Event), texts),
        merged_into=session.get(Case, case.merged_into_id) if case.merged_into_id else None,
        merged_from=list(session.scalars(select(Case).where(Case.merged_into_id == case.id).order_by(Case.id))),
    )


def _contact_view(session: Session, row: Contact) -> ContactView:
    message = session.get(Message, row.from_message_pk) if row.from_message_pk else None
    scores = (message.extraction or {}).get("confidence", {}) if message is not None else {}
    mine = {key.removeprefix("contact."): value for key, value in scores.items() if key.startswith("contact.")}
    return ContactView(row, message, {} if row.source == "staff" else mine)


def bookable_slots(session: Session, case: Case, now: datetime) -> list[Slot]:
    """Future free times, and those offered to this very case."""
    query = select(Slot).where(Slot.starts_at > now, Slot.booked_case_id.is_(None),
                               or_(Slot.offered_case_id.is_(None), Slot.offered_case_id == case.id))
    return list(session.scalars(query.order_by(Slot.starts_at)))


ORDER = {"in": 0, "event": 1, "out": 2}


def _timeline(messages: list[Message], replies: list[OutgoingMail], events: list[Event], texts: MessageTexts) -> list[Entry]:
    entries = [Entry(m.received_at, "in", m, *shown_text(texts.of(m))) for m in messages]
    entries += [Entry(r.created_at, "out", reply=r) for r in replies]
    entries += [Entry(e.at, "event", event=e) for e in events]
    return sorted(entries, key=lambda e: (e.at, ORDER[e.kind]))


def find_cases(session: Session, text: str, *, besides: Case, limit: int = 20) -> list[Case]:
    """Cases not merged away that match `text` the way the case list searches (cases/search.py): merge candidates."""
    words = terms(text)
    if not words:
        return []
    query = (select(Case).options(selectinload(Case.organisation), selectinload(Case.contacts))
             .where(Case.id != besides.id, Case.merged_into_id.is_(None)).order_by(Case.id.desc()))
    return [case for case in session.scalars(query) if matches(case, words)][:limit]
