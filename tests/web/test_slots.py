"""Tider: free times (add with the booking rules of cases/booking.py, remove) and the meetings of the coming
weeks, over HTTP on SQLite and PostgreSQL. The fixture's clock stands at Thursday 12 March 2026, 10:00 in
Stockholm."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from cases import booking, staff
from models import Event, Slot
from tests.web.conftest import post
from tests.web.post_support import SCRIPT, affiliation_case, assert_escaped, esc, events, notice

MONDAY = {"datum": "2026-03-16", "tid": "10:00", "minuter": "60", "plats": "Länsstyrelsen, rum Mälaren", "lank": ""}


def slots(ctx) -> list[Slot]:
    with ctx.sessions() as session:
        return list(session.scalars(select(Slot).order_by(Slot.id)))


def add(client, **changes):
    return post(client, "/tider/ny", {**MONDAY, **changes}, form_page="/tider")


def test_anonymous_people_are_sent_to_the_login_page(web):
    for answer in (web.client().get("/tider", follow_redirects=False),
                   web.client().post("/tider/ny", data=MONDAY, follow_redirects=False)):
        assert answer.status_code == 303 and answer.headers["location"].startswith("/logga-in")


def test_forms_without_the_csrf_token_are_refused(web):
    client = web.signed_in()
    assert client.post("/tider/ny", data=MONDAY, follow_redirects=False).status_code == 403
    with web.ctx.sessions() as session:
        booking.add_slot(web.ctx, session, datetime(2026, 3, 16, 10, tzinfo=web.ctx.zone), minutes=60, place=None, link=None, actor="test")
        session.commit()
    [slot] = slots(web.ctx)
    assert client.post(f"/tider/{slot.id}/ta-bort", data={"csrf": "fel"}, follow_redirects=False).status_code == 403
    assert len(slots(web.ctx)) == 1


def test_an_empty_page_says_what_to_do(web):
    page = web.signed_in().get("/tider").text
    assert "Det finns inga kommande tider" in page and "Inga dialogmöten är bokade" in page
    assert 'for="datum"' in page and 'for="tid"' in page and "anda" not in page  # no "anyway" box before a refusal


def test_a_working_day_time_is_added_and_listed(web):
    client = web.signed_in()
    shown = notice(client, add(client))
    assert "Tiden 2026-03-16 10:00 finns nu bland de lediga tiderna" in shown
    assert "måndag 16 mars kl. 10.00" in shown and "Länsstyrelsen, rum Mälaren" in shown and "Ledig" in shown
    [slot] = slots(web.ctx)
    assert slot.starts_at == datetime(2026, 3, 16, 10, tzinfo=web.ctx.zone) and slot.duration_minutes == 60
    [event] = events(web.ctx, "slot_added")
    assert event.actor == "staff" and "confirmed" not in event.detail


@pytest.mark.parametrize(("changes", "reasons"), [
    ({"datum": "2026-03-14"}, ["Dagen är en lördag."]),
    ({"datum": "2025-01-01"}, ["Tiden har redan varit.", "Dagen är Nyårsdagen, som inte är en arbetsdag."]),
    ({"datum": "2026-06-19"}, ["Dagen är Midsommarafton, som inte är en arbetsdag."]),
    ({"tid": "16:30"}, ["Mötet slutar efter kontorstid (08.00–17.00)."]),
    ({"tid": "07:00"}, ["Mötet börjar före kontorstid (08.00–17.00)."]),
])
def test_unusual_times_are_refused_with_the_reason_and_added_when_confirmed(web, changes, reasons):
    client = web.signed_in()
    refused = add(client, **changes)
    assert refused.status_code == 422
    for reason in reasons:
        assert reason in refused.text
    assert 'name="anda"' in refused.text and f'value="{changes.get("datum", MONDAY["datum"])}"' in refused.text  # the form is kept
    assert slots(web.ctx) == [] and events(web.ctx, "slot_added") == []
    shown = notice(client, add(client, anda="ja", **changes))
    assert "finns nu bland de lediga tiderna" in shown
    assert len(slots(web.ctx)) == 1
    assert "confirmed although it" in events(web.ctx, "slot_added")[0].detail


@pytest.mark.parametrize(("changes", "problem"), [
    ({"datum": "imorgon"}, "Skriv datumet som 2026-05-12."),
    ({"tid": "tio"}, "Skriv tiden som 10:00."),
    ({"minuter": "5"}, "Längden är ett antal minuter, 15 till 480."),
    ({"lank": "javascript:alert(1)"}, "Länken ska börja med https://"),
    ({"datum": "2026-03-29", "tid": "02:30"}, "klockan ställs om"),
])
def test_input_that_is_not_a_time_is_refused_in_swedish(web, changes, problem):
    answer = add(web.signed_in(), anda="ja", **changes)
    assert answer.status_code == 422 and problem in answer.text
    assert slots(web.ctx) == []


def test_a_free_time_is_removed(web):
    client = web.signed_in()
    add(client)
    [slot] = slots(web.ctx)
    shown = notice(client, post(client, f"/tider/{slot.id}/ta-bort", form_page="/tider"))
    assert "Tiden 2026-03-16 10:00 är borttagen" in shown and slots(web.ctx) == []
    [event] = events(web.ctx, "slot_removed")
    assert event.actor == "staff"


def test_removing_an_unknown_time_is_404(web):
    assert post(web.signed_in(), "/tider/999/ta-bort", form_page="/tider").status_code == 404


def test_a_booked_time_is_not_removed_and_the_page_says_why(web):
    _, reference = affiliation_case(web.ctx)
    client = web.signed_in()
    add(client)
    [slot] = slots(web.ctx)
    with web.ctx.sessions() as session:
        booking.book(web.ctx, session, staff.get_case(session, reference), slot.starts_at, place=None, link=None, minutes=None, actor="test")
        session.commit()
    page = client.get("/tider").text
    assert f'href="/arenden/{reference}"' in page and "Bokad" in page and f"/tider/{slot.id}/ta-bort" not in page
    answer = post(client, f"/tider/{slot.id}/ta-bort", form_page="/tider", headers={"referer": "https://testserver/tider"})
    assert f"Tiden är bokad av {reference}. Avboka mötet i ärendet först." in notice(client, answer)
    assert len(slots(web.ctx)) == 1 and events(web.ctx, "slot_removed") == []


def test_meetings_of_the_coming_weeks_link_their_cases(web):
    _, reference = affiliation_case(web.ctx)
    with web.ctx.sessions() as session:
        case = staff.get_case(session, reference)
        booking.book(web.ctx, session, case, datetime(2026, 5, 20, 13, tzinfo=web.ctx.zone), place="Stadshuset, Köping", link=None,
                     minutes=None, actor="test")
        session.commit()
    client = web.signed_in()
    assert "Inga dialogmöten är bokade de kommande 4 veckorna" in client.get("/tider").text  # ten weeks away
    page = client.get("/tider?veckor=12").text
    assert f'href="/arenden/{reference}"' in page and "Köpings kommun" in page and "onsdag 20 maj kl. 13.00" in page
    with web.ctx.sessions() as session:
        booking.cancel(web.ctx, session, staff.get_case(session, reference), actor="test")
        session.commit()
    assert f'href="/arenden/{reference}"' not in client.get("/tider?veckor=12").text


def test_what_staff_typed_is_escaped(web):
    client = web.signed_in()
    add(client, plats=SCRIPT)
    page = client.get("/tider").text
    assert_escaped(page)
    assert esc(SCRIPT) in page


def test_every_slot_action_is_audited_under_the_person(web):
    client = web.signed_in()
    add(client)
    [slot] = slots(web.ctx)
    post(client, f"/tider/{slot.id}/ta-bort", form_page="/tider")
    with web.ctx.sessions() as session:
        actions = [(e.action, e.actor) for e in session.scalars(select(Event).where(Event.action.like("slot_%")).order_by(Event.id))]
    assert actions == [("slot_added", "staff"), ("slot_removed", "staff")]
