"""Tider: the free times offered in invitations (add, remove) and the meetings of the coming weeks.

A time in the past, on a weekend or holiday, or outside office hours is refused by cases/booking.py
with reason codes; this page phrases them in Swedish and shows the form again with a checkbox to go
ahead anyway. `booking_refusal` phrases every booking refusal, for the case page too.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from starlette.responses import Response
from starlette.routing import Route

from cases import booking
from inbox.errors import InboxError
from web.handler import Page, page
from web.numbers import bounded_int

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
WEEKS_SHOWN = 4
MAX_WEEKS = 26


def concern_text(concern: booking.Concern) -> str:
    """One reason a time needs the person's confirmation, in Swedish."""
    if concern.code == booking.PAST:
        return "Tiden har redan varit."
    if concern.code == booking.WEEKEND:
        return f"Dagen är en {WEEKDAYS[int(concern.detail or 5)]}."
    if concern.code == booking.HOLIDAY:
        return f"Dagen är {concern.detail}, som inte är en arbetsdag."
    hours = _swedish_hours(concern.detail or "")
    if concern.code == booking.BEFORE_HOURS:
        return f"Mötet börjar före kontorstid ({hours})."
    return f"Mötet slutar efter kontorstid ({hours})."


def booking_refusal(err: InboxError) -> str | None:
    """A refusal of cases/booking.py in Swedish, or None for an error it does not raise."""
    if isinstance(err, booking.BookingRefused):
        return " ".join(concern_text(c) for c in err.concerns)
    if isinstance(err, booking.TimeNotUnderstood):
        if err.code == booking.FORMAT:
            return "Skriv datum och tid som 2026-05-12 och 10:00."
        return "Den tiden finns inte eller finns två gånger den dagen (klockan ställs om); välj en annan tid."
    if isinstance(err, booking.SlotTaken):
        return f"Tiden är redan {'bokad av' if err.booked else 'erbjuden till'} {err.reference}; välj en annan tid."
    if isinstance(err, booking.SlotBooked):
        return f"Tiden är bokad av {err.reference}. Avboka mötet i ärendet först."
    return None


def _swedish_hours(hours: str) -> str:
    """'08:00-17:00' as Swedish writes it: '08.00–17.00'."""
    return hours.replace(":", ".").replace("-", "–")


@page()
def slots_page(p: Page) -> Response:
    return _show(p)


def _show(p: Page, status_code: int = 200, *, form: dict | None = None, problems: list[str] | None = None,
          ask_confirm: bool = False) -> Response:
    now = p.ctx.clock()
    weeks = _weeks(p.request.query_params.get("veckor", ""))
    today = now.astimezone(p.ctx.zone).replace(hour=0, minute=0, second=0, microsecond=0)
    defaults = {"datum": "", "tid": "", "minuter": str(p.ctx.settings.replies.meeting_minutes), "plats": "", "lank": ""}
    return p.render("slots.html", status_code, slots=booking.slots_from(p.session, now),
                    meetings=booking.meetings_between(p.session, today, today + timedelta(weeks=weeks)), weeks=weeks,
                    form={**defaults, **(form or {})}, problems=problems or [], ask_confirm=ask_confirm,
                    office_hours=_swedish_hours(p.ctx.settings.booking.office_hours))


def _weeks(text: str) -> int:
    weeks = bounded_int(text, low=1, high=999_999)
    return min(weeks, MAX_WEEKS) if weeks is not None else WEEKS_SHOWN


@page()
def add_slot(p: Page) -> Response:
    form = {name: p.value(name) for name in ("datum", "tid", "minuter", "plats", "lank")}
    problems = _form_problems(form)
    if problems:
        return _show(p, 422, form=form, problems=problems)
    try:
        at = booking.local_time(f"{form['datum']} {form['tid'][:5]}", p.ctx.zone)
        slot = booking.add_slot(p.ctx, p.session, at, minutes=int(form["minuter"]), place=form["plats"], link=form["lank"],
                                actor=p.actor, confirm=p.value("anda") == "ja")
    except (booking.BookingRefused, booking.TimeNotUnderstood) as refused:
        confirmable = isinstance(refused, booking.BookingRefused)
        return _show(p, 422, form=form, problems=[booking_refusal(refused) or str(refused)], ask_confirm=confirmable)
    return p.done("/tider", f"Tiden {_local(p, slot.starts_at)} finns nu bland de lediga tiderna.")


def _form_problems(form: dict[str, str]) -> list[str]:
    problems = []
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", form["datum"]):
        problems.append("Skriv datumet som 2026-05-12.")
    if not re.fullmatch(r"\d\d:\d\d(:\d\d)?", form["tid"]):
        problems.append("Skriv tiden som 10:00.")
    if bounded_int(form["minuter"], low=15, high=480) is None:
        problems.append("Längden är ett antal minuter, 15 till 480.")
    if len(form["plats"]) > 255:
        problems.append("Platsen får vara högst 255 tecken.")
    if len(form["lank"]) > 1000 or (form["lank"] and not form["lank"].startswith(("https://", "http://"))):
        problems.append("Länken ska börja med https:// och vara högst 1000 tecken.")
    return problems


@page()
def remove_slot(p: Page) -> Response:
    slot_id = int(p.request.path_params["slot_id"])
    try:
        slot = booking.remove_slot(p.ctx, p.session, slot_id, actor=p.actor)
    except booking.SlotBooked as refused:
        raise InboxError(booking_refusal(refused) or str(refused)) from refused
    return p.done("/tider", f"Tiden {_local(p, slot.starts_at)} är borttagen.")


def _local(p: Page, at: datetime) -> str:
    return at.astimezone(p.ctx.zone).strftime("%Y-%m-%d %H:%M")


ROUTES = [
    Route("/tider", slots_page, methods=["GET"]),
    Route("/tider/ny", add_slot, methods=["POST"]),
    Route("/tider/{slot_id:id}/ta-bort", remove_slot, methods=["POST"]),
]
