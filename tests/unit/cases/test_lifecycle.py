from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cases.lifecycle import ALLOWED, MAIN_LINE, TransitionError, transition
from cases.reference import case_token, references_in_tokens, token_key
from models import Case, CaseStatus, Event

AT = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


class Recorder:
    def __init__(self) -> None:
        self.added = []

    def add(self, obj) -> None:
        self.added.append(obj)


def test_the_main_line_moves_forward_one_step_at_a_time():
    for before, after in zip(MAIN_LINE[1:], MAIN_LINE[2:], strict=False):
        assert after in ALLOWED[before], (before, after)


def test_every_status_can_go_to_review_and_every_status_is_reachable_from_a_new_case():
    assert all(CaseStatus.NEEDS_REVIEW in ALLOWED[s] for s in CaseStatus if s is not CaseStatus.NEEDS_REVIEW)
    reached, frontier = {CaseStatus.RECEIVED}, [CaseStatus.RECEIVED]
    while frontier:
        for nxt in ALLOWED[frontier.pop()] - reached:
            reached.add(nxt)
            frontier.append(nxt)
    assert reached == set(CaseStatus)


def test_a_transition_records_who_when_and_why():
    case, session = Case(id=7, reference="JS-2026-0007", status=CaseStatus.COMPLETE), Recorder()
    assert transition(session, case, CaseStatus.INVITED, actor="system", why="invitation sent", at=AT) is True
    [event] = session.added
    assert isinstance(event, Event)
    assert (event.actor, event.action, event.at, event.detail) == ("system", "status_changed", AT, "complete -> invited: invitation sent")
    assert (case.status, case.status_since) == (CaseStatus.INVITED, AT)


def test_staying_put_is_no_event_and_a_forbidden_jump_is_an_error():
    case, session = Case(id=7, reference="JS-2026-0007", status=CaseStatus.INCOMPLETE), Recorder()
    assert transition(session, case, CaseStatus.INCOMPLETE, actor="x", why="y", at=AT) is False
    with pytest.raises(TransitionError, match="cannot go from incomplete to dialogue_held"):
        transition(session, case, CaseStatus.DIALOGUE_HELD, actor="x", why="y", at=AT)
    assert session.added == [] and case.status is CaseStatus.INCOMPLETE


def test_only_an_intact_token_names_a_case(tmp_path):
    key = token_key(tmp_path)
    assert token_key(tmp_path) == key and len(key) == 64  # made once, then read back
    assert oct((tmp_path / "token.key").stat().st_mode & 0o777) == "0o600"
    token = case_token("JS-2026-0003", key)
    quoted = f"> tack\n> {token}\n"
    assert references_in_tokens(quoted, key) == ["JS-2026-0003"]
    assert references_in_tokens(quoted, b"another key") == []
    assert references_in_tokens(quoted.replace("JS-2026-0003", "JS-2026-0004"), key) == []


def test_references_count_on_past_9999(make_app):
    from cases.reference import next_reference

    app = make_app()
    with app.sessions() as session:
        for number in (9998, 9999, 10000):
            session.add(Case(reference=f"JS-2026-{number:04d}", status=CaseStatus.RECEIVED, missing=[], confidence={}, review=[], overrides={}))
        session.flush()
        assert next_reference(session, "JS", AT) == "JS-2026-10001"
