"""Gather what the digest says about a period into plain data; no formatting here beyond labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from digest import labels
from digest.attention import Attention, Rules, attention_items
from digest.calendar import as_utc
from digest.health import Health, service_health
from digest.questions import Question, strategy_questions
from inbox.context import AppContext
from models import Case, CaseStatus, Meeting, Message
from replies.inert import defang
from replies.variables import contact_summary, decision_summary
from strategy.areas import StrategyError, strategy_for

AFFILIATED = (CaseStatus.COMPLETE, CaseStatus.INVITED, CaseStatus.BOOKED, CaseStatus.DIALOGUE_HELD)
TO_BOOK = (CaseStatus.COMPLETE, CaseStatus.INVITED)


@dataclass
class NewCase:
    reference: str
    organisation: str
    org_type: str
    status: str
    decision: str
    contact: str
    missing: list[str]


@dataclass
class Dialogue:
    reference: str
    organisation: str
    status: CaseStatus
    since: date
    contact: str


@dataclass
class BookedMeeting:
    reference: str
    organisation: str
    starts_at: datetime  # local
    place: str | None


@dataclass
class TypeTotal:
    label: str
    affiliated: int
    in_progress: int


@dataclass
class DigestData:
    day: date
    period_start: datetime  # UTC
    period_end: datetime  # UTC
    zone: ZoneInfo
    new_cases: list[NewCase] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    dialogues: list[Dialogue] = field(default_factory=list)
    meetings: list[BookedMeeting] = field(default_factory=list)
    totals: list[TypeTotal] = field(default_factory=list)
    health: Health = field(default_factory=lambda: Health(None))
    activity: bool = False  # anything new in the period at all
    questions: list[Question] = field(default_factory=list)  # mail about the strategy for a person to answer

    @property
    def has_news(self) -> bool:
        # Anything a person must act on is news too, even on a day when nothing arrived.
        return self.activity or bool(self.new_cases or self.attention or self.health.failures or self.questions)


def collect(ctx: AppContext, session: Session, start: datetime, end: datetime) -> DigestData:
    zone, start, end = ctx.zone, as_utc(start), as_utc(end)
    cases = load_cases(session)
    rules = rules_at(ctx, end)
    return DigestData(
        day=end.astimezone(zone).date(), period_start=start, period_end=end, zone=zone,
        new_cases=[_new_case(c) for c in cases if start <= as_utc(c.created_at) < end and c.status is not CaseStatus.WITHDRAWN],
        attention=attention_items(session, cases, rules, start),
        dialogues=[_dialogue(c, zone) for c in cases if c.status in TO_BOOK],
        meetings=_meetings(session, end, zone),
        totals=_totals(cases), health=service_health(session, start, end), activity=_activity(session, start, end),
        questions=strategy_questions(ctx, session, start, end),
    )


def load_cases(session: Session) -> list[Case]:
    """Every case with what the digest and the action list read of it, oldest first."""
    return list(session.scalars(
        select(Case).options(selectinload(Case.organisation), selectinload(Case.contacts), selectinload(Case.decisions))
        .order_by(Case.created_at, Case.id)
    ))


def rules_at(ctx: AppContext, now: datetime) -> Rules:
    return Rules(as_utc(now), ctx.settings.digest.incomplete_after_days, ctx.settings.extract.review_below, ctx.zone,
                 area_names=_area_names(ctx))


def _area_names(ctx: AppContext) -> dict[str, str]:
    """The problem areas' names for follow-up items. A broken strategy file must not stop the digest (`inbox doctor`
    and the case page report it): the items then name the area by its code."""
    try:
        return {area.code: area.name for area in strategy_for(ctx).areas}
    except StrategyError:
        return {}


def _name(case: Case) -> str:
    return labels.one_line(case.organisation.name if case.organisation else case.sender) or "Okänd avsändare"


def _new_case(case: Case) -> NewCase:
    org = case.organisation
    return NewCase(
        reference=case.reference, organisation=_name(case), org_type=labels.organisation_type(org.type if org else None),
        status=labels.status(case.status.value), decision=decision_summary(case.decision),
        contact=contact_summary(case.contact, defang), missing=[labels.field(m) for m in case.missing or []],
    )


def _dialogue(case: Case, zone: ZoneInfo) -> Dialogue:
    since = as_utc(case.status_since or case.updated_at).astimezone(zone).date()
    return Dialogue(case.reference, _name(case), case.status, since, contact_summary(case.contact, defang))


def _meetings(session: Session, now: datetime, zone: ZoneInfo) -> list[BookedMeeting]:
    # The coming seven days from the digest (on a Friday, next Monday's meeting too). In UTC, as stored.
    monday, next_monday = now, now + timedelta(days=7)
    rows = session.execute(
        select(Meeting, Case).join(Case, Case.id == Meeting.case_id).options(selectinload(Case.organisation))
        .where(Meeting.cancelled.is_(False), Meeting.starts_at >= monday, Meeting.starts_at < next_monday)
        .order_by(Meeting.starts_at)
    )
    return [BookedMeeting(case.reference, _name(case), as_utc(meeting.starts_at).astimezone(zone), meeting.place) for meeting, case in rows]


def _totals(cases: list[Case]) -> list[TypeTotal]:
    totals = {label: TypeTotal(label, 0, 0) for label in [*labels.ORGANISATION_TYPES.values(), labels.UNKNOWN_TYPE]}
    for case in cases:
        if case.status is CaseStatus.WITHDRAWN:
            continue
        total = totals[labels.organisation_type(case.organisation.type if case.organisation else None)]
        if case.status in AFFILIATED:
            total.affiliated += 1
        else:
            total.in_progress += 1
    return [t for t in totals.values() if t.affiliated or t.in_progress or t.label != labels.UNKNOWN_TYPE]


def _activity(session: Session, start: datetime, end: datetime) -> bool:
    changed = session.scalar(select(func.count()).select_from(Case).where(
        or_(Case.created_at.between(start, end), Case.updated_at.between(start, end))))
    received = session.scalar(select(func.count()).select_from(Message).where(Message.received_at.between(start, end)))
    return bool(changed or received)
