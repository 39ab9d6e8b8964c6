"""The dialogue record: what staff learnt in the first dialogue meeting, per problem area, and reading it back
beside what the organisation wrote on its own page.

One validation for every edge: `record_dialogue` checks the whole record first and refuses it with a
`DialogueRefused` carrying every `Problem` (a reason code, the area and field concerned), then writes it
all at once; each edge phrases the codes in its own language (the exception's own text is English).

A record may be written when the case is invited, booked or has its dialogue held. Invited is allowed
because a dialogue is sometimes agreed and held by phone or mail without a booking in the system; a
complete case has not been invited yet, and a withdrawn or merged one is closed. Recording does not
move the status: "Markera dialogen som genomförd" stays its own, deliberate step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.errors import InboxError
from models import Case, CaseStatus, CommitmentState, DialogueAnswer, DialogueEntry, DialogueRecord, Event, PortalLink
from strategy.areas import Strategy, strategy_for

MAX_TEXT = 10_000  # characters of any one text field
MAX_YEARS = 5  # a follow-up at most this far ahead; a meeting at most this far back
RECORDABLE = (CaseStatus.INVITED, CaseStatus.BOOKED, CaseStatus.DIALOGUE_HELD)
ACTION = "dialogue_recorded"

# Problem codes.
WRONG_STATUS, HELD_ON_MISSING, DATE_FORMAT, HELD_IN_FUTURE, HELD_TOO_LONG_AGO = (
    "wrong_status", "held_on_missing", "date_format", "held_in_future", "held_too_long_ago")
FOLLOW_UP_BEFORE_HELD, FOLLOW_UP_TOO_FAR, FOLLOW_UP_WITHOUT_COMMITMENT = (
    "follow_up_before_held", "follow_up_too_far", "follow_up_without_commitment")
UNKNOWN_AREA, DUPLICATE_AREA, TOO_LONG, UNKNOWN_STATE, STATE_WITHOUT_COMMITMENT, COMMITMENT_WITHOUT_STATE = (
    "unknown_area", "duplicate_area", "too_long", "unknown_state", "state_without_commitment", "commitment_without_state")

# Field names a Problem may name.
HELD_ON, PARTICIPANTS, NOTES = "held_on", "participants", "notes"
DOES_TODAY, COMMITS_TO, FOLLOW_UP_ON, STATE, GOOD_EXAMPLE = "does_today", "commits_to", "follow_up_on", "state", "good_example"
ENTRY_TEXTS = (DOES_TODAY, COMMITS_TO, GOOD_EXAMPLE)

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# C0 and C1 control characters but the newline: a NUL breaks PostgreSQL text, the others only hide text.
CONTROL = dict.fromkeys([*range(0x00, 0x0A), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)])


@dataclass(frozen=True)
class AreaInput:
    """What a person typed for one problem area; dates as 'YYYY-MM-DD' or ''."""

    code: str
    does_today: str = ""
    commits_to: str = ""
    follow_up_on: str = ""
    state: str = CommitmentState.NONE.value
    good_example: str = ""

    @property
    def empty(self) -> bool:
        return not any((self.does_today.strip(), self.commits_to.strip(), self.follow_up_on.strip(), self.good_example.strip())) \
            and self.state in ("", CommitmentState.NONE.value)


@dataclass(frozen=True)
class DialogueInput:
    """The whole record as typed. Areas not listed are left as they are (an area no longer in the strategy)."""

    held_on: str
    participants: str = ""
    notes: str = ""
    areas: tuple[AreaInput, ...] = ()


@dataclass(frozen=True)
class Problem:
    code: str
    field: str | None = None
    area: str | None = None  # the area's code, for a problem with one area's fields
    detail: str | None = None  # the case's status for WRONG_STATUS, the limit for TOO_LONG, ...


class DialogueRefused(InboxError):
    """The record was not saved; `problems` says every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("dialogue record refused: " + ", ".join(
            p.code + (f" ({p.area or ''}{'.' if p.area and p.field else ''}{p.field or ''})" if p.area or p.field else "")
            for p in problems))


@dataclass(frozen=True)
class Recorded:
    """What changed: the record's own fields, and the codes of the areas whose entry changed."""

    record_changed: bool
    areas: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.record_changed or bool(self.areas)


# -- writing ------------------------------------------------------------------------------------------------


@dataclass
class _Clean:
    held_on: date | None = None
    participants: str | None = None
    notes: str | None = None
    entries: dict[str, dict | None] = field(default_factory=dict)  # code -> DialogueEntry column values (None: remove)


def record_dialogue(ctx: AppContext, session: Session, case: Case, record: DialogueInput, *, actor: str) -> Recorded:
    """Check the whole record, then save it: the DialogueRecord and one DialogueEntry per area typed."""
    clean = _checked(ctx, case, record)
    now = ctx.clock()
    row = session.scalar(select(DialogueRecord).where(DialogueRecord.case_id == case.id))
    if row is None:
        row = DialogueRecord(case_id=case.id, created_at=now, updated_at=now, updated_by=actor)
        session.add(row)
    values = {"held_on": clean.held_on, "participants": clean.participants, "notes": clean.notes}
    record_changed = any(getattr(row, key) != value for key, value in values.items())
    if record_changed:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at, row.updated_by = now, actor
    changed = tuple(code for code, entry in clean.entries.items() if _upsert(session, case, code, entry, now, actor))
    result = Recorded(record_changed, changed)
    if result.changed:
        session.add(Event(at=now, actor=actor, action=ACTION, case_id=case.id, detail=_detail(ctx, clean, result),
                          data={"areas": list(changed), "record": record_changed, "held_on": clean.held_on.isoformat()
                                if clean.held_on else None}))
    return result


def _upsert(session: Session, case: Case, code: str, values: dict | None, now: datetime, actor: str) -> bool:
    """Write one area's entry (None: the person emptied it, so it goes). True when it changed."""
    entry = session.scalar(select(DialogueEntry).where(DialogueEntry.case_id == case.id, DialogueEntry.area_code == code))
    if values is None:
        if entry is None:
            return False
        session.delete(entry)
        return True
    if entry is not None and all(getattr(entry, key) == value for key, value in values.items()):
        return False
    if entry is None:
        entry = DialogueEntry(case_id=case.id, area_code=code, created_at=now)
        session.add(entry)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.updated_at, entry.updated_by = now, actor
    return True


def _detail(ctx: AppContext, clean: _Clean, result: Recorded) -> str:
    """The history's line, in Swedish for the people who read the case page."""
    strategy = _strategy_or_none(ctx)
    names = [area.name if strategy and (area := strategy.area(code)) else code for code in result.areas]
    parts = [f"Mötet hölls {clean.held_on.isoformat()}" if clean.held_on else "Mötesdatum saknas"]
    if result.record_changed:
        parts.append("mötets uppgifter ändrade")
    if names:
        parts.append("ändrade områden: " + "; ".join(names))
    return ", ".join(parts) + "."


# -- checking -----------------------------------------------------------------------------------------------


def _checked(ctx: AppContext, case: Case, record: DialogueInput) -> _Clean:
    """Every problem of the record at once (a person fixes them in one go), or the clean values."""
    problems: list[Problem] = []
    if case.merged_into_id is not None or case.status not in RECORDABLE:
        problems.append(Problem(WRONG_STATUS, detail=case.status.value))
    today = ctx.clock().astimezone(ctx.zone).date()
    clean = _Clean(held_on=_held_on(record.held_on, today, problems))
    clean.participants = _text(record.participants, PARTICIPANTS, None, problems)
    clean.notes = _text(record.notes, NOTES, None, problems)
    strategy = strategy_for(ctx)
    seen: set[str] = set()
    for area in record.areas:
        if _area_known(strategy, area.code, seen, problems):
            clean.entries[area.code] = _entry(area, clean.held_on, today, problems)
    if problems:
        raise DialogueRefused(problems)
    return clean


def _area_known(strategy: Strategy, code: str, seen: set[str], problems: list[Problem]) -> bool:
    shown = code[:64]
    if strategy.area(code) is None:
        problems.append(Problem(UNKNOWN_AREA, area=shown))
        return False
    if code in seen:
        problems.append(Problem(DUPLICATE_AREA, area=shown))
        return False
    seen.add(code)
    return True


def _entry(area: AreaInput, held_on: date | None, today: date, problems: list[Problem]) -> dict | None:
    """One area's column values, or None when every field is empty (no entry for the area)."""
    texts = {name: _text(getattr(area, name), name, area.code, problems) for name in ENTRY_TEXTS}
    state = _state(area, problems)
    follow_up = _day(area.follow_up_on, FOLLOW_UP_ON, area.code, problems)
    committed = bool(texts[COMMITS_TO])
    if state not in (None, CommitmentState.NONE) and not committed:
        problems.append(Problem(STATE_WITHOUT_COMMITMENT, STATE, area.code))
    if committed and state is CommitmentState.NONE:
        problems.append(Problem(COMMITMENT_WITHOUT_STATE, STATE, area.code))
    if follow_up is not None:
        if not committed:
            problems.append(Problem(FOLLOW_UP_WITHOUT_COMMITMENT, FOLLOW_UP_ON, area.code))
        if held_on is not None and follow_up < held_on:
            problems.append(Problem(FOLLOW_UP_BEFORE_HELD, FOLLOW_UP_ON, area.code, held_on.isoformat()))
        if follow_up > _years_from(today, MAX_YEARS):
            problems.append(Problem(FOLLOW_UP_TOO_FAR, FOLLOW_UP_ON, area.code, str(MAX_YEARS)))
    if area.empty:
        return None
    return {**texts, "follow_up_on": follow_up, "state": state or CommitmentState.NONE}


def _state(area: AreaInput, problems: list[Problem]) -> CommitmentState | None:
    try:
        return CommitmentState(area.state or CommitmentState.NONE.value)
    except ValueError:
        problems.append(Problem(UNKNOWN_STATE, STATE, area.code))
        return None


def _held_on(text: str, today: date, problems: list[Problem]) -> date | None:
    if not text.strip():
        problems.append(Problem(HELD_ON_MISSING, HELD_ON))
        return None
    day = _day(text, HELD_ON, None, problems)
    if day is not None and day > today:
        problems.append(Problem(HELD_IN_FUTURE, HELD_ON, detail=today.isoformat()))
    if day is not None and day < _years_from(today, -MAX_YEARS):
        problems.append(Problem(HELD_TOO_LONG_AGO, HELD_ON, detail=str(MAX_YEARS)))
    return day


def _day(text: str, name: str, area: str | None, problems: list[Problem]) -> date | None:
    """'2026-03-12' as a date; '' is None; anything else (also 2026-02-30) is a DATE_FORMAT problem."""
    text = text.strip()
    if not text:
        return None
    if ISO_DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    problems.append(Problem(DATE_FORMAT, name, area))
    return None


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def _text(text: str, name: str, area: str | None, problems: list[Problem]) -> str | None:
    """Text without control characters (newlines kept, CRLF as LF), stripped; None when empty."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL).strip()
    if len(cleaned) > MAX_TEXT:
        problems.append(Problem(TOO_LONG, name, area, str(MAX_TEXT)))
    return cleaned or None


def clean_text(text: str) -> str:
    """The same cleaning for what the organisation's answers are shown with (one line of the digest, a page)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL).strip()


# -- reading ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaView:
    """One problem area with what staff recorded and what the organisation wrote about it."""

    code: str
    name: str  # the strategy's name, or "Område som inte längre finns i strategin: <code>"
    known: bool
    prioritised: bool
    entry: DialogueEntry | None
    answer: DialogueAnswer | None


@dataclass(frozen=True)
class DialogueView:
    record: DialogueRecord | None
    areas: list[AreaView]  # the strategy's order (prioritised first), then codes no longer in it
    general: DialogueAnswer | None  # what the organisation wrote about its work as a whole
    priority_year: int | None  # the year whose priorities are in force this year
    listed_areas: int
    expected_areas: int
    missing_areas: int
    may_record: bool


def gone_name(code: str) -> str:
    return f"Område som inte längre finns i strategin: {code}"


def dialogue_view(ctx: AppContext, session: Session, case: Case) -> DialogueView:
    """The case's record, entries and the organisation's answers, per area. Raises StrategyError on a broken file."""
    strategy = strategy_for(ctx)
    year = ctx.clock().astimezone(ctx.zone).year
    priority = strategy.priority_year(year)
    entries = {e.area_code: e for e in session.scalars(select(DialogueEntry).where(DialogueEntry.case_id == case.id))}
    answers = {a.area_code: a for a in session.scalars(select(DialogueAnswer).where(DialogueAnswer.case_id == case.id))}
    areas = [AreaView(a.code, a.name, True, priority is not None and a.prioritised_in(priority), entries.get(a.code),
                      answers.get(a.code)) for a in strategy.ordered(year)]
    known = {a.code for a in strategy.areas} | {""}
    gone = sorted((set(entries) | set(answers)) - known)
    areas += [AreaView(code, gone_name(code), False, False, entries.get(code), answers.get(code)) for code in gone]
    return DialogueView(
        record=session.scalar(select(DialogueRecord).where(DialogueRecord.case_id == case.id)),
        areas=areas, general=answers.get(""), priority_year=priority, listed_areas=len(strategy.areas),
        expected_areas=strategy.expected_areas, missing_areas=strategy.missing_areas,
        may_record=case.merged_into_id is None and case.status in RECORDABLE)


@dataclass(frozen=True)
class LinkState:
    """The case's personal link as staff see it: the usable one (if any) and when any link was last used."""

    usable: PortalLink | None
    any_unrevoked: bool  # something "Dra tillbaka" would act on
    last_used_at: datetime | None
    made: bool  # the case has ever had a link


def link_state(ctx: AppContext, session: Session, case: Case) -> LinkState:
    now = ctx.clock()
    links = list(session.scalars(select(PortalLink).where(PortalLink.case_id == case.id).order_by(PortalLink.id)))
    usable = [link for link in links if link.revoked_at is None and link.expires_at > now]
    used = [link.last_used_at for link in links if link.last_used_at is not None]
    return LinkState(usable[-1] if usable else None, any(link.revoked_at is None for link in links),
                     max(used) if used else None, bool(links))


def _strategy_or_none(ctx: AppContext) -> Strategy | None:
    try:
        return strategy_for(ctx)
    except InboxError:
        return None
