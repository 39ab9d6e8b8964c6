"""Security review of the organisation's page (/anslutning/{token}), on SQLite and PostgreSQL.

Each defect found was a test marked xfail(strict=True, reason="F<n>: ...") that failed on the code as it was and
passes once the defect is fixed; the unmarked tests are probes that passed and add coverage test_portal.py lacks.
Cases are made by real mail through the pipeline, and the link is taken from the queued mail (test_portal.py)."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import select, text
from starlette.testclient import TestClient

from cases import booking, staff
from inbox.errors import InboxError
from models import CaseStatus, Event, Meeting, PortalLink
from portal.booking import book_slot
from portal.links import open_link
from tests.web.case_support import complete_case, events, sala_case
from tests.web.conftest import Web
from tests.web.test_portal import ORGANISATION, case_of, confirmations, form_token, portal_path, send, slot_row
from web.portal_app import create_portal_app
from web.public import FAILED_LOOKUPS, FailedLookups

MONDAY_10 = (2026, 3, 16, 10)


@pytest.fixture
def slots(web: Web) -> list[int]:
    """Three free times next week (Monday to Wednesday 10:00), as test_portal.py's fixture adds them."""
    return [add_slot(web, (2026, 3, 16 + day, 10), "Länsstyrelsen, rum Mälaren") for day in range(3)]


def add_slot(web: Web, when: tuple[int, int, int, int], place: str | None = None) -> int:
    with web.ctx.sessions() as session:
        slot = booking.add_slot(web.ctx, session, datetime(*when, tzinfo=web.ctx.zone), minutes=60, place=place, link=None,
                                actor="staff")
        session.commit()
        return slot.id


def token_of(path: str) -> str:
    return path.rsplit("/", 1)[1]


def meetings_of(web: Web, reference: str) -> list[Meeting]:
    with web.ctx.sessions() as session:
        case = staff.get_case(session, reference)
        return list(session.scalars(select(Meeting).where(Meeting.case_id == case.id, Meeting.cancelled.is_(False))))


def count_events(web: Web, action: str) -> int:
    return len(events(web.ctx, action))


# -- F1: two slots at the same time: the booking takes the other one -------------------------------------------


# F1 (fixed; the test failed before the fix)
def test_booking_a_slot_books_that_slot_even_when_another_slot_has_the_same_time(web, tmp_path):
    koping = complete_case(web.ctx, tmp_path / "in")  # invited with no times: the page offers free ones
    room_a = add_slot(web, MONDAY_10, "Rum A")  # two staff members, two rooms, the same hour
    room_b = add_slot(web, MONDAY_10, "Rum B")
    path, client = portal_path(web, koping), web.client()
    page = client.get(path).text
    assert f'value="{room_a}"' in page and f'value="{room_b}"' in page
    answer = send(client, path, "boka", {"tid": str(room_b)})
    assert answer.status_code == 303
    assert "Tiden är bokad" in client.get(answer.headers["location"]).text
    [meeting] = meetings_of(web, koping)
    assert slot_row(web, room_b).booked_case_id == case_of(web, koping).id  # fails: room A was taken instead
    assert slot_row(web, room_a).booked_case_id is None
    assert meeting.place == "Rum B"


# F1 (fixed; the test failed before the fix)
def test_a_free_slot_is_bookable_when_another_organisation_holds_a_slot_at_the_same_time(web, tmp_path):
    koping, sala = complete_case(web.ctx, tmp_path / "in"), sala_case(web.ctx, tmp_path / "in")
    room_a, room_b = add_slot(web, MONDAY_10, "Rum A"), add_slot(web, MONDAY_10, "Rum B")
    assert send(web.client(), portal_path(web, sala), "boka", {"tid": str(room_a)}).status_code == 303
    assert slot_row(web, room_a).booked_case_id == case_of(web, sala).id
    path, client = portal_path(web, koping), web.client()
    assert f'value="{room_b}"' in client.get(path).text  # the page offers room B as free
    answer = send(client, path, "boka", {"tid": str(room_b)})
    shown = client.get(answer.headers["location"]).text
    assert "Tyvärr hann någon annan boka" not in shown  # fails: refused as "someone else booked it"
    assert case_of(web, koping).status is CaseStatus.BOOKED


# F1 (fixed; the test failed before the fix)
def test_two_organisations_booking_two_slots_of_one_hour_concurrently_are_not_put_on_one_slot(web, tmp_path):
    if web.ctx.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has one writer at a time)")
    koping, sala = complete_case(web.ctx, tmp_path / "in"), sala_case(web.ctx, tmp_path / "in")
    room_a, room_b = add_slot(web, MONDAY_10, "Rum A"), add_slot(web, MONDAY_10, "Rum B")
    koping_path, sala_path = portal_path(web, koping), portal_path(web, sala)
    client = web.client()
    csrf = form_token(client.get(koping_path).text)
    results: list[int] = []
    with web.ctx.sessions() as held:  # Sala's booking of room A, in flight: room A's row is locked and updated
        access = open_link(web.ctx, held, token_of(sala_path))
        book_slot(web.ctx, held, access, room_a)
        held.flush()
        worker = threading.Thread(target=lambda: results.append(client.post(
            f"{koping_path}/boka", data={"tid": str(room_b), "csrf": csrf}, follow_redirects=False).status_code))
        worker.start()
        with web.ctx.engine.connect() as watcher:  # wait until Köping's request waits for a row lock
            for _ in range(100):
                waiting = watcher.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                               "AND datname = current_database()")).scalar()
                if waiting or not worker.is_alive():
                    break
                time.sleep(0.1)
        held.commit()
    worker.join(30)
    assert results == [303]
    assert slot_row(web, room_a).booked_case_id == case_of(web, sala).id  # fails: overwritten with Köping's case
    assert slot_row(web, room_b).booked_case_id == case_of(web, koping).id


# -- F2: a slot the page never offered can be booked by id ----------------------------------------------------


# F2 (fixed; the test failed before the fix)
def test_a_free_slot_the_page_does_not_offer_cannot_be_booked_with_a_forged_form(web, slots, tmp_path):
    koping = complete_case(web.ctx, tmp_path / "in")  # offered the fixture's three times
    hidden = add_slot(web, (2026, 3, 19, 10))  # free, offered to nobody, not on Köping's page
    path, client = portal_path(web, koping), web.client()
    assert f'value="{hidden}"' not in client.get(path).text
    send(client, path, "boka", {"tid": str(hidden)})
    assert slot_row(web, hidden).booked_case_id is None  # fails: booked
    assert case_of(web, koping).status is CaseStatus.INVITED


# -- F3: the failed-lookup limiter locks out genuine links ---------------------------------------------------


# F3 (fixed; the test failed before the fix)
def test_failed_lookups_of_one_client_do_not_lock_a_genuine_link_out(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path = portal_path(web, reference)
    attacker = web.client()  # the same address as the organisation (TestClient: "testclient")
    for number in range(FAILED_LOOKUPS):
        assert attacker.get(f"/anslutning/{number + 1}-{'0' * 32}").status_code == 404
    assert attacker.get(f"/anslutning/999-{'0' * 32}").status_code == 429  # guessing is slowed: right
    assert web.client().get(path).status_code == 200  # fails: 429 for the genuine link as well


# -- F4: a link mailed to a wrong address keeps working after staff correct the contact ----------------------


# F4 (fixed; the test failed before the fix)
def test_the_link_sent_to_a_corrected_address_stops_working(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    old_path = portal_path(web, reference)  # the invitation went to the contact as extracted
    with web.ctx.sessions() as session:
        staff.correct_contact(web.ctx, session, staff.get_case(session, reference), {"email": "ratt.person@koping.se"},
                              actor="staff")
        session.commit()
    answer = web.client().get(old_path)
    assert answer.status_code == 410 and ORGANISATION not in answer.text  # fails: 200 with the organisation's page


# -- F5: refused requests on a genuine link write an event each, without bound ----------------------------------


# F5 (fixed; the test failed before the fix)
def test_requests_over_the_rate_limit_do_not_each_write_an_event(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    limit = web.ctx.settings.portal.requests_per_window
    for _ in range(limit):
        assert client.get(path).status_code == 200
    for _ in range(20):
        assert client.get(path).status_code == 429
    assert count_events(web, "portal_refused") <= 1  # fails: 20, one per refused request


# -- F6: a use of the page that changes nothing is not audited ---------------------------------------------------


# F6 (fixed; the test failed before the fix)
def test_a_description_post_that_changes_nothing_is_still_audited(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    token = form_token(client.get(path).text)
    before = len([e for e in _case_events(web, reference) if e.actor.startswith("portal:")])
    answer = client.post(f"{path}/beskrivning", data={"gor:": "", "csrf": token}, follow_redirects=False)
    assert answer.status_code == 303
    after = len([e for e in _case_events(web, reference) if e.actor.startswith("portal:")])
    assert after > before  # fails: nothing recorded


def _case_events(web: Web, reference: str) -> list[Event]:
    with web.ctx.sessions() as session:
        case = staff.get_case(session, reference)
        return list(session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id)))


# -- probes that passed ----------------------------------------------------------------------------------------


def test_two_organisations_booking_one_slot_at_once_get_one_booking_and_one_refusal(web, tmp_path):
    koping, sala = complete_case(web.ctx, tmp_path / "in"), sala_case(web.ctx, tmp_path / "in")
    slot = add_slot(web, MONDAY_10, "Rum A")
    posts = []
    for reference in (koping, sala):
        path, client = portal_path(web, reference), web.client()
        posts.append((client, path, form_token(client.get(path).text)))
    barrier, codes = threading.Barrier(2), []

    def book(client: TestClient, path: str, csrf: str) -> None:
        barrier.wait()
        codes.append(client.post(f"{path}/boka", data={"tid": str(slot), "csrf": csrf}, follow_redirects=False).status_code)

    workers = [threading.Thread(target=book, args=post) for post in posts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert codes == [303, 303]
    booked = [ref for ref in (koping, sala) if meetings_of(web, ref)]
    assert len(booked) == 1 and slot_row(web, slot).booked_case_id == case_of(web, booked[0]).id
    assert sum(len(confirmations(web, ref)) for ref in (koping, sala)) == 1
    assert [e.data["code"] for e in events(web.ctx, "portal_booking_refused")] == ["slot_taken"]


def test_two_tabs_booking_at_once_give_one_meeting_and_one_confirmation(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path = portal_path(web, reference)
    tabs = [web.client() for _ in range(2)]
    tokens = [form_token(tab.get(path).text) for tab in tabs]
    barrier, codes = threading.Barrier(2), []

    def book(tab: TestClient, csrf: str, slot: int) -> None:
        barrier.wait()
        codes.append(tab.post(f"{path}/boka", data={"tid": str(slot), "csrf": csrf}, follow_redirects=False).status_code)

    workers = [threading.Thread(target=book, args=(tab, csrf, slot)) for tab, csrf, slot in zip(tabs, tokens, slots[:2], strict=True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert codes == [303, 303]
    assert len(meetings_of(web, reference)) == 1 and len(confirmations(web, reference)) == 1
    assert [e.data["code"] for e in events(web.ctx, "portal_booking_refused")] == ["already_booked"]


def test_a_merged_case_link_is_closed_and_shows_nothing(web, slots, tmp_path):
    koping, sala = complete_case(web.ctx, tmp_path / "in"), sala_case(web.ctx, tmp_path / "in")
    path = portal_path(web, koping)
    with web.ctx.sessions() as session:
        staff.merge(web.ctx, session, staff.get_case(session, sala), staff.get_case(session, koping), actor="staff")
        session.commit()
    answer = web.client().get(path)
    assert answer.status_code == 410 and ORGANISATION not in answer.text and koping not in answer.text
    assert "Sala" not in answer.text and sala not in answer.text


def test_every_public_answer_is_uncached_unindexed_and_keeps_the_token_from_referers(web, slots, tmp_path, clock):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    answers = [client.get(path), client.get(f"/anslutning/1-{'0' * 32}")]
    clock.advance(days=web.ctx.settings.portal.link_days + 1)
    answers.append(client.get(path))
    assert [a.status_code for a in answers] == [200, 404, 410]
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["referrer-policy"] == "same-origin"
        assert answer.headers["x-robots-tag"] == "noindex, nofollow"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


def test_the_public_app_serves_no_workspace_route(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path = portal_path(web, reference)
    client = TestClient(create_portal_app(web.ctx), base_url="https://testserver")
    for staff_path in ("/", "/logga-in", "/arenden", f"/arenden/{reference}", "/post", "/tider", "/utkorg", "/oversikt",
                       "/admin", "/oidc/login", "/meddelande/1"):
        answer = client.get(staff_path)
        assert answer.status_code == 404 and reference not in answer.text, staff_path
    assert client.post("/logga-in", data={"username": "staff", "password": "x"}).status_code == 404
    assert client.get(path).status_code == 200 and ORGANISATION in client.get(path).text


def test_x_forwarded_for_does_not_reset_the_failed_lookup_limit(web):
    client = web.client()
    for number in range(FAILED_LOOKUPS):
        client.get(f"/anslutning/{number + 1}-{'0' * 32}", headers={"X-Forwarded-For": f"198.51.100.{number}"})
    blocked = client.get(f"/anslutning/999-{'0' * 32}", headers={"X-Forwarded-For": "203.0.113.9"})
    assert blocked.status_code == 429  # uvicorn, not the app, turns a trusted proxy's header into the client address


def test_the_failed_lookup_memory_is_bounded():
    now = [0.0]
    lookups = FailedLookups(limit=2, window=60, clients=5, clock=lambda: now[0])
    for number in range(1000):
        lookups.failed(f"192.0.2.{number}")
    assert len(lookups._seen) == 5
    lookups.failed("x")
    lookups.failed("x")
    assert lookups.retry_after("x") == 60
    now[0] = 61
    assert lookups.retry_after("x") is None


def test_a_token_of_another_case_with_this_cases_id_is_refused(web, slots, tmp_path):
    """Swapping the id part of one genuine token onto another's check (or the reverse) names no link."""
    koping, sala = complete_case(web.ctx, tmp_path / "in"), sala_case(web.ctx, tmp_path / "in")
    k_id, k_check = token_of(portal_path(web, koping)).split("-")
    s_id, s_check = token_of(portal_path(web, sala)).split("-")
    assert k_id != s_id
    client = web.client()
    for token in (f"{k_id}-{s_check}", f"{s_id}-{k_check}", f"{k_id}-{k_check.upper()}", f"0{k_id}-{k_check}"):
        answer = client.get(f"/anslutning/{token}")
        assert answer.status_code == 404 and ORGANISATION not in answer.text and "Sala" not in answer.text


def test_hostile_slot_place_and_meeting_link_are_shown_escaped(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    slot = add_slot(web, MONDAY_10, '<script>alert(1)</script>"><img src=x onerror=alert(1)>')
    path, client = portal_path(web, reference), web.client()
    page = client.get(path).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    with pytest.raises(InboxError):  # a javascript: meeting link never gets in
        booking.check_place_and_link(None, "javascript:alert(1)")
    answer = send(client, path, "boka", {"tid": str(slot)})
    after = client.get(answer.headers["location"]).text
    assert "Ert bokade möte" in after and "<script>alert(1)" not in after and "&lt;script&gt;" in after


def test_a_refused_action_and_a_junk_slot_id_never_give_500(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    token = form_token(client.get(path).text)
    for value in ("", "0", "-1", "1e3", "٣", "²", "9" * 9, "9" * 400, "1\x00", "\U0001f600"):
        answer = client.post(f"{path}/boka", data={"tid": value, "csrf": token}, follow_redirects=False)
        assert answer.status_code == 303, (value, answer.status_code)
    many = {f"gor:{n}": "x" for n in range(900)}
    assert client.post(f"{path}/beskrivning", data={**many, "csrf": token}, follow_redirects=False).status_code == 303
    assert client.post(f"{path}/beskrivning", content=b"gor%3A=" + b"x" * (2 * 1024 * 1024) + b"&csrf=" + token.encode(),
                       headers={"content-type": "application/x-www-form-urlencoded"},
                       follow_redirects=False).status_code in (400, 413)  # a field over 1 MB: refused by the form parser
    with web.ctx.sessions() as session:
        assert session.scalar(select(Meeting)) is None
        assert session.scalars(select(PortalLink)).one().window_count == 12  # the page and 11 posts; the 400 is refused before the link is opened
    assert case_of(web, reference).status is CaseStatus.INVITED
