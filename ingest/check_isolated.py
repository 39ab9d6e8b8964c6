"""`inbox check` on a message someone uploaded (the workspace's /admin/prova), in a child process.

An uploaded .eml is as hostile as anything the mailbox receives, and the web process serves every
signed-in person: a parser that crashes natively, hangs or eats memory must end only a child. The
child runs under the limits one stored message gets in the worker (ingest.isolation: its own
process group, RLIMIT_AS of message_memory_mb, RLIMIT_CPU, the wall clock of message_seconds,
then SIGKILL to the group) and sends back check_bytes's JSON shape, or why it has none.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

from inbox.config import Settings
from ingest.check import check_file
from ingest.isolation import PRELOAD as WORKER_PRELOAD
from ingest.isolation import _wait  # the worker's wait: polls the child's memory, kills its group at the deadline
from ingest.message import MessageParseError

log = logging.getLogger(__name__)
# The fork server is one per process and keeps the list it was first started with: the same list as the
# worker's (warm pipeline), plus this module, whichever of the two starts it.
PRELOAD = [*WORKER_PRELOAD, "ingest.check_isolated"]


@dataclass(frozen=True)
class CheckOutcome:
    """result: the check JSON (README "The check JSON"), else None and `stopped` says why in Swedish."""

    result: dict | None
    stopped: str | None
    seconds: float
    peak_mb: float


def check_isolated(settings: Settings, path: Path) -> CheckOutcome:
    if settings.limits.isolation == "inline":  # tests and debugging, as for the worker
        started = time.monotonic()
        report = _check(settings, path)
        return CheckOutcome(report.get("result"), _why_stopped(report, False, None, settings), time.monotonic() - started, 0.0)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=child_main, name="inbox-check", daemon=True, args=(settings, str(path), sender))
    started = time.monotonic()
    child.start()
    sender.close()
    try:
        report, peak_kb, timed_out = _wait(child, receiver, started + settings.limits.message_seconds)
    finally:
        receiver.close()
    peak_mb = max(peak_kb, report.get("peak_kb", 0)) / 1024
    stopped = _why_stopped(report, timed_out, child.exitcode, settings)
    return CheckOutcome(report.get("result"), stopped, time.monotonic() - started, peak_mb)


def _why_stopped(report: dict, timed_out: bool, exitcode: int | None, settings: Settings) -> str | None:
    """None when the check finished; otherwise a sentence for the admin who uploaded the file."""
    limits = settings.limits
    if "result" in report:
        return None
    if "error" in report:
        return f"Meddelandet gick inte att läsa: {report['error']}"
    if report.get("memory"):
        return f"Kontrollen avbröts: meddelandet behövde mer än {limits.message_memory_mb} MB minne."
    if timed_out:
        return f"Kontrollen avbröts: den tog mer än {limits.message_seconds:g} sekunder."
    return f"Kontrollen avbröts: processen slutade utan resultat (slutkod {exitcode})."


# -- in the child ---------------------------------------------------------------------------------------------------

def child_main(settings: Settings, path: str, sender) -> None:
    os.setpgid(0, 0)  # a Tesseract it starts dies with it when the parent kills the group
    memory = settings.limits.message_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = int(settings.limits.message_seconds) + 1  # a backstop should the web process die
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    logging.getLogger("mailparser").setLevel(logging.ERROR)
    report: dict = {}
    try:
        report = _check(settings, Path(path))
    finally:
        report["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sender.send(report)
        sender.close()


def _check(settings: Settings, path: Path) -> dict:
    try:
        return {"result": check_file(path, settings)}
    except MessageParseError as err:
        return {"error": str(err)[:300]}
    except MemoryError:
        return {"memory": True}
    except Exception as err:  # the one place an unforeseen parser failure becomes a message for the admin
        log.warning("check of an uploaded message failed: %s", type(err).__name__)
        return {"error": f"{type(err).__name__}: {err}"[:300]}
