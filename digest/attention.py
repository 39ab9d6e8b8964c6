"""What needs a person: one entry per case (or per message without a case), each with Swedish reasons."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from digest import labels
from digest.calendar import as_utc
from models import Case, CaseStatus, Event, Message, MessageStatus, OutboxStatus, OutgoingMail, UndeliverableAddress


@dataclass
class Attention:
    reference: str | None
    who: str  # the organisation, or the sender of a message without a case
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rules:
    now: datetime
    incomplete_after_days: int
    review_below: float
    zone: ZoneInfo


def attention_items(session: Session, cases: Iterable[Case], rules: Rules, period_start: datetime) -> list[Attention]:
    undeliverable = list(session.scalars(select(UndeliverableAddress).order_by(UndeliverableAddress.id)))
    stuck = list(session.scalars(select(OutgoingMail).where(OutgoingMail.status.in_(STUCK)).order_by(OutgoingMail.id)))
    to_read = _answers_to_read(session, period_start)
    items = [item for case in cases if (item := _case_item(case, rules, undeliverable, stuck, to_read)).reasons]
    items += [_orphan_bounce(row) for row in undeliverable if row.case_id is None and as_utc(row.created_at) >= period_start]
    items += [_quarantined(message, rules.zone) for message in _quarantined_messages(session)]
    return items


def _case_item(case: Case, rules: Rules, undeliverable: list[UndeliverableAddress], stuck: list[OutgoingMail],
               to_read: list[Event]) -> Attention:
    who = labels.one_line(case.organisation.name if case.organisation else case.sender) or "Okänd avsändare"
    item = Attention(case.reference, who)
    if case.status is CaseStatus.WITHDRAWN:
        return item
    if case.status is CaseStatus.INCOMPLETE:
        item.reasons += _incomplete(case, rules)
    if case.status is CaseStatus.NEEDS_REVIEW:
        item.reasons.append("Behöver granskas av en handläggare")
    if case.status in REVIEWABLE:  # once the dialogue is booked, doubts about the extraction are settled
        item.reasons += _review(case, rules.review_below)
    addresses = {a.lower() for a in (case.sender, case.contact.email if case.contact else None) if a}
    for row in undeliverable:
        if row.case_id == case.id and row.address.lower() in addresses:
            item.reasons.append(f"E-post till {row.address} kom inte fram")
    item.reasons += [_stuck(row) for row in stuck if row.case_id == case.id]
    item.reasons += [f"Nytt mejl att läsa: ”{event.detail}”" for event in to_read if event.case_id == case.id]
    return item


def _answers_to_read(session: Session, since: datetime) -> list[Event]:
    """Mail on a case that changed nothing by itself (a chosen time, a question) since the last digest."""
    return list(session.scalars(select(Event).where(Event.action == "answer_to_read", Event.at >= since).order_by(Event.id)))


REVIEWABLE = (CaseStatus.RECEIVED, CaseStatus.INCOMPLETE, CaseStatus.COMPLETE, CaseStatus.INVITED, CaseStatus.NEEDS_REVIEW)
# A reply that failed for good, or whose sender stopped mid-send: only a person can decide.
STUCK = (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN)
MAIL_NAMES = {"acknowledgement": "bekräftelsen", "request_missing": "begäran om komplettering", "reminder": "påminnelsen",
              "invitation": "inbjudan till dialogmöte", "booking_confirmation": "bokningsbekräftelsen"}


def _stuck(row: OutgoingMail) -> str:
    what, to = MAIL_NAMES.get(row.template, "ett utskick"), ", ".join(row.recipients)
    if row.status is OutboxStatus.FAILED:
        return f"Utskicket av {what} till {to} misslyckades; kontakta dem på annat sätt"
    return f"Oklart om {what} till {to} kom fram; administratören behöver kontrollera utskicket (nr {row.id})"


def _incomplete(case: Case, rules: Rules) -> list[str]:
    since = as_utc(case.status_since or case.created_at)
    days = (rules.now - since) // timedelta(days=1)
    if days < rules.incomplete_after_days:
        return []
    missing = _join(labels.field(m) for m in case.missing) if case.missing else "uppgifter"
    return [f"Ofullständigt sedan {labels.short_date(since.astimezone(rules.zone))} ({labels.count(days, 'dag', 'dagar')}); saknar {missing}"]


def _review(case: Case, review_below: float) -> list[str]:
    flagged = list(dict.fromkeys(item["field"] for item in case.review or []))
    unsure = [name for name, value in sorted((case.confidence or {}).items()) if value < review_below and name not in flagged]
    reasons = []
    if flagged:
        reasons.append("Kontrollera " + _join(labels.field(name) for name in flagged))
    if unsure:
        reasons.append("Osäker tolkning av " + _join(labels.field(name) for name in unsure))
    return reasons


def _orphan_bounce(row: UndeliverableAddress) -> Attention:
    return Attention(None, row.address, [f"E-post till {row.address} kom inte fram (inget ärende kopplat)"])


def _quarantined_messages(session: Session) -> list[Message]:
    return list(session.scalars(
        select(Message).where(Message.status == MessageStatus.QUARANTINED).order_by(Message.received_at, Message.id)
    ))


def _quarantined(message: Message, zone: ZoneInfo) -> Attention:
    subject = f"”{message.subject}”" if message.subject else "utan ämnesrad"
    when = labels.short_date(as_utc(message.received_at).astimezone(zone))
    return Attention(None, message.sender or "Okänd avsändare", [
        f"Meddelandet {subject}, mottaget {when}, kunde inte behandlas automatiskt (karantän, nr {message.id})",
    ])


def _join(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]
