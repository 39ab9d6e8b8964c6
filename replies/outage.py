"""The service cannot send at all: one alarm per outage, and back-off that costs no reply an attempt.

An outage starts with the first environment error (no password, login refused, server away,
TLS) and ends with the next reply the server accepts. It is recorded as two events by the
actor "send": `service_alarm` (the cause, one line naming the key to fix; `data` keeps the
number of tries and the last one, like an alert's "last seen") and `service_recovered`. The
ERROR log line is written once, when the alarm is raised; the digest and `inbox doctor` read
the events. While it lasts the whole queue waits, not each row: the next try is
`retry_base_seconds` after the last, then as long as the outage has lasted so far (60 s, 60 s,
2 min, 4 min ...), never more than MAX_WAIT, so mail leaves within MAX_WAIT of the server's
return. `inbox send` (a person) tries at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.errors import TransportError
from models import Event

log = logging.getLogger(__name__)
ACTOR = "send"
ALARM = "service_alarm"
RECOVERED = "service_recovered"
MAX_WAIT = timedelta(minutes=15)


def open_alarm(session: Session) -> Event | None:
    """The alarm of the outage going on now, if any."""
    latest = session.scalar(
        select(Event).where(Event.actor == ACTOR, Event.action.in_((ALARM, RECOVERED))).order_by(Event.id.desc()).limit(1)
    )
    return latest if latest is not None and latest.action == ALARM else None


def _facts(alarm: Event) -> dict:
    """An alarm's `data` (cause, tries, last try): `outage_began` always writes it."""
    assert alarm.data is not None, f"event {alarm.id}: a service alarm without data"
    return alarm.data


def next_try(ctx: AppContext, alarm: Event) -> datetime:
    last = datetime.fromisoformat(_facts(alarm)["last_try"])
    base = timedelta(seconds=ctx.settings.smtp.retry_base_seconds)
    return last + min(max(base, last - alarm.at), MAX_WAIT)


def waiting(ctx: AppContext, session: Session) -> str | None:
    """The cause of the outage while its next try is not due yet; None when sending may go ahead."""
    alarm = open_alarm(session)
    if alarm is None or ctx.clock() >= next_try(ctx, alarm):
        return None
    return _facts(alarm).get("cause") or alarm.detail


def outage_began(ctx: AppContext, session: Session, err: TransportError) -> None:
    """Record an environment error: the alarm once per outage, then only its tries."""
    now, cause = ctx.clock(), str(err)[:2000]
    alarm = open_alarm(session)
    if alarm is None:
        log.error("sending stopped, every reply waits: %s", cause)
        session.add(Event(at=now, actor=ACTOR, action=ALARM, detail=cause,
                          data={"kind": err.kind, "cause": cause, "tries": 1, "last_try": now.isoformat()}))
        return
    facts = _facts(alarm)
    if cause != facts.get("cause"):
        log.warning("sending still stopped, now because: %s", cause)
    else:
        log.info("sending still stopped (since %s): %s", alarm.at, cause)
    alarm.data = {**facts, "cause": cause, "tries": facts.get("tries", 0) + 1, "last_try": now.isoformat()}


def outage_ended(ctx: AppContext, session: Session) -> None:
    """A reply was accepted: close the open alarm, if there is one."""
    alarm = open_alarm(session)
    if alarm is None:
        return
    lasted = ctx.clock() - alarm.at
    log.warning("sending works again after %s", _duration(lasted))
    session.add(Event(at=ctx.clock(), actor=ACTOR, action=RECOVERED, detail=f"after {_duration(lasted)}: {alarm.detail}"[:2000],
                      data={"alarm": alarm.id, "seconds": int(lasted.total_seconds()), "tries": _facts(alarm).get("tries")}))


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def outages(session: Session, start: datetime, end: datetime) -> list[tuple[Event, Event | None]]:
    """The alarms of outages that overlap [start, end), each with its recovery (None: still going on)."""
    marks = session.scalars(
        select(Event).where(Event.actor == ACTOR, Event.action.in_((ALARM, RECOVERED)), Event.at < end).order_by(Event.id)
    )
    pairs: list[tuple[Event, Event | None]] = []
    alarm = None
    for mark in marks:
        if mark.action == ALARM and alarm is None:
            alarm = mark
        elif mark.action == RECOVERED and alarm is not None:
            pairs.append((alarm, mark))
            alarm = None
    if alarm is not None:
        pairs.append((alarm, None))
    return [(a, r) for a, r in pairs if r is None or r.at >= start]
