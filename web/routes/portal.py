"""The organisation's own page behind the personal link in its invitation: book a time, ask for others, and
describe its work per problem area. Public (no sign-in): every route goes through web/public.py's `@public()`,
never `@page()`; the services are portal/page.py, portal/booking.py and portal/answers.py."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal.answers import Answer, save_answers
from portal.booking import OTHER_TIMES_FIELD, ask_other_times, book_slot
from portal.page import GENERAL, open_page
from replies.variables import swedish_datetime
from web.numbers import bounded_int
from web.public import PublicPage, public

# Form fields of the description: "gor:<area code>" and "bidra:<area code>"; "gor:" is the organisation as a whole.
DOES, COULD = "gor:", "bidra:"


@public()
def show(p: PublicPage) -> Response:
    open_page(p.ctx, p.session, p.access)
    return p.render()


@public()
def book(p: PublicPage) -> Response:
    slot_id = bounded_int(p.value("tid"), low=1, high=999_999_999)
    meeting = book_slot(p.ctx, p.session, p.access, slot_id)
    when = swedish_datetime(meeting.starts_at, p.ctx.zone)
    return p.done(f"Tiden är bokad: {when}. En bekräftelse med kalenderinbjudan kommer strax i er e-post.", "#mote")


@public()
def other_times(p: PublicPage) -> Response:
    ask_other_times(p.ctx, p.session, p.access, p.value(OTHER_TIMES_FIELD))
    return p.done("Tack! Vi har fått ert önskemål och återkommer med förslag på nya tider.", "#mote")


@public()
def describe(p: PublicPage) -> Response:
    does, could = p.fields(DOES), p.fields(COULD)
    answers = [Answer(code, does.get(code, ""), could.get(code, "") if code != GENERAL else "")
               for code in dict.fromkeys([*does, *could])]
    written = save_answers(p.ctx, p.session, p.access, answers)
    text = "Tack! Det ni skrev är sparat." if written else "Det fanns inget nytt att spara."
    return p.done(text + " Ni kan ändra texten fram till mötet.", "#beskrivning")


ROUTES: list[BaseRoute] = [
    Route("/anslutning/{token}", show, methods=["GET"]),
    Route("/anslutning/{token}/boka", book, methods=["POST"]),
    Route("/anslutning/{token}/andra-tider", other_times, methods=["POST"]),
    Route("/anslutning/{token}/beskrivning", describe, methods=["POST"]),
]
