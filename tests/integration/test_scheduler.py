"""Every job run is recorded, failing or not, so the digest can report the service's health."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from inbox.errors import SourceError
from models import Event, JobRun
from scheduler import _guarded, build_scheduler


def runs(app) -> list[tuple[str, bool, str | None, str | None]]:
    with app.sessions() as session:
        return [(r.job, r.ok, r.summary, r.error) for r in session.scalars(select(JobRun).order_by(JobRun.id))]


def test_a_good_run_an_expected_failure_and_a_crash_are_all_recorded(make_app, caplog):
    app = make_app()

    def crash():
        raise ValueError("boom")

    def away():
        raise SourceError("cannot reach imap.example.se")

    _guarded(app, "poll", lambda: "fetched=0")
    _guarded(app, "poll", away)
    _guarded(app, "send", crash)
    assert runs(app) == [("poll", True, "fetched=0", None), ("poll", False, None, "cannot reach imap.example.se"),
                         ("send", False, None, "ValueError: boom")]
    with app.sessions() as session:
        assert [e.action for e in session.scalars(select(Event).order_by(Event.id))] == ["poll_failed", "send_failed"]
    assert "Traceback" in caplog.text  # the crash keeps its traceback in the log


@pytest.mark.parametrize("job", ["poll", "send", "reminders", "digest"])
def test_the_schedule_has_every_job(make_app, job):
    scheduler = build_scheduler(make_app())
    assert job in {j.id for j in scheduler.get_jobs()}


def test_a_worker_that_starts_late_still_sends_todays_digest_once(make_app, clock):
    from models import Digest
    from scheduler import digest_job

    app = make_app(staff={"recipients": ["staff@lansstyrelsen.se"]}, digest={"send_when_empty": True})
    clock.advance(hours=3)  # Thursday 12 March, 13:00 in Stockholm: long after digest_time
    digest_job(app)
    digest_job(app)
    clock.advance(minutes=5)
    digest_job(app)
    with app.sessions() as session:
        assert len(session.scalars(select(Digest)).all()) == 1
    assert [r[:2] for r in runs(app)] == [("digest", True)]  # the no-op checks are not recorded
