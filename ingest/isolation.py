"""Messages' attempts in a child process, each under a wall-clock and a memory budget.

A parser that crashes natively (PDFium, lxml), hangs or eats memory ends only the child;
the worker reads how each message ended and decides (ingest.process). Children come from a
fork server started once with the pipeline imported, so a child costs a fork, not an
interpreter start; no database engine or connection ever crosses into a child: each child
builds its own AppContext from the worker's Settings (a pydantic model, pickled).

A child takes a run of waiting messages one after another (MessageChild): the worker sends a
message's id down a pipe and waits for its report on another, message_seconds at most, then
kills the child's group; a child that ends without a report charges only that message, and
the next message goes to a fresh child. In the child: its own process group (so a Tesseract
it started dies with it), RLIMIT_AS of message_memory_mb (an allocation past it fails:
MemoryError in Python, an abort in C), an RLIMIT_CPU of message_seconds more per message (for
a child whose worker died), and each attempt (ingest.attempt) in its own transaction. Peak
memory is the child's high-water mark (VmHWM), reset after each message so that each peak is
the message's own, and read by the worker while it runs, so it is known even for a killed child.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path

from inbox.context import AppContext
from ingest.attempt import EnvironmentFault
from ingest.in_child import child_main
from models import MessageStatus, utcnow

log = logging.getLogger(__name__)
# Besides these, multiprocessing runs the program's main script again in every child (Python 3.11
# gives the fork server no main path to preload): for `inbox` that is cli.main, which must stay
# cheap to import (its commands are imported lazily), or every message pays for the whole CLI.
PRELOAD = ["ingest.isolation", "ingest.preload"]
POLL_SECONDS = 0.05
CLOSE_SECONDS = 5  # a child let go finishes its clean-up within this, or is killed


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
    child_pid: int | None = None  # the child that took it (several messages share one)


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
    """One message in a child of its own (a run of messages shares one: MessageChild)."""
    with MessageChild(ctx) as child:
        return child.run(message_pk)


class MessageChild:
    """A child process that takes one waiting message after another, each under its own limits.

    A fork and a cold start cost more than a plain message's pipeline, so a child is kept for the
    next message: its context (engine, connection, caches) stays warm. Each message has its own
    transaction (ingest.attempt), its own wall clock (the worker kills the child's group when one
    message overruns) and memory budget (RLIMIT_AS, and the child's peak reset for each message).
    A child that is stopped, ran out of memory, grew past [limits] child_retire_mb or finished
    child_messages messages is let go; the next message starts a fresh one. Used as a context
    manager: the child ends with the block.
    """

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._process: multiprocessing.process.BaseProcess | None = None
        self._tasks: Connection | None = None
        self._results: Connection | None = None
        self._done = 0

    def __enter__(self) -> MessageChild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, message_pk: int) -> ChildReport:
        limits = self.ctx.settings.limits
        started = time.monotonic()
        process, results = self._send(message_pk)
        report, peak_kb, timed_out = _wait_for_report(process, results, started + limits.message_seconds)
        seconds = time.monotonic() - started
        if "status" not in report and "environment" not in report:
            self._end()  # stopped, out of memory or dead: the next message gets a fresh child
        else:
            self._done += 1
            if self._retire(report):
                self.close()
        peak_mb = max(peak_kb, report.get("peak_kb", 0)) / 1024
        stopped = _why_stopped(process.exitcode, timed_out, report, limits)
        status = MessageStatus(report["status"]) if "status" in report else None
        return ChildReport(status, stopped, report.get("environment"), seconds, peak_mb, process.pid)

    def close(self) -> None:
        """Let the child go: it ends when it reads the end of its task pipe (killed if it does not)."""
        if self._process is None:
            return
        assert self._tasks is not None
        self._tasks.close()
        self._process.join(CLOSE_SECONDS)
        self._end()

    def _send(self, message_pk: int) -> tuple[multiprocessing.process.BaseProcess, Connection]:
        task = (message_pk, portable_clock(self.ctx.clock))
        for _ in range(2):  # a child that died while it waited for work is replaced once
            if self._process is None:
                self._start()
            assert self._process is not None and self._tasks is not None and self._results is not None
            try:
                self._tasks.send(task)
                return self._process, self._results
            except OSError:  # BrokenPipeError: the child is gone
                self._end()
        raise EnvironmentFault("cannot start a child process for the next message ([limits] isolation)")

    def _start(self) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        task_reader, self._tasks = context.Pipe(duplex=False)
        self._results, result_writer = context.Pipe(duplex=False)
        self._process = context.Process(target=child_main, name="inbox-messages", daemon=True,
                                        args=(self.ctx.settings, logging.getLogger().getEffectiveLevel(), task_reader,
                                              result_writer))
        self._process.start()
        task_reader.close()
        result_writer.close()
        self._done = 0

    def _retire(self, report: dict) -> bool:
        """After a heavy message (its peak, or what the child holds now, over child_retire_mb), once
        the child's address space has used half of message_memory_mb (the next message would have
        less than a fresh child's room under RLIMIT_AS), or after child_messages messages: Python
        rarely gives memory back, so a fresh child is smaller."""
        limits = self.ctx.settings.limits
        heaviest_kb = max(report.get("peak_kb", 0), report.get("rss_kb", 0))
        return (heaviest_kb > limits.child_retire_mb * 1024 or report.get("size_kb", 0) > limits.message_memory_mb * 512
                or self._done >= limits.child_messages)

    def _end(self) -> None:
        """Kill what is left of the child (its whole group) and forget it."""
        if self._process is not None:
            if self._process.exitcode is None:
                _kill_group(self._process)
            self._process.join()
        for pipe in (self._tasks, self._results):
            if pipe is not None:
                pipe.close()
        self._process = self._tasks = self._results = None


def _wait_for_report(process, results: Connection, deadline: float) -> tuple[dict, int, bool]:
    """(the child's report on its message, its peak memory in KB while it ran, whether it was
    killed for time). An empty report: the child ended (or was killed) without one."""
    peak_kb = 0
    while True:
        peak_kb = max(peak_kb, _high_water_kb(process.pid))
        if results.poll(POLL_SECONDS):
            report = _report(results)
            if report:
                return report, peak_kb, False
            process.join(POLL_SECONDS)  # the pipe ended without a report: the child is ending
        if process.exitcode is not None:
            process.join()
            return _report(results), peak_kb, False
        if time.monotonic() >= deadline:
            _kill_group(process)
            process.join()
            return _report(results), peak_kb, True


def _wait(child, receiver, deadline: float) -> tuple[dict, int, bool]:
    """A one-shot child's wait (ingest.check_isolated): (its report, its peak memory in KB,
    whether it was killed for time)."""
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
