"""Follow-ups of the dialogue's commitments and the organisation's request for other times, on the action list
(digest/attention.py, what the start page and the digest show) and in the digest mail, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cases import staff
from cases.dialogue import AreaInput, DialogueInput, record_dialogue
from digest.attention import FOLLOW_UP, OTHER_TIMES
from digest.live import live_items, resolve_item
from digest.send import run_digest
from models import Case, CaseStatus, Event, Organisation, OutgoingMail

pytestmark = pytest.mark.integration

STAFF = ["utveckling@lansstyrelsen.se"]
VIOLENCE, YOUTH = "upptacka-vald", "valdsforebyggande-barn-unga"
DUE_TEXT = "Uppföljning av åtagande: Att systematiskt upptäcka våld, även våld som arbetsgivarfråga (senast 20 mars 2026)"


@pytest.fixture
def app(make_app):
    return make_app(staff={"recipients": STAFF})


def booked_case(app, reference: str = "JS-2026-0001", name: str = "Köpings kommun") -> str:
    with app.sessions() as session:
        now = app.clock()
        session.add(Case(reference=reference, status=CaseStatus.BOOKED, organisation=Organisation(name=name, type="kommun"),
                         missing=[], confidence={}, review=[], overrides={}, status_since=now, created_at=now, updated_at=now))
        session.commit()
    return reference


def record(app, reference: str, *areas: AreaInput, held_on: str = "2026-03-10") -> None:
    with app.sessions() as session:
        record_dialogue(app, session, staff.get_case(session, reference), DialogueInput(held_on, "Anna Lind", "", areas),
                        actor="staff")
        session.commit()


def commitment(code: str = VIOLENCE, follow_up_on: str = "2026-03-20", state: str = "planned") -> AreaInput:
    return AreaInput(code, commits_to="En rutin för att fråga om våld.", follow_up_on=follow_up_on, state=state)


def reasons(app, kind: str) -> list:
    with app.sessions() as session:
        return [(item.reference, reason) for item in live_items(app, session) for reason in item.reasons if reason.kind == kind]


def stockholm(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A wall-clock time in Stockholm in winter (UTC+1) as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=1)


def test_a_follow_up_is_listed_from_its_day_on_the_boards_calendar(app, clock):
    reference = booked_case(app)
    record(app, reference, commitment())
    clock.now = stockholm(2026, 3, 19, 23, 59)
    assert reasons(app, FOLLOW_UP) == []
    clock.now = stockholm(2026, 3, 20, 0, 0)  # midnight in Stockholm, still 19 March in UTC
    [(ref, reason)] = reasons(app, FOLLOW_UP)
    assert ref == reference and reason.text == DUE_TEXT
    clock.advance(days=30)  # overdue stays listed
    assert [r.text for _, r in reasons(app, FOLLOW_UP)] == [DUE_TEXT]


def test_resolved_it_goes_and_a_new_date_brings_it_back(app, clock):
    reference = booked_case(app)
    record(app, reference, commitment())
    clock.now = stockholm(2026, 3, 23, 9, 0)
    [(_, reason)] = reasons(app, FOLLOW_UP)
    with app.sessions() as session:
        resolve_item(app, session, reason.key, actor="staff", note="Ringde, rutinen är på gång.")
        session.commit()
    assert reasons(app, FOLLOW_UP) == []
    record(app, reference, commitment(follow_up_on="2026-04-15", state="ongoing"))  # followed up: a new date
    assert reasons(app, FOLLOW_UP) == []
    clock.now = stockholm(2026, 4, 15, 9, 0) - timedelta(hours=1)  # summer time: 09:00 CEST
    [(_, again)] = reasons(app, FOLLOW_UP)
    assert again.key != reason.key and "(senast 15 april 2026)" in again.text


@pytest.mark.parametrize("state", ["done", "dropped"])
def test_a_commitment_done_or_dropped_is_not_followed_up(app, clock, state):
    reference = booked_case(app)
    record(app, reference, commitment(state=state))
    clock.now = stockholm(2026, 3, 23, 9, 0)
    assert reasons(app, FOLLOW_UP) == []


def test_a_withdrawn_case_has_no_follow_up(app, clock):
    reference = booked_case(app)
    record(app, reference, commitment())
    with app.sessions() as session:
        staff.set_status(app, session, staff.get_case(session, reference), "withdrawn", actor="staff", why="slutade")
        session.commit()
    clock.now = stockholm(2026, 3, 23, 9, 0)
    assert reasons(app, FOLLOW_UP) == []


def test_an_area_gone_from_the_strategy_is_named_by_its_code(app, make_app, clock, tmp_path):
    strategy = tmp_path / "strategy.toml"
    shipped = app.settings.shipped_path(app.settings.strategy.file).read_text(encoding="utf-8")
    reference = booked_case(app)
    record(app, reference, commitment())
    strategy.write_text(shipped.replace('code = "upptacka-vald"', 'code = "upptacka-vald-2"'), encoding="utf-8")
    edited = make_app(strategy={"file": str(strategy)})  # the same database, the file as an admin edited it
    clock.now = stockholm(2026, 3, 23, 9, 0)
    [(_, reason)] = reasons(edited, FOLLOW_UP)
    assert reason.text == "Uppföljning av åtagande: upptacka-vald (senast 20 mars 2026)"


def test_a_request_for_other_times_is_listed_until_resolved(app, clock):
    reference = booked_case(app)
    with app.sessions() as session:
        case_id = session.scalars(select(Case.id)).one()
        words = "Vi kan inte\nde tiderna. Går det <b>i april</b>? Se https://evil.example/x " + "mycket text " * 40
        session.add(Event(at=clock(), actor="portal:1", action=OTHER_TIMES, case_id=case_id, data={"text": words}))
        session.commit()
    [(ref, reason)] = reasons(app, OTHER_TIMES)
    assert ref == reference
    assert reason.text.startswith("Organisationen ber om andra tider: ”Vi kan inte de tiderna. Går det <b>i april</b>? "
                                  "Se hxxps[:]//evil[.]example/x mycket")
    assert reason.text.endswith("…”") and len(reason.text) < 260 and "\n" not in reason.text
    with app.sessions() as session:
        resolve_item(app, session, reason.key, actor="staff")
        session.commit()
    assert reasons(app, OTHER_TIMES) == []


def test_the_digest_lists_the_due_follow_up_and_the_request(app, clock):
    quiet = booked_case(app)
    record(app, quiet, commitment(follow_up_on="2026-03-12"))
    digest_now = stockholm(2026, 3, 12, 10, 0)
    # A digest with no follow-up due must read as before: a later date is not listed and not counted.
    other = booked_case(app, "JS-2026-0002", "Sala <kommun>")
    record(app, other, commitment(YOUTH, follow_up_on="2026-04-01"))
    with app.sessions() as session:
        case_id = session.scalars(select(Case.id).where(Case.reference == other)).one()
        session.add(Event(at=digest_now - timedelta(hours=1), actor="portal:2", action=OTHER_TIMES, case_id=case_id,
                          data={"text": "Helst en tisdag <b>efter</b> påsk."}))
        session.commit()
    assert run_digest(app, now=digest_now).result == "queued"
    with app.sessions() as session:
        mail = session.scalars(select(OutgoingMail).where(OutgoingMail.template == "digest")).one()
    text, page = mail.body_text, mail.body_html or ""
    assert "1 åtagande att följa upp" in mail.subject
    assert "Uppföljning av åtagande: Att systematiskt upptäcka våld, även våld som arbetsgivarfråga (senast 12 mars 2026)" in text
    assert "Organisationen ber om andra tider: ”Helst en tisdag <b>efter</b> påsk.”" in text
    assert "Helst en tisdag &lt;b&gt;efter&lt;/b&gt; påsk." in page and "<b>efter</b>" not in page
    assert "Våldsförebyggande arbete riktat till barn och unga" not in text  # not due until April
    assert "Uppföljning av åtagande" in page and "Sala &lt;kommun&gt;" in page
    assert f"{app.settings.web.base_url}/arenden/JS-2026-0002" in text
