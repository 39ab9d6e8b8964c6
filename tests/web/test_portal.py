"""The organisation's own page (/anslutning/{token}) over HTTP, on SQLite and PostgreSQL.

Each case is made by real mail through the pipeline (tests/web/case_support.py); its invitation is queued with
the personal link, and the tests take the link from that queued mail's text, as the organisation would."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from cases import booking, staff
from models import Case, CaseStatus, DialogueAnswer, Event, Meeting, OutgoingMail, PortalLink, Slot
from portal.links import revoke_links
from portal.links import token as link_token
from tests.web.case_support import complete_case, events, outbox, sala_case
from tests.web.conftest import CSRF, Web
from web.app import create_app
from web.public import FAILED_LOOKUPS

LINK = re.compile(r"https?://[^\s]+(/anslutning/[0-9]+-[0-9a-f]{32})")
ORGANISATION = "Köpings kommun"  # the organisation of tests/integration/mails.affiliation
RLO = "\u202e"


@pytest.fixture
def slots(web: Web) -> list[int]:
    """Three free times next week (Monday to Wednesday 10:00), added before any invitation offers them."""
    with web.ctx.sessions() as session:
        made = [booking.add_slot(web.ctx, session, datetime(2026, 3, 16 + d, 10, tzinfo=web.ctx.zone), minutes=60,
                                 place="Länsstyrelsen, rum Mälaren", link=None, actor="staff") for d in range(3)]
        session.commit()
        return [slot.id for slot in made]


def portal_path(web: Web, reference: str) -> str:
    """The page's path as the newest mail to the case carries it."""
    mails = [row for row in outbox(web.ctx, reference) if row.template in ("invitation", "booking_confirmation")]
    assert mails, f"no invitation for {reference}"
    found = LINK.search(mails[-1].body_text)
    assert found, mails[-1].body_text
    return found.group(1)


def form_token(page: str) -> str:
    found = CSRF.search(page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def send(client: TestClient, path: str, action: str, data: dict, *, page_path: str | None = None):
    token = form_token(client.get(page_path or path).text)
    return client.post(f"{path}/{action}", data={**data, "csrf": token}, follow_redirects=False)


def case_of(web: Web, reference: str) -> Case:
    with web.ctx.sessions() as session:
        return staff.get_case(session, reference)


def slot_row(web: Web, slot_id: int) -> Slot:
    with web.ctx.sessions() as session:
        return session.get_one(Slot, slot_id)


def confirmations(web: Web, reference: str) -> list[tuple[str, list[str]]]:
    """The case's queued booking confirmations: (text, content types of the attachments)."""
    with web.ctx.sessions() as session:
        rows = session.scalars(select(OutgoingMail).join(Case, Case.id == OutgoingMail.case_id)
                               .where(Case.reference == reference, OutgoingMail.template == "booking_confirmation"))
        return [(row.body_text, [a.content_type for a in row.attachments]) for row in rows]


# -- the page ------------------------------------------------------------------------------------------------


def test_the_invitation_link_opens_the_page_with_the_offered_times_and_the_areas(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    assert case_of(web, reference).status is CaseStatus.INVITED
    path = portal_path(web, reference)
    page = web.client().get(path)
    assert page.status_code == 200
    assert ORGANISATION in page.text and reference in page.text
    assert "Välj en tid" in page.text and "måndag den 16 mars 2026 kl. 10.00" in page.text
    assert "Utrikesfödda kvinnors etablering på arbetsmarknaden" in page.text and "Prioriterat 2026" not in page.text
    assert "Prioriterat 2024" in page.text  # the latest year with priorities is in force
    assert 'href="/arenden' not in page.text and "Logga ut" not in page.text  # no staff menu
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    opened = events(web.ctx, "portal_opened")
    assert len(opened) == 1 and opened[0].actor.startswith("portal:")


def test_booking_an_offered_time_books_the_case_and_queues_the_confirmation_with_its_ics(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    answer = send(client, path, "boka", {"tid": str(slots[1])})
    assert answer.status_code == 303 and answer.headers["location"] == f"{path}#mote"
    after = client.get(answer.headers["location"]).text
    assert "Tiden är bokad: tisdag den 17 mars 2026 kl. 10.00" in after
    assert "Ert bokade möte" in after and "Boka tiden" not in after and "Be om en annan tid" in after
    assert case_of(web, reference).status is CaseStatus.BOOKED
    assert slot_row(web, slots[1]).booked_case_id == case_of(web, reference).id
    [(text, attachments)] = confirmations(web, reference)
    assert [kind.split(";")[0] for kind in attachments] == ["text/calendar"]
    assert path in text and "Förbered gärna mötet på er egen sida" in text
    booked = events(web.ctx, "portal_booked")
    assert len(booked) == 1 and booked[0].data["slot_id"] == slots[1]
    with web.ctx.sessions() as session:
        assert session.scalar(select(Event.actor).where(Event.action == "meeting_booked")) == booked[0].actor


def test_a_time_booked_by_another_case_is_refused_politely(web, slots, tmp_path):
    koping = complete_case(web.ctx, tmp_path / "in")  # offered the three times
    with web.ctx.sessions() as session:  # a second case, invited after the first: offered no time of its own
        session.add(Slot(starts_at=datetime(2026, 3, 19, 10, tzinfo=web.ctx.zone), duration_minutes=60, created_at=web.ctx.clock()))
        session.commit()
    sala = sala_case(web.ctx, tmp_path / "in")
    koping_path, sala_path = portal_path(web, koping), portal_path(web, sala)
    assert send(web.client(), koping_path, "boka", {"tid": str(slots[0])}).status_code == 303
    before = len(confirmations(web, sala))
    client = web.client()
    refused = send(client, sala_path, "boka", {"tid": str(slots[0])})  # a forged form: another case's time
    assert refused.status_code == 303
    page = client.get(refused.headers["location"]).text
    assert "Tyvärr hann någon annan boka den tiden" in page
    assert koping not in page and ORGANISATION not in page
    assert case_of(web, sala).status is CaseStatus.INVITED and len(confirmations(web, sala)) == before
    refusal = events(web.ctx, "portal_booking_refused")[-1]
    assert refusal.data == {"code": "slot_taken"} and refusal.case_id == case_of(web, sala).id


def test_a_stale_form_and_a_second_booking_of_the_same_time_are_refused(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    stale = form_token(client.get(path).text)  # the page was open in two tabs
    assert client.post(f"{path}/boka", data={"tid": str(slots[0]), "csrf": stale}, follow_redirects=False).status_code == 303
    again = client.post(f"{path}/boka", data={"tid": str(slots[2]), "csrf": stale}, follow_redirects=False)
    assert again.status_code == 303
    assert "Ni har redan en bokad tid" in client.get(again.headers["location"]).text
    assert len(confirmations(web, reference)) == 1 and slot_row(web, slots[2]).booked_case_id is None
    assert [e.data["code"] for e in events(web.ctx, "portal_booking_refused")] == ["already_booked"]


def test_a_time_taken_by_another_organisation_or_removed_meanwhile_is_refused(web, tmp_path, clock):
    koping, sala = complete_case(web.ctx, tmp_path / "in"), sala_case(web.ctx, tmp_path / "in")  # invited, no times yet
    with web.ctx.sessions() as session:  # then staff add free times: both pages offer the same ones
        slots = [booking.add_slot(web.ctx, session, datetime(2026, 3, 16 + d, 10, tzinfo=web.ctx.zone), minutes=60,
                                  place=None, link=None, actor="staff").id for d in range(3)]
        session.commit()
    path, client = portal_path(web, koping), web.client()
    page = client.get(path).text
    assert all(f'value="{slot}"' in page for slot in slots)
    assert send(web.client(), portal_path(web, sala), "boka", {"tid": str(slots[0])}).status_code == 303  # Sala first
    with web.ctx.sessions() as session:
        booking.remove_slot(web.ctx, session, slots[1], actor="staff")
        session.commit()
    token = form_token(page)
    taken = client.post(f"{path}/boka", data={"tid": str(slots[0]), "csrf": token}, follow_redirects=False)
    shown = client.get(taken.headers["location"]).text
    assert "Tyvärr hann någon annan boka den tiden" in shown and "Sala" not in shown and sala not in shown
    assert f'value="{slots[0]}"' not in shown and f'value="{slots[2]}"' in shown  # the page offers what is left
    removed = client.post(f"{path}/boka", data={"tid": str(slots[1]), "csrf": token}, follow_redirects=False)
    assert "Den tiden finns inte längre" in client.get(removed.headers["location"]).text
    clock.advance(days=6)  # Wednesday's time is now in the past
    past = client.post(f"{path}/boka", data={"tid": str(slots[2]), "csrf": token}, follow_redirects=False)
    assert "Den tiden har redan passerat" in client.get(past.headers["location"]).text
    assert case_of(web, koping).status is CaseStatus.INVITED and confirmations(web, koping) == []
    assert len(confirmations(web, sala)) == 1
    assert [e.data["code"] for e in events(web.ctx, "portal_booking_refused")] == ["slot_taken", "slot_gone", "slot_past"]


def test_without_offered_times_the_page_offers_free_ones_and_otherwise_asks_for_wishes(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")  # no slots at all when invited
    path, client = portal_path(web, reference), web.client()
    assert "Just nu finns det inga lediga tider att välja" in client.get(path).text
    with web.ctx.sessions() as session:
        for day in (16, 17, 18, 19, 20):
            booking.add_slot(web.ctx, session, datetime(2026, 3, day, 13, tzinfo=web.ctx.zone), minutes=60, place=None,
                             link=None, actor="staff")
        session.commit()
    page = client.get(path).text
    assert page.count('name="tid"') == web.ctx.settings.replies.proposed_slots  # free times, at most proposed_slots


def test_asking_for_other_times_is_recorded_for_staff(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    answer = send(client, path, "andra-tider", {"onskemal": "Tisdagar efter 13\r\nhelst i april\x00"})
    assert answer.status_code == 303
    assert "Vi har fått ert önskemål" in client.get(answer.headers["location"]).text
    [asked] = events(web.ctx, "portal_other_times_asked")
    assert asked.data == {"text": "Tisdagar efter 13\nhelst i april"} and asked.case_id == case_of(web, reference).id
    empty = send(client, path, "andra-tider", {"onskemal": "  "})
    assert empty.status_code == 422 and 'aria-invalid="true"' in empty.text and "Skriv några dagar och tider" in empty.text
    long = send(client, path, "andra-tider", {"onskemal": "x" * 1001})
    assert long.status_code == 422 and "Skriv högst 1000 tecken" in long.text
    assert len(events(web.ctx, "portal_other_times_asked")) == 1
    assert [e.data["code"] for e in events(web.ctx, "portal_input_refused")] == ["empty", "too_long"]


# -- answers -----------------------------------------------------------------------------------------------


def saved(web: Web) -> dict[str, tuple[str | None, str | None]]:
    with web.ctx.sessions() as session:
        return {row.area_code: (row.does_today, row.could_contribute) for row in session.scalars(select(DialogueAnswer))}


def test_answers_are_saved_per_area_and_shown_again(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    data = {"gor:": "Vi har en jämställdhetsplan.", "gor:upptacka-vald": "Rutiner för att fråga om våld\r\ni vården.",
            "bidra:upptacka-vald": "Utbilda chefer.", "gor:utrikesfodda-kvinnors-etablering": ""}
    answer = send(client, path, "beskrivning", data)
    assert answer.status_code == 303 and answer.headers["location"].endswith("#beskrivning")
    page = client.get(answer.headers["location"]).text
    assert "Det ni skrev är sparat" in page and "Utbilda chefer." in page
    assert saved(web) == {"": ("Vi har en jämställdhetsplan.", None),
                          "upptacka-vald": ("Rutiner för att fråga om våld\ni vården.", "Utbilda chefer.")}
    [event] = events(web.ctx, "portal_answers_saved")
    assert event.data == {"areas": ["", "upptacka-vald"]}
    assert send(client, path, "beskrivning", data).status_code == 303  # nothing new: on record, with no area changed
    assert [e.data for e in events(web.ctx, "portal_answers_saved")] == [{"areas": ["", "upptacka-vald"]}, {"areas": []}]


def test_hostile_answers_are_bounded_cleaned_and_shown_escaped(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    hostile = f'<script>alert(1)</script>"><img src=x onerror=alert(1)>\r\nRad två {RLO}gpj.exe\x00\x1b[31m' + "Å" * 300
    assert send(client, path, "beskrivning", {"gor:upptacka-vald": hostile}).status_code == 303
    stored = saved(web)["upptacka-vald"][0]
    assert stored is not None and "\x00" not in stored and "\x1b" not in stored and "\r" not in stored
    page = client.get(path).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and RLO not in page
    limit = web.ctx.settings.portal.max_answer_chars
    too_long = send(client, path, "beskrivning", {"gor:upptacka-vald": "ö" * (limit + 1), "gor:": "kvar"})
    assert too_long.status_code == 422
    assert f"Skriv högst {limit} tecken" in too_long.text and 'id="f-gor-upptacka-vald-fel"' in too_long.text
    assert '<a href="#f-gor-upptacka-vald">' in too_long.text  # the summary at the top leads to the field
    assert 'aria-describedby="f-gor-upptacka-vald-fel"' in too_long.text and ">kvar</textarea>" in too_long.text
    unknown = send(client, path, "beskrivning", {"gor:finns-inte": "x", "gor:": "ny text"})
    assert unknown.status_code == 303
    assert "problemområde som inte finns" in client.get(unknown.headers["location"]).text
    assert set(saved(web)) == {"upptacka-vald"} and saved(web)["upptacka-vald"][0] == stored  # nothing else written


# -- links that do not work -------------------------------------------------------------------------------------


def assert_no_case_data(body: str, reference: str) -> None:
    assert ORGANISATION not in body and reference not in body and "Anna" not in body and "mars 2026" not in body


def test_an_expired_link_is_gone_politely_and_audited(web, slots, tmp_path, clock):
    reference = complete_case(web.ctx, tmp_path / "in")
    path = portal_path(web, reference)
    clock.advance(days=web.ctx.settings.portal.link_days + 1)
    answer = web.client().get(path)
    assert answer.status_code == 410 and "Länken har slutat gälla" in answer.text
    assert web.ctx.settings.smtp.sender_address in answer.text
    assert_no_case_data(answer.text, reference)
    assert [e.data for e in events(web.ctx, "portal_refused")] == [{"code": "expired"}]


def test_a_revoked_link_and_a_withdrawn_case_refuse(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path = portal_path(web, reference)
    with web.ctx.sessions() as session:
        revoke_links(web.ctx, session, staff.get_case(session, reference), actor="staff")
        session.commit()
    revoked = web.client().get(path)
    assert revoked.status_code == 410 and "Länken gäller inte längre" in revoked.text
    assert_no_case_data(revoked.text, reference)

    other = sala_case(web.ctx, tmp_path / "in")
    other_path, client = portal_path(web, other), web.client()
    token = form_token(client.get(other_path).text)
    with web.ctx.sessions() as session:
        staff.set_status(web.ctx, session, staff.get_case(session, other), "withdrawn", actor="staff", why="test")
        session.commit()
    for answer in (client.get(other_path), client.post(f"{other_path}/boka", data={"tid": str(slots[0]), "csrf": token},
                                                       follow_redirects=False)):
        assert answer.status_code == 410 and "Ärendet som länken hörde till är avslutat" in answer.text
        assert "Sala" not in answer.text and other not in answer.text
    assert slot_row(web, slots[0]).booked_case_id is None
    assert [e.data["code"] for e in events(web.ctx, "portal_refused")] == ["revoked", "closed", "closed"]


def test_after_the_meeting_the_link_is_gone(web, slots, tmp_path, clock):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    send(client, path, "boka", {"tid": str(slots[0])})
    clock.advance(days=5)  # Monday 10:00 + 60 minutes has passed
    answer = client.get(path)
    assert answer.status_code == 410 and "Dialogmötet har redan ägt rum" in answer.text
    assert_no_case_data(answer.text, reference)


@pytest.mark.parametrize("tampered", ["check", "id", "shape", "nul", "long", "unicode", "huge"])
def test_a_tampered_or_unknown_token_is_404_with_nothing(web, slots, tmp_path, tampered):
    reference = complete_case(web.ctx, tmp_path / "in")
    path = portal_path(web, reference)
    link_id, check = path.rsplit("/", 1)[1].split("-")
    flipped = ("0" if check[-1] != "0" else "1")
    token = {"check": f"{link_id}-{check[:-1]}{flipped}", "id": f"{int(link_id) + 1}-{check}", "shape": f"{link_id}_{check}",
             "nul": f"{link_id}-{check}%00", "long": "9" * 10_000, "unicode": f"{link_id}-{check[:-1]}ä",
             "huge": f"{'9' * 18}-{check}"}[tampered]
    answer = web.client().get(f"/anslutning/{token}")
    assert answer.status_code == 404 and "Länken fungerar inte" in answer.text
    assert_no_case_data(answer.text, reference)
    assert events(web.ctx, "portal_refused") == [] and events(web.ctx, "portal_opened") == []


def test_guessing_tokens_is_slowed_per_client_address(web):
    client = web.client()
    for number in range(FAILED_LOOKUPS):
        assert client.get(f"/anslutning/{number + 1}-{'0' * 32}").status_code == 404
    blocked = client.get(f"/anslutning/999-{'0' * 32}")
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    other = TestClient(client.app, base_url="https://testserver", client=("192.0.2.7", 50000))
    assert other.get(f"/anslutning/1-{'0' * 32}").status_code == 404  # another address is not blocked


def test_a_link_is_rate_limited_and_the_counter_survives_refusals(web, slots, tmp_path, clock):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    limit = web.ctx.settings.portal.requests_per_window
    for _ in range(limit):
        assert client.get(path).status_code == 200
    limited = client.get(path)
    assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 600
    assert_no_case_data(limited.text, reference)
    with web.ctx.sessions() as session:
        link = session.scalars(select(PortalLink)).one()
        assert link.window_count == limit + 1  # one past the limit: the window's refusal is on record
    assert client.get(path).status_code == 429
    assert [e.data for e in events(web.ctx, "portal_refused")] == [{"code": "rate_limited"}]  # one event, not one a request
    clock.advance(minutes=web.ctx.settings.portal.window_minutes)
    assert client.get(path).status_code == 200


def test_a_refused_action_still_counts_against_the_links_limit(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    token = form_token(client.get(path).text)
    for _ in range(3):
        client.post(f"{path}/boka", data={"tid": "987654321", "csrf": token}, follow_redirects=False)
    with web.ctx.sessions() as session:
        assert session.scalars(select(PortalLink)).one().window_count == 4  # the page and three refused bookings
    assert len(events(web.ctx, "portal_booking_refused")) == 3


# -- CSRF --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["boka", "andra-tider", "beskrivning"])
@pytest.mark.parametrize("csrf", ["missing", "another-session"])
def test_a_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing(web, slots, tmp_path, action, csrf):
    reference = complete_case(web.ctx, tmp_path / "in")
    path = portal_path(web, reference)
    foreign = {"csrf": form_token(web.client().get(path).text)} if csrf == "another-session" else {}
    client = web.client()
    client.get(path)  # a session of its own
    with web.ctx.sessions() as session:
        before = (session.scalars(select(PortalLink)).one().window_count, len(list(session.scalars(select(Event)))))
    data = {"tid": str(slots[0]), "onskemal": "måndag", "gor:": "text", **foreign}
    answer = client.post(f"{path}/{action}", data=data, follow_redirects=False)
    assert answer.status_code == 403 and "Formuläret kunde inte skickas" in answer.text
    assert_no_case_data(answer.text, reference)
    with web.ctx.sessions() as session:
        after = (session.scalars(select(PortalLink)).one().window_count, len(list(session.scalars(select(Event)))))
        assert session.scalar(select(Meeting)) is None and session.scalar(select(DialogueAnswer)) is None
    assert after == before


def test_the_link_in_a_later_mail_is_the_same_link(web, slots, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    path, client = portal_path(web, reference), web.client()
    send(client, path, "boka", {"tid": str(slots[0])})
    assert portal_path(web, reference) == path  # the confirmation carries the invitation's link
    with web.ctx.sessions() as session:
        assert len(list(session.scalars(select(PortalLink)))) == 1
        assert session.get_one(Case, case_of(web, reference).id).status is CaseStatus.BOOKED


def test_with_the_portal_disabled_the_invitation_has_no_link_and_the_page_is_gone(make_app, tmp_path):
    ctx = make_app(portal={"enabled": False})
    with ctx.sessions() as session:
        booking.add_slot(ctx, session, datetime(2026, 3, 16, 10, tzinfo=ctx.zone), minutes=60, place=None, link=None, actor="staff")
        session.commit()
    reference = complete_case(ctx, tmp_path / "in")
    [invitation] = [row for row in outbox(ctx, reference) if row.template == "invitation"]
    assert "/anslutning/" not in invitation.body_text and "Vi kan erbjuda följande tid:" in invitation.body_text
    assert "Vill ni hellre svara med e-post?" not in invitation.body_text
    with ctx.sessions() as session:
        assert session.scalar(select(PortalLink)) is None
        case = staff.get_case(session, reference)
        link = PortalLink(case_id=case.id, created_at=ctx.clock(), created_by="test", expires_at=ctx.clock().replace(year=2027),
                          window_count=0)
        session.add(link)
        session.commit()
        path = f"/anslutning/{link_token(ctx, link)}"
    answer = TestClient(create_app(ctx), base_url="https://testserver").get(path)
    assert answer.status_code == 404 and ORGANISATION not in answer.text
