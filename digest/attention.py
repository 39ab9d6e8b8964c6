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
from replies.inert import defang
from replies.outbox import hold_kind
from replies.recipients import DAILY_CAP, OUTSIDE, SENDER_CAP


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
    to_read = _events(session, ("answer_to_read", "bounce_unverified"), period_start)
    items = [item for case in cases if (item := _case_item(case, rules, undeliverable, stuck, to_read)).reasons]
    items += [_orphan_bounce(row) for row in undeliverable if row.case_id is None and as_utc(row.created_at) >= period_start]
    items += [_quarantined(message, rules.zone) for message in _quarantined_messages(session)]
    items += _caps_reached(_events(session, ("reply_held",), period_start))
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
    item.reasons += [_to_read(event) for event in to_read if event.case_id == case.id]
    return item


def _events(session: Session, actions: tuple[str, ...], since: datetime) -> list[Event]:
    """Events of these kinds since the last digest, e.g. mail on a case that changed nothing by itself
    (a chosen time, a question), or a bounce nobody could verify."""
    return list(session.scalars(select(Event).where(Event.action.in_(actions), Event.at >= since).order_by(Event.id)))


def _to_read(event: Event) -> str:
    if event.action == "bounce_unverified":
        what = MAIL_NAMES.get((event.detail or "").partition(":")[0], "ett utskick")
        return (f"Ett meddelande säger att {what} inte kom fram, men det gick inte att bekräfta att det kom från "
                "ett e-postsystem; ingen adress har spärrats. Läs det i ärendet")
    return f"Nytt mejl att läsa: ”{defang(event.detail)}”"


REVIEWABLE = (CaseStatus.RECEIVED, CaseStatus.INCOMPLETE, CaseStatus.COMPLETE, CaseStatus.INVITED, CaseStatus.NEEDS_REVIEW)
# A reply that failed for good, whose sender stopped mid-send, or that waits for approval: only a person can decide.
STUCK = (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN, OutboxStatus.HELD)
HELD_WHY: dict[str | None, str] = {  # keyed by hold_kind(row), None when the row says no kind
    OUTSIDE: "adressen är varken avsändarens eller hör till avsändarens eller organisationens e-postdomäner",
    SENDER_CAP: "avsändaren har nått taket för hur många olika adresser den kan få oss att mejla per dygn",
    DAILY_CAP: "taket för automatiska utskick per dygn har nåtts",
}
MAIL_NAMES = {"acknowledgement": "bekräftelsen", "request_missing": "begäran om komplettering", "reminder": "påminnelsen",
              "invitation": "inbjudan till dialogmöte", "booking_confirmation": "bokningsbekräftelsen",
              "received_on_case": "mottagningsbekräftelsen"}


def _stuck(row: OutgoingMail) -> str:
    what, to = MAIL_NAMES.get(row.template, "ett utskick"), ", ".join(row.recipients)
    if row.status is OutboxStatus.HELD:
        why = HELD_WHY.get(hold_kind(row), "det behöver godkännas")
        return (f"Väntar på godkännande: {what} till {to} skickas inte automatiskt ({why}). "
                f"Godkänn med `inbox outbox approve {row.id}` eller avvisa med `inbox outbox reject {row.id}`")
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


def _caps_reached(held: list[Event]) -> list[Attention]:
    """One item per cap that held mail since the last digest (the held replies are listed on their cases)."""
    counts: dict[tuple[str, str | None], int] = {}
    for event in held:
        data = event.data or {}
        if data.get("kind") in (SENDER_CAP, DAILY_CAP):
            key = (data["kind"], data.get("sender") if data["kind"] == SENDER_CAP else None)
            counts[key] = counts.get(key, 0) + 1
    items = []
    for (kind, sender), n in counts.items():
        held_text = labels.count(n, "utskick hölls", "utskick hölls") + " tillbaka för godkännande"
        if kind == DAILY_CAP:
            items.append(Attention(None, "Automatiska utskick", [f"Taket för automatiska utskick per dygn nåddes; {held_text}"]))
        else:
            items.append(Attention(None, sender or "Okänd avsändare",
                                   [f"Avsändaren nådde taket för hur många olika adresser den kan få oss att mejla per dygn; {held_text}"]))
    return items


def _orphan_bounce(row: UndeliverableAddress) -> Attention:
    return Attention(None, row.address, [f"E-post till {row.address} kom inte fram (inget ärende kopplat)"])


def _quarantined_messages(session: Session) -> list[Message]:
    return list(session.scalars(
        select(Message).where(Message.status == MessageStatus.QUARANTINED).order_by(Message.received_at, Message.id)
    ))


def _quarantined(message: Message, zone: ZoneInfo) -> Attention:
    subject = f"”{defang(message.subject)}”" if message.subject else "utan ämnesrad"
    when = labels.short_date(as_utc(message.received_at).astimezone(zone))
    return Attention(None, message.sender or "Okänd avsändare", [
        f"Meddelandet {subject}, mottaget {when}, kunde inte behandlas automatiskt (karantän, nr {message.id})",
    ])


def _join(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]
