"""One message's attempt in a child process, under a wall-clock and a memory budget.

A parser that crashes natively (PDFium, lxml), hangs or eats memory ends only the child;
the worker reads how it ended and decides (ingest.process). Children come from a fork
server started once with the pipeline imported, so a child costs a fork, not an interpreter
start; no database engine or connection ever crosses into a child: each child builds its
own AppContext from the worker's Settings (a pydantic model, pickled).

In the child: its own process group (so a Tesseract it started dies with it), RLIMIT_AS of
message_memory_mb (an allocation past it fails: MemoryError in Python, an abort in C),
RLIMIT_CPU of message_seconds (for a child whose worker died), and the attempt
(ingest.attempt) in its own transaction. The worker waits message_seconds, then
kills the group. Peak memory is the child's own high-water mark (VmHWM, what ru_maxrss
reports), read while it runs, so it is known even for a child that was killed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from inbox.config import Settings
from inbox.context import AppContext
from ingest.attempt import EnvironmentFault, attempt
from models import MessageStatus, utcnow

log = logging.getLogger(__name__)
# Besides these, multiprocessing runs the program's main script again in every child (Python 3.11
# gives the fork server no main path to preload): for `inbox` that is cli.main, which must stay
# cheap to import (its commands are imported lazily), or every message pays for the whole CLI.
PRELOAD = ["ingest.isolation", "ingest.preload"]
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class ChildReport:
    """How a child ended. status: what it recorded (PROCESSED or QUARANTINED), else None;
    stopped: why it did not finish ("exceeded 180 s", "killed by signal 9 (SIGKILL)", ...);
    environment: an EnvironmentFault it met (nothing recorded)."""

    status: MessageStatus | None
    stopped: str | None
    environment: str | None
    seconds: float
    peak_mb: float


@dataclass(frozen=True)
class FixedClock:
    """A clock read once in the worker: a test's fake clock cannot be shared with a child."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


def portable_clock(clock: Callable[[], datetime]) -> Callable[[], datetime]:
    """The real clock travels by reference; any other clock as its current reading."""
    return clock if clock is utcnow else FixedClock(clock())


def run_isolated(ctx: AppContext, message_pk: int) -> ChildReport:
    limits = ctx.settings.limits
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=child_main, name=f"inbox-message-{message_pk}", daemon=True,
                            args=(ctx.settings, portable_clock(ctx.clock), message_pk, logging.getLogger().getEffectiveLevel(),
                                  sender))
    started = time.monotonic()
    child.start()
    sender.close()
    try:
        report, peak_kb, timed_out = _wait(child, receiver, started + limits.message_seconds)
    finally:
        receiver.close()
    seconds = time.monotonic() - started
    peak_mb = max(peak_kb, report.get("peak_kb", 0)) / 1024
    stopped = _why_stopped(child.exitcode, timed_out, report, limits)
    status = MessageStatus(report["status"]) if "status" in report else None
    return ChildReport(status, stopped, report.get("environment"), seconds, peak_mb)


def _wait(child, receiver, deadline: float) -> tuple[dict, int, bool]:
    """(the child's report, its peak memory in KB, whether it was killed for time)."""
    report: dict = {}
    peak_kb = 0
    while child.exitcode is None:
        peak_kb = max(peak_kb, _high_water_kb(child.pid))
        if time.monotonic() >= deadline:
            _kill_group(child)
            child.join()
            return report or _report(receiver), peak_kb, True
        if not report and receiver.poll(POLL_SECONDS):
            report = _report(receiver)
        child.join(POLL_SECONDS if report else 0)
    return report or _report(receiver), peak_kb, False


def _report(receiver) -> dict:
    try:
        return receiver.recv() if receiver.poll() else {}
    except (EOFError, OSError):
        return {}  # the child ended without a report


def _why_stopped(exitcode: int | None, timed_out: bool, report: dict, limits) -> str | None:
    """None when the child finished (what it recorded is in the database), else the reason."""
    if "status" in report or "environment" in report:
        return None
    if report.get("memory"):
        return f"exceeded {limits.message_memory_mb} MB"
    if timed_out:
        return f"exceeded {limits.message_seconds:g} s"
    if exitcode is not None and exitcode < 0:
        return f"killed by signal {-exitcode} ({signal.Signals(-exitcode).name})"
    return f"the child process ended with exit code {exitcode} without a result"


def _kill_group(child) -> None:
    """SIGKILL to the child's process group (it and any Tesseract it started)."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        child.kill()  # the child has not made its group yet


def _high_water_kb(pid: int | None) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass  # the child is gone, or this is not Linux: the child's own report counts
    return 0


# -- in the child ---------------------------------------------------------------------------------------------------

def child_main(settings: Settings, clock: Callable[[], datetime], message_pk: int, log_level: int, sender) -> None:
    os.setpgid(0, 0)
    memory = settings.limits.message_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # A backstop for a child whose worker died (no one left to enforce the wall clock): CPU seconds.
    seconds = int(settings.limits.message_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mailparser").setLevel(logging.ERROR)
    report: dict = {}
    try:
        report = _attempt_in_child(settings, clock, message_pk)
    except MemoryError:
        report = {"memory": True}
    finally:
        report["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sender.send(report)
        sender.close()


def _attempt_in_child(settings: Settings, clock: Callable[[], datetime], message_pk: int) -> dict:
    ctx = AppContext.build(settings, clock=clock)
    try:
        return {"status": attempt(ctx, message_pk).value}
    except EnvironmentFault as err:
        return {"environment": str(err)}
    finally:
        ctx.close()
