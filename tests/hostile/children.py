"""Find and signal the child processes the fork server starts (ingest.isolation): a native crash
in a parser, simulated from outside. Linux /proc only; for tests and scripts/hostile_report.py."""

from __future__ import annotations

import errno
import multiprocessing.forkserver
import os
import threading
import time
from pathlib import Path


def fork_server_pid() -> int | None:
    return getattr(multiprocessing.forkserver._forkserver, "_forkserver_pid", None)  # noqa: SLF001 - no public way


def children_of_the_fork_server() -> list[int]:
    """Live (not zombie) children of the fork server, i.e. message processes now running."""
    server = fork_server_pid()
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue
        if server and int(parent) == server and state != "Z":
            children.append(int(stat.parent.name))
    return children


class KillNextChild:
    """While the block runs, send `signum` to the child that does the (skip+1)-th piece of work:
    a child of the fork server as it starts, then each further message it takes (a message's
    child names itself "inbox:ID" in /proc/PID/comm while it processes message ID; its first
    message is the piece of work it started for)."""

    def __init__(self, signum: int, skip: int = 0) -> None:
        self.signum, self.skip = signum, skip
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> KillNextChild:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()

    def _watch(self) -> None:
        messages: dict[int, set[str]] = {}  # pid -> the messages seen in it ("" before its first)
        started = 0
        while not self.done.is_set():
            for pid in children_of_the_fork_server():
                current = _message_of(pid)
                seen = messages.setdefault(pid, set())
                new_child = not seen
                if new_child or (current and current not in seen):
                    started += new_child or bool(seen - {""})  # a child's first message is the work it started for
                    seen.discard("")
                    seen.add(current)
                    if started > self.skip:
                        self._kill(pid)
                        return
            time.sleep(0.005)

    def _kill(self, pid: int) -> None:
        try:
            os.kill(pid, self.signum)
        except OSError as err:
            if err.errno != errno.ESRCH:
                raise


def _message_of(pid: int) -> str:
    """The message a child is working on ("inbox:ID"), or "" when it has not named one."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""
    return name if name.startswith("inbox:") else ""
