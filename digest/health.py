"""How the service ran: the last successful poll and what failed during the period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digest import labels
from digest.calendar import as_utc
from models import Case, Event, JobRun
from privacy.retention import RetentionRun, last_run
from replies.outage import outages

# A run that has not finished after this long crashed (an unexpected error is not recorded by _guarded).
STALLED_AFTER = timedelta(hours=1)


@dataclass
class Failure:
    at: datetime  # UTC
    what: str  # Swedish
    detail: str | None  # the technical message, verbatim


@dataclass
class Health:
    last_poll: datetime | None  # UTC
    failures: list[Failure] = field(default_factory=list)
    retention: RetentionRun | None = None  # the last retention run (`inbox retention run` or the daily job)


def service_health(session: Session, start: datetime, end: datetime) -> Health:
    last_poll = session.scalar(select(func.max(JobRun.finished_at)).where(JobRun.job == "poll", JobRun.ok.is_(True)))
    runs = _failed_runs(session, start, end)
    seen = {(f"{run.job}_failed", run.error) for run in runs}
    failures = [_run_failure(run) for run in runs]
    for event, reference in _failed_events(session, start, end):
        if (event.action, event.detail) not in seen:
            failures.append(_event_failure(event, reference))
    failures += [_outage_failure(alarm, recovered) for alarm, recovered in outages(session, start, end)]
    return Health(last_poll=as_utc(last_poll) if last_poll else None, failures=sorted(failures, key=lambda f: f.at),
                  retention=last_run(session))


def _failed_runs(session: Session, start: datetime, end: datetime) -> list[JobRun]:
    runs = session.scalars(
        select(JobRun).where(JobRun.ok.is_(False), JobRun.started_at >= start - STALLED_AFTER, JobRun.started_at < end)
        .order_by(JobRun.id)
    )
    # A finished failure belongs to the period it started in; a run that never finished counts as
    # failed once it has been stalled for STALLED_AFTER, so it lands in exactly one digest.
    return [run for run in runs
            if (run.finished_at is not None and as_utc(run.started_at) >= start)
            or (run.finished_at is None and start <= as_utc(run.started_at) + STALLED_AFTER < end)]


def _failed_events(session: Session, start: datetime, end: datetime) -> list[tuple[Event, str | None]]:
    query = (
        select(Event, Case.reference).outerjoin(Case, Case.id == Event.case_id)
        .where(Event.action.like("%\\_failed", escape="\\"), Event.at >= start, Event.at < end).order_by(Event.id)
    )
    return [(event, reference) for event, reference in session.execute(query)]


def _run_failure(run: JobRun) -> Failure:
    if run.finished_at is None:
        return Failure(as_utc(run.started_at), f"{labels.job(run.job)} avbröts utan att bli klar", None)
    return Failure(as_utc(run.started_at), f"{labels.job(run.job)} misslyckades", run.error)


def _outage_failure(alarm: Event, recovered: Event | None) -> Failure:
    """The service could not send at all (replies/outage.py): one item per outage, not one per reply."""
    if recovered is None:
        what = "E-post kan inte skickas: alla svar väntar i kön tills felet är åtgärdat"
    else:
        minutes = int((recovered.at - alarm.at).total_seconds() // 60)
        lasted = f"{minutes // 60} tim {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
        what = f"E-post kunde inte skickas under {lasted}; svaren väntade i kön och skickas nu som vanligt"
    return Failure(as_utc(alarm.at), what, alarm.detail)


def _event_failure(event: Event, reference: str | None) -> Failure:
    name = event.action.removesuffix("_failed")
    if name == "reply":
        what = "Ett svar kunde inte skickas"
    elif name in labels.JOBS:
        what = f"{labels.job(name)} misslyckades"
    else:
        what = f"Ett fel inträffade ({name})"
    if reference:
        what += f" i ärende {reference}"
    return Failure(as_utc(event.at), what, event.detail)
