"""What the organisation's page shows for a usable link: its own case only, nothing of any other.

The organisation's name and case reference, its meeting when booked, the times it may choose when not,
and the strategy's problem areas (prioritised ones first and marked) with the answers it saved."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.meetings import active_meeting
from inbox.context import AppContext
from models import Case, CaseStatus, DialogueAnswer, Slot
from portal import audit
from portal.links import Access
from replies.variables import swedish_datetime
from strategy.areas import strategy_for

GENERAL = ""  # the area code of the free text about the organisation as a whole
BOOKABLE = (CaseStatus.COMPLETE, CaseStatus.INVITED)


@dataclass(frozen=True)
class TimeChoice:
    slot_id: int
    when: str  # "tisdag den 12 maj 2026 kl. 10.00"
    minutes: int
    place: str | None


@dataclass(frozen=True)
class MeetingView:
    when: str
    minutes: int
    place: str | None
    link: str | None  # an http(s) address (cases.booking.check_place_and_link)


@dataclass(frozen=True)
class AreaView:
    code: str
    name: str
    description: str
    prioritised: bool
    does_today: str
    could_contribute: str


@dataclass(frozen=True)
class PageView:
    organisation: str | None
    reference: str
    meeting: MeetingView | None
    can_book: bool
    times: list[TimeChoice]
    priority_year: int | None
    areas: list[AreaView]
    general: str  # the free text about the organisation as a whole
    areas_incomplete: bool  # the strategy file does not list every area yet


def open_page(ctx: AppContext, session: Session, access: Access) -> PageView:
    """The page for the link, recorded as a view ("portal_opened")."""
    audit.opened(ctx, session, access)
    return page_view(ctx, session, access.case)


def page_view(ctx: AppContext, session: Session, case: Case) -> PageView:
    meeting = active_meeting(session, case)
    shown = MeetingView(swedish_datetime(meeting.starts_at, ctx.zone), meeting.duration_minutes, meeting.place,
                        meeting.link) if meeting is not None else None
    can_book = meeting is None and case.status in BOOKABLE
    times = [TimeChoice(slot.id, swedish_datetime(slot.starts_at, ctx.zone), slot.duration_minutes, slot.place)
             for slot in choosable_slots(ctx, session, case)] if can_book else []
    strategy = strategy_for(ctx)
    year = ctx.clock().astimezone(ctx.zone).year
    priority = strategy.priority_year(year)
    saved = answers_of(session, case)
    areas = [AreaView(area.code, area.name, area.description, priority is not None and area.prioritised_in(priority),
                      *saved.get(area.code, ("", ""))) for area in strategy.ordered(year)]
    return PageView(case.organisation.name if case.organisation else None, case.reference, shown, can_book, times,
                    priority, areas, saved.get(GENERAL, ("", ""))[0], strategy.missing_areas > 0)


def choosable_slots(ctx: AppContext, session: Session, case: Case) -> list[Slot]:
    """The times offered to this case and not booked, in the future; when there are none, free future times
    offered to nobody (at most [replies] proposed_slots, as an invitation would offer)."""
    now = ctx.clock()
    offered = list(session.scalars(select(Slot).where(
        Slot.offered_case_id == case.id, Slot.booked_case_id.is_(None), Slot.starts_at > now).order_by(Slot.starts_at, Slot.id)))
    if offered:
        return offered
    return list(session.scalars(select(Slot).where(
        Slot.offered_case_id.is_(None), Slot.booked_case_id.is_(None), Slot.starts_at > now)
        .order_by(Slot.starts_at, Slot.id).limit(ctx.settings.replies.proposed_slots)))


def answers_of(session: Session, case: Case) -> dict[str, tuple[str, str]]:
    """area code -> (does today, could contribute), as the organisation saved them."""
    rows = session.scalars(select(DialogueAnswer).where(DialogueAnswer.case_id == case.id))
    return {row.area_code: (row.does_today or "", row.could_contribute or "") for row in rows}
