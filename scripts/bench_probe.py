"""`inbox` with measuring hooks, for scripts/bench.py: run as `python scripts/bench_probe.py OUT ARGS...`
in place of `inbox ARGS...`.

It records, and writes as JSON to OUT when the command exits:
- poll_s: seconds of `poll_once` (connect, fetch, store, process, post-actions; not the start-up);
- store_s: seconds from the start of `poll_once` until every new message is stored and
  committed (the end of ingest.poll._store_new), when the code has that step;
- imap_commands: the IMAP commands sent, in order (counted in imaplib, under imapclient);
- child_peak_mb: the highest peak memory of a message's child process (ingest.isolation);
- worker_mb: this process's own peak memory (VmHWM).

The hooks are put in place before cli.main is imported, so they hold however the CLI imports;
then the `inbox` script runs as the main module, exactly as `inbox ARGS...` would.
"""

from __future__ import annotations

import atexit
import functools
import imaplib
import json
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INBOX_SCRIPT = Path(sys.executable).with_name("inbox")  # the console script pip made for cli.main:main
RECORD: dict = {"imap_commands": [], "child_peak_mb": 0.0}


def _count_imap() -> None:
    original = imaplib.IMAP4._command

    def command(self, name, *args):
        RECORD["imap_commands"].append(name)
        return original(self, name, *args)

    setattr(imaplib.IMAP4, "_command", command)  # noqa: B010 - a hook, replaced on the class


def _time_poll() -> None:
    import ingest.poll as poll

    started: list[float] = []
    original_poll = poll.poll_once

    @functools.wraps(original_poll)
    def poll_once(*args, **kwargs):
        started.append(time.perf_counter())
        try:
            return original_poll(*args, **kwargs)
        finally:
            RECORD["poll_s"] = time.perf_counter() - started[0]

    poll.poll_once = poll_once
    store_new = getattr(poll, "_store_new", None)
    if store_new is not None:
        @functools.wraps(store_new)
        def timed_store(*args, **kwargs):
            try:
                return store_new(*args, **kwargs)
            finally:
                RECORD["store_s"] = time.perf_counter() - started[0]

        poll._store_new = timed_store


def _child_peaks() -> None:
    from ingest.isolation import MessageChild

    original = MessageChild.run

    @functools.wraps(original)
    def run(self, *args, **kwargs):
        report = original(self, *args, **kwargs)
        RECORD["child_peak_mb"] = max(RECORD["child_peak_mb"], report.peak_mb)  # each message's own peak
        return report

    MessageChild.run = run


def _finish(out: Path) -> None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):  # this process's own peak (ru_maxrss counts its parent's copy before exec)
            RECORD["worker_mb"] = int(line.split()[1]) / 1024
    out.write_text(json.dumps(RECORD))


def main() -> None:
    out = Path(sys.argv.pop(1))
    atexit.register(_finish, out)
    _count_imap()
    _child_peaks()
    _time_poll()
    # The `inbox` script itself as the main module, as in production: multiprocessing runs the
    # main script again in every child (ingest.isolation), so what it imports is paid per message.
    sys.argv[0] = str(INBOX_SCRIPT)
    runpy.run_path(str(INBOX_SCRIPT), run_name="__main__")


if __name__ == "__main__":
    main()
