"""One child process takes a run of waiting messages, each under its own limits (ingest.isolation
MessageChild): real fork-server children on SQLite and PostgreSQL, real pipeline, no mocks."""

from __future__ import annotations

import signal

import pytest
from sqlalchemy import select

from ingest.process import process_waiting
from ingest.store import store_raw
from models import Event, Message, MessageStatus
from tests.hostile.children import KillNextChild, children_of_the_fork_server
from tests.integration.lifecycle_support import org_mail

pytestmark = pytest.mark.integration
PLACES = [("Sala kommun", "erik.berg@sala.se"), ("Arboga kommun", "eva.ek@arboga.se"), ("Köpings kommun", "jan.ny@koping.se"),
          ("Fagersta kommun", "ida.ros@fagersta.se"), ("Heby kommun", "per.bo@heby.se")]


def store(app, count: int) -> list[int]:
    with app.sessions() as session:
        pks = [store_raw(session, app.data_dir, org_mail(f"<m{n}@x.se>", org, "Anna Lund", address), now=app.clock()).message.id
               for n, (org, address) in enumerate(PLACES[:count])]
        session.commit()
    return pks


def statuses(app, pks: list[int]) -> list[tuple[MessageStatus, int]]:
    with app.sessions() as session:
        return [(m.status, m.attempts) for m in (session.get_one(Message, pk) for pk in pks)]


def test_one_child_takes_the_whole_run(make_app):
    app = make_app(limits={"isolation": "process"})
    pks = store(app, 5)
    report = process_waiting(app)
    assert [report.outcomes[pk].status for pk in pks] == [MessageStatus.PROCESSED] * 5
    assert len({report.outcomes[pk].child_pid for pk in pks}) == 1
    assert all(report.outcomes[pk].peak_mb for pk in pks)  # each message's own peak, measured
    assert statuses(app, pks) == [(MessageStatus.PROCESSED, 1)] * 5
    assert not children_of_the_fork_server()  # the child ends with the run


def test_a_child_is_replaced_after_child_messages(make_app):
    app = make_app(limits={"isolation": "process", "child_messages": 2})
    pks = store(app, 5)
    report = process_waiting(app)
    children = [report.outcomes[pk].child_pid for pk in pks]
    assert children[0] == children[1] != children[2] == children[3] != children[4]
    assert statuses(app, pks) == [(MessageStatus.PROCESSED, 1)] * 5


def test_a_child_past_child_retire_mb_is_replaced_after_its_message(make_app):
    app = make_app(limits={"isolation": "process", "child_retire_mb": 50})  # every child holds more than 50 MB
    pks = store(app, 3)
    report = process_waiting(app)
    assert len({report.outcomes[pk].child_pid for pk in pks}) == 3
    assert statuses(app, pks) == [(MessageStatus.PROCESSED, 1)] * 3


def test_a_child_killed_mid_run_charges_only_its_message_and_the_rest_go_to_a_new_child(make_app):
    app = make_app(limits={"isolation": "process", "max_attempts": 2})
    first, victim, third, fourth = store(app, 4)
    with KillNextChild(signal.SIGKILL, skip=1):  # during the second message of the shared child
        report = process_waiting(app)
    outcomes = report.outcomes
    assert list(outcomes) == [first, victim, third, fourth]
    assert outcomes[victim].status is MessageStatus.STORED and outcomes[victim].reason == "killed by signal 9 (SIGKILL)"
    assert [outcomes[pk].status for pk in (first, third, fourth)] == [MessageStatus.PROCESSED] * 3
    assert outcomes[first].child_pid == outcomes[victim].child_pid != outcomes[third].child_pid == outcomes[fourth].child_pid
    assert statuses(app, [first, victim, third, fourth]) == [(MessageStatus.PROCESSED, 1), (MessageStatus.STORED, 1),
                                                              (MessageStatus.PROCESSED, 1), (MessageStatus.PROCESSED, 1)]
    with app.sessions() as session:
        stops = session.scalars(select(Event.detail).where(Event.action == "processing_stopped")).all()
    assert stops == ["killed by signal 9 (SIGKILL) (attempt 1 of 2)"]
    again = process_waiting(app)  # the next run tries it again, in a fresh child, and it goes through
    assert list(again.outcomes) == [victim] and again.outcomes[victim].status is MessageStatus.PROCESSED
    assert statuses(app, [victim]) == [(MessageStatus.PROCESSED, 2)]
