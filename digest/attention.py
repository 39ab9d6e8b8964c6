"""What needs a person: one entry per case (or per message without a case), each with Swedish reasons.

Every reason has a stable `key` (cases/review.item_key): a person who marks it as done in the workspace
records a Resolution under that key, and neither the digest nor the start page lists it again. Something
genuinely new (another bounce, a new outbox row, the case back in a status) gets a new key and shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.review import CHECK, NEEDS_REVIEW, UNSURE, item_key, resolved_keys, review_needs, stint
from digest import labels
from digest.calendar import as_utc
from models import (
    Case,
    CaseStatus,
    CommitmentState,
    DialogueEntry,
    Event,
    Message,
    MessageStatus,
    OutboxStatus,
    OutgoingMail,
    UndeliverableAddress,
)
from replies.inert import defang
from replies.outbox import hold_kind
from replies.recipients import DAILY_CAP, OUTSIDE, SENDER_CAP

__all__ = ["Attention", "Reason", "Rules", "attention_items", "item_key"]

# Kinds of reason besides the review kinds of cases/review.py; the start page groups by them.
INCOMPLETE, UNDELIVERABLE, OUTBOX, QUARANTINED, CAP = "incomplete", "undeliverable", "outbox", "quarantined", "cap"
MAIL_TO_READ, BOUNCE_UNVERIFIED = "answer_to_read", "bounce_unverified"  # named after their events' actions
OTHER_TIMES = "portal_other_times_asked"  # the organisation asked on its own page for other meeting times
FOLLOW_UP = "follow_up"  # a commitment from the dialogue whose follow-up date has come
FOLLOWED = (CommitmentState.PLANNED, CommitmentState.ONGOING)  # commitments still to follow up
MAX_ASKED = 200  # characters of the organisation's words about other times, on one line
OUTBOX_PAGE = "/utkorg"


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str  # Swedish, for staff
    key: str  # Resolution.item_key
    link: str | None = None  # a workspace page more to the point than the item's own (the outbox, a message)


@dataclass
class Attention:
    reference: str | None
    who: str  # the organisation, or the sender of a message without a case
    reasons: list[Reason] = field(default_factory=list)
    link: str = "/"  # the item's page in the workspace, a path under [web] base_url
    message_pk: int | None = None  # the message an item without a case is about
    case_id: int | None = None


@dataclass(frozen=True)
class Rules:
    now: datetime
    incomplete_after_days: int
    review_below: float
    zone: ZoneInfo
    area_names: dict[str, str] = field(default_factory=dict)  # problem-area code -> name (data/strategy.toml)


def case_link(reference: str) -> str:
    return f"/arenden/{quote(reference, safe='')}"


def message_link(message_pk: int) -> str:
    return f"/meddelande/{message_pk}"


def attention_items(session: Session, cases: Iterable[Case], rules: Rules, period_start: datetime) -> list[Attention]:
    """Everything that needs a person and nobody has marked as done; events count from `period_start`."""
    undeliverable = list(session.scalars(select(UndeliverableAddress).order_by(UndeliverableAddress.id)))
    stuck = list(session.scalars(select(OutgoingMail).where(OutgoingMail.status.in_(STUCK)).order_by(OutgoingMail.id)))
    to_read = _events(session, (MAIL_TO_READ, BOUNCE_UNVERIFIED, OTHER_TIMES), period_start)
    due = _due_follow_ups(session, rules)
    items = [_case_item(case, rules, undeliverable, stuck, to_read, due.get(case.id, [])) for case in cases]
    items += [_orphan_bounce(row) for row in undeliverable if row.case_id is None and as_utc(row.created_at) >= period_start]
    items += [_quarantined(message, rules.zone) for message in _quarantined_messages(session)]
    items += _caps_reached(_events(session, ("reply_held",), period_start))
    return _unresolved(session, items)


def _unresolved(session: Session, items: list[Attention]) -> list[Attention]:
    done = resolved_keys(session, (reason.key for item in items for reason in item.reasons))
    for item in items:
        item.reasons = [reason for reason in item.reasons if reason.key not in done]
    return [item for item in items if item.reasons]


def _case_item(case: Case, rules: Rules, undeliverable: list[UndeliverableAddress], stuck: list[OutgoingMail],
               to_read: list[Event], due: list[DialogueEntry]) -> Attention:
    who = labels.one_line(case.organisation.name if case.organisation else case.sender) or "Okänd avsändare"
    item = Attention(case.reference, who, link=case_link(case.reference), case_id=case.id)
    if case.status is CaseStatus.WITHDRAWN:
        return item
    if case.status is CaseStatus.INCOMPLETE:
        item.reasons += _incomplete(case, rules)
    item.reasons += _review(case, rules.review_below)
    addresses = {a.lower() for a in (case.sender, case.contact.email if case.contact else None) if a}
    for row in undeliverable:
        if row.case_id == case.id and row.address.lower() in addresses:
            item.reasons.append(Reason(UNDELIVERABLE, f"E-post till {row.address} kom inte fram",
                                       item_key(UNDELIVERABLE, case.reference, row.id)))
    item.reasons += [_stuck(row, case.reference) for row in stuck if row.case_id == case.id]
    item.reasons += [_to_read(event, case.reference) for event in to_read if event.case_id == case.id]
    item.reasons += [_follow_up(entry, case.reference, rules) for entry in due]
    return item


def _events(session: Session, actions: tuple[str, ...], since: datetime) -> list[Event]:
    """Events of these kinds since `since`, e.g. mail on a case that changed nothing by itself
    (a chosen time, a question), or a bounce nobody could verify."""
    return list(session.scalars(select(Event).where(Event.action.in_(actions), Event.at >= since).order_by(Event.id)))


def _to_read(event: Event, reference: str) -> Reason:
    link = message_link(event.message_pk) if event.message_pk else None
    key = item_key(event.action, reference, event.id)
    if event.action == OTHER_TIMES:
        return Reason(OTHER_TIMES, f"Organisationen ber om andra tider: ”{_asked(event)}”", key)
    if event.action == BOUNCE_UNVERIFIED:
        what = MAIL_NAMES.get((event.detail or "").partition(":")[0], "ett utskick")
        return Reason(BOUNCE_UNVERIFIED, f"Ett meddelande säger att {what} inte kom fram, men det gick inte att bekräfta att "
                      "det kom från ett e-postsystem; ingen adress har spärrats. Läs det i ärendet", key, link)
    return Reason(MAIL_TO_READ, f"Nytt mejl att läsa: ”{defang(event.detail)}”", key, link)


def _asked(event: Event) -> str:
    """What the organisation wrote (attacker-controlled): one line, shortened, never a link in mail."""
    data = event.data if isinstance(event.data, dict) else {}
    text = data.get("text") if isinstance(data.get("text"), str) else event.detail
    line = " ".join((text or "").split())
    short = line if len(line) <= MAX_ASKED else line[:MAX_ASKED - 1].rstrip() + "…"
    return defang(short) or "(ingen text)"


def _due_follow_ups(session: Session, rules: Rules) -> dict[int, list[DialogueEntry]]:
    """Commitments still open whose follow-up date is today or earlier on the board's calendar, per case."""
    today = rules.now.astimezone(rules.zone).date()
    rows = session.scalars(select(DialogueEntry).where(
        DialogueEntry.follow_up_on.is_not(None), DialogueEntry.follow_up_on <= today, DialogueEntry.state.in_(FOLLOWED),
    ).order_by(DialogueEntry.follow_up_on, DialogueEntry.id))
    due: dict[int, list[DialogueEntry]] = {}
    for entry in rows:
        due.setdefault(entry.case_id, []).append(entry)
    return due


def _follow_up(entry: DialogueEntry, reference: str, rules: Rules) -> Reason:
    area = rules.area_names.get(entry.area_code, entry.area_code)
    day = entry.follow_up_on
    when = format_date(day, "d MMMM y", locale="sv") if day else ""
    # The date is part of the key: a follow-up moved to a later date is due again then.
    key = item_key(FOLLOW_UP, reference, entry.id, day.isoformat() if day else "")
    return Reason(FOLLOW_UP, f"Uppföljning av åtagande: {area} (senast {when})", key)


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


def _stuck(row: OutgoingMail, reference: str) -> Reason:
    what, to = MAIL_NAMES.get(row.template, "ett utskick"), ", ".join(row.recipients)
    # The status is part of the key: a held reply that was approved and then failed is a new matter.
    key = item_key(OUTBOX, reference, row.id, row.status.value)
    if row.status is OutboxStatus.HELD:
        why = HELD_WHY.get(hold_kind(row), "det behöver godkännas")
        return Reason(OUTBOX, f"Väntar på godkännande: {what} till {to} skickas inte automatiskt ({why}). "
                      f"Godkänn eller avvisa det under Utkorg i arbetsytan, eller med `inbox outbox approve {row.id}` "
                      f"/ `inbox outbox reject {row.id}`", key, OUTBOX_PAGE)
    if row.status is OutboxStatus.FAILED:
        return Reason(OUTBOX, f"Utskicket av {what} till {to} misslyckades; kontakta dem på annat sätt", key, OUTBOX_PAGE)
    return Reason(OUTBOX, f"Oklart om {what} till {to} kom fram; administratören behöver kontrollera utskicket (nr {row.id})",
                  key, OUTBOX_PAGE)


def _incomplete(case: Case, rules: Rules) -> list[Reason]:
    since = as_utc(case.status_since or case.created_at)
    days = (rules.now - since) // timedelta(days=1)
    if days < rules.incomplete_after_days:
        return []
    missing = _join(labels.field(m) for m in case.missing) if case.missing else "uppgifter"
    text = (f"Ofullständigt sedan {labels.short_date(since.astimezone(rules.zone))} "
            f"({labels.count(days, 'dag', 'dagar')}); saknar {missing}")
    # Not the day count (it grows daily) nor what is missing: the stint in the status is the item.
    return [Reason(INCOMPLETE, text, item_key(INCOMPLETE, case.reference, stint(case)))]


def _review(case: Case, review_below: float) -> list[Reason]:
    texts = {
        NEEDS_REVIEW: lambda fields: "Behöver granskas av en handläggare",
        CHECK: lambda fields: "Kontrollera " + _join(labels.field(name) for name in fields),
        UNSURE: lambda fields: "Osäker tolkning av " + _join(labels.field(name) for name in fields),
    }
    return [Reason(need.kind, texts[need.kind](need.fields), need.key) for need in review_needs(case, review_below)]


def _caps_reached(held: list[Event]) -> list[Attention]:
    """One item per cap that held mail since `since` (the held replies are listed on their cases)."""
    counts: dict[tuple[str, str | None], list[int]] = {}
    for event in held:
        data = event.data or {}
        if data.get("kind") in (SENDER_CAP, DAILY_CAP):
            group = (data["kind"], data.get("sender") if data["kind"] == SENDER_CAP else None)
            counts.setdefault(group, []).append(event.id)
    items = []
    for (kind, sender), ids in counts.items():
        held_text = labels.count(len(ids), "utskick hölls", "utskick hölls") + " tillbaka för godkännande"
        key = item_key(CAP, kind, sender, max(ids))  # more mail held since a person looked: new again
        if kind == DAILY_CAP:
            text = f"Taket för automatiska utskick per dygn nåddes; {held_text}"
            items.append(Attention(None, "Automatiska utskick", [Reason(CAP, text, key, OUTBOX_PAGE)], OUTBOX_PAGE))
        else:
            text = f"Avsändaren nådde taket för hur många olika adresser den kan få oss att mejla per dygn; {held_text}"
            items.append(Attention(None, sender or "Okänd avsändare", [Reason(CAP, text, key, OUTBOX_PAGE)], OUTBOX_PAGE))
    return items


def _orphan_bounce(row: UndeliverableAddress) -> Attention:
    link = message_link(row.message_pk) if row.message_pk else OUTBOX_PAGE
    reason = Reason(UNDELIVERABLE, f"E-post till {row.address} kom inte fram (inget ärende kopplat)",
                    item_key(UNDELIVERABLE, None, row.id), link)
    return Attention(None, row.address, [reason], link, row.message_pk)


def _quarantined_messages(session: Session) -> list[Message]:
    return list(session.scalars(
        select(Message).where(Message.status == MessageStatus.QUARANTINED).order_by(Message.received_at, Message.id)
    ))


def _quarantined(message: Message, zone: ZoneInfo) -> Attention:
    subject = f"”{defang(message.subject)}”" if message.subject else "utan ämnesrad"
    when = labels.short_date(as_utc(message.received_at).astimezone(zone))
    text = f"Meddelandet {subject}, mottaget {when}, kunde inte behandlas automatiskt (karantän, nr {message.id})"
    # Attempts count every processing: quarantined again after a replay is new.
    reason = Reason(QUARANTINED, text, item_key(QUARANTINED, message.id, message.attempts), message_link(message.id))
    return Attention(None, message.sender or "Okänd avsändare", [reason], message_link(message.id), message.id)


def _join(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]
