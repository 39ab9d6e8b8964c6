"""What a message's child process runs (started by ingest.isolation.MessageChild).

It sets its own limits once (process group, RLIMIT_AS), builds its AppContext once, then takes
(message id, clock) tasks from the worker until the worker closes the pipe or dies: one attempt
each (ingest.attempt, its own transaction), with a CPU backstop per message, and one report
each, with the message's own peak memory (VmHWM, reset after each message).
"""

from __future__ import annotations

import logging
import os
import resource
from collections.abc import Callable
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path

from inbox.config import Settings
from inbox.context import AppContext
from ingest.attempt import EnvironmentFault, attempt


def child_main(settings: Settings, log_level: int, tasks: Connection, results: Connection) -> None:
    """Take (message id, clock) tasks until the worker closes the pipe (or dies); one report each."""
    os.setpgid(0, 0)
    memory = settings.limits.message_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mailparser").setLevel(logging.ERROR)
    ctx = AppContext.build(settings)  # once: its engine and connection serve every message of this child
    _reset_peak()
    try:
        while (task := _next_task(tasks)) is not None:
            report = _one_message(ctx, *task)
            try:
                results.send(report)
            except OSError:  # the worker is gone: the message is recorded (or not) in the database
                return
            if report.get("memory"):
                return  # after a MemoryError nothing in this process is to be trusted
    finally:
        ctx.close()


def _next_task(tasks: Connection) -> tuple[int, Callable[[], datetime]] | None:
    try:
        return tasks.recv()
    except (EOFError, OSError):  # the worker let this child go, or died
        return None


def _one_message(ctx: AppContext, message_pk: int, clock: Callable[[], datetime]) -> dict:
    _own_budget(ctx.settings.limits.message_seconds, message_pk)
    ctx.clock = clock  # the worker's clock, read when it sent this message (FixedClock)
    report: dict
    try:
        report = {"status": attempt(ctx, message_pk).value}
    except EnvironmentFault as err:
        report = {"environment": str(err)}
    except MemoryError:
        report = {"memory": True}
    report.update(_own_memory_kb())
    _reset_peak()  # before the report goes: the worker's samples of the next message are that message's own
    return report


def _own_budget(seconds: float, message_pk: int) -> None:
    """Before each message: a CPU backstop for a child whose worker died (no one left to enforce
    the wall clock), and the message's id in `ps` (the process name)."""
    _write_proc("comm", f"inbox:{message_pk}"[:15])
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + seconds) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _own_memory_kb() -> dict[str, int]:
    """This process's memory in KB: peak_kb (VmHWM: the message's peak, see _reset_peak), rss_kb
    (VmRSS: what it holds now) and size_kb (VmSize: its address space, what RLIMIT_AS limits)."""
    names = {"VmHWM": "peak_kb", "VmRSS": "rss_kb", "VmSize": "size_kb"}
    found = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in names:
                found[names[name]] = int(value.split()[0])
    except (OSError, ValueError):
        pass  # not Linux: ru_maxrss is the child's whole life
    found.setdefault("peak_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return found


def _reset_peak() -> None:
    """VmHWM starts again from what the process holds now (Linux 4.0+): each message's peak is its own."""
    _write_proc("clear_refs", "5")


def _write_proc(name: str, value: str) -> None:
    try:
        Path(f"/proc/self/{name}").write_text(value)
    except OSError:
        pass  # not Linux, or an older kernel: the peak is then the child's whole life, as ru_maxrss reports
