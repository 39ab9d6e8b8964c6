"""Push: which worker holds the mailbox, and its IMAP IDLE connection (RFC 2177).

`inbox run` polls on an interval; where the server offers IDLE, the worker that holds the
mailbox also keeps one connection in IDLE and asks for a poll the moment the server says
EXISTS, so an affiliation is read, answered and the answer sent within seconds. The interval
poll stays as a safety net. IDLE is issued again every [source.imap] idle_renew_minutes
(RFC 2177: servers may drop an IDLE after 29 minutes); a dropped connection is opened again
after a back-off (1 s, doubling to 5 minutes), and every new connection asks for one poll
for what arrived while it was away. A server without IDLE leaves the interval poll alone.

Two workers on one database (PostgreSQL): the mailbox is held by one of them, by a lock
that goes with its database connection (inbox.db.HeldLock), so a killed holder's lock is
free at once and the other worker takes the mailbox at its next poll interval. The waiting
worker shares the processing meanwhile (ingest.process claims messages one by one).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from imapclient.exceptions import IMAPClientError

from inbox.context import AppContext
from inbox.db import HeldLock
from inbox.errors import InboxError
from ingest.sources.imap import ImapSource
from ops.metrics import set_idle_connected

log = logging.getLogger(__name__)
CHECK_SECONDS = 1.0  # how long one idle_check waits: also how soon a stop is noticed
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 300.0
STEADY_SECONDS = 60.0  # a connection that lasted this long resets the back-off


class PollTrigger:
    """Runs the poll job again promptly when asked, never two at once, never a request lost.

    `wake` makes the scheduler run the poll job now (set by the scheduler). A request while a
    poll runs is kept and that poll runs once more when it ends: mail that arrived after its
    FETCH is read at once, not at the next interval."""

    def __init__(self) -> None:
        self.wake: Callable[[], None] = lambda: None
        self._lock = threading.Lock()
        self._wanted = self._running = self._woken = False

    def request(self) -> None:
        with self._lock:
            self._wanted = True
            wake = not (self._running or self._woken)
            self._woken = self._woken or wake
        if wake:
            self.wake()

    def run(self, poll: Callable[[], None]) -> None:
        """Called by the poll job: poll, and again while requests came in meanwhile."""
        with self._lock:
            self._running, self._woken = True, False
        try:
            while True:
                with self._lock:
                    self._wanted = False
                poll()
                with self._lock:
                    if not self._wanted:
                        return
        finally:
            with self._lock:
                self._running = False


class IdleWatcher:
    """A thread with one IMAP connection in IDLE that calls on_new_mail when the server says EXISTS."""

    def __init__(self, ctx: AppContext, on_new_mail: Callable[[], None]) -> None:
        self.ctx = ctx
        self.config = ctx.settings.source.imap
        self.on_new_mail = on_new_mail
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="imap-idle", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=CHECK_SECONDS + self.config.timeout_seconds)

    def _run(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        while not self._stop.is_set():
            opened = time.monotonic()
            try:
                if not self._listen():
                    return  # no IDLE at this server: the interval poll is all there is
            except (InboxError, IMAPClientError, OSError) as err:
                log.warning("IMAP IDLE: %s; connecting again in %.0f s", err, backoff)
            finally:
                set_idle_connected(self.ctx, False)
            backoff = FIRST_BACKOFF_SECONDS if time.monotonic() - opened >= STEADY_SECONDS else min(backoff * 2, MAX_BACKOFF_SECONDS)
            self._stop.wait(backoff)

    def _listen(self) -> bool:
        """One connection, IDLE renewed until stopped; False when the server has no IDLE."""
        with ImapSource(self.config, self.ctx.settings.source.account, readonly=True) as source:
            client = source.imap
            if not client.has_capability("IDLE"):
                log.warning("IMAP IDLE: %s does not offer IDLE; new mail is read every %g minutes ([schedule] poll_minutes)",
                            self.config.host, self.ctx.settings.schedule.poll_minutes)
                return False
            set_idle_connected(self.ctx, True)
            log.info("IMAP IDLE: listening on %s", source.name)
            self.on_new_mail()  # what arrived while no one listened
            while not self._stop.is_set():
                client.idle()
                self._idle_until(client, time.monotonic() + self.config.idle_renew_minutes * 60)
                _text, responses = client.idle_done()  # ends this IDLE: renewed (RFC 2177) or stopped
                if any(_says_new_mail(response) for response in responses):
                    self.on_new_mail()  # said between the last check and DONE
        return True

    def _idle_until(self, client, deadline: float) -> None:
        while not self._stop.is_set() and time.monotonic() < deadline:
            asked = time.monotonic()
            responses = client.idle_check(timeout=CHECK_SECONDS)
            if any(_says_new_mail(response) for response in responses):
                self.on_new_mail()
            elif not responses and time.monotonic() - asked < CHECK_SECONDS / 2:
                # idle_check returns at once with nothing only when the socket reached its end.
                raise ConnectionError("the server closed the IDLE connection")


def _says_new_mail(response: tuple) -> bool:
    return len(response) >= 2 and response[1] == b"EXISTS"


class Mailbox:
    """The mailbox side of one `inbox run` worker: whether it holds the mailbox, and its IDLE listener."""

    def __init__(self, ctx: AppContext, trigger: PollTrigger) -> None:
        source = ctx.settings.source
        self.ctx = ctx
        self.trigger = trigger
        self.lock = HeldLock(ctx.engine, f"mailbox:{source.account}:{source.imap.folder}")
        self.watcher: IdleWatcher | None = None
        self.closed = False

    def held(self) -> bool:
        """Take the mailbox when it is free (or keep it); the IDLE listener runs while it is held.
        Once closed (the worker stops), never: a job still queued then does not take it again."""
        if self.closed:
            return False
        if self.lock.held and not self.lock.still_held():
            log.warning("the database connection that held the mailbox dropped; taking the mailbox again")
            self._stop_watching()
        was_held = self.lock.held
        if not self.lock.try_take():
            return False
        if not was_held:
            log.info("this worker holds the mailbox %s", self.lock.name)
            self._start_watching()
        return True

    def close(self) -> None:
        self.closed = True
        self._stop_watching()
        self.lock.release()

    def _start_watching(self) -> None:
        source = self.ctx.settings.source
        if source.kind == "imap" and source.imap.idle:
            self.watcher = IdleWatcher(self.ctx, self.trigger.request)
            self.watcher.start()

    def _stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
