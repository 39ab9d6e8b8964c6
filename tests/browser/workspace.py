"""The real workspace on the demo data, served by uvicorn on a free loopback port in a thread.

Used by the browser tests (tests/browser/conftest.py) and by scripts/screenshots.py. The demo data is
what `inbox demo` makes (examples/mail through the directory source, replies sent), plus what the
flows need and the examples lack: a quarantined message, free times, one booked meeting, two accounts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy import select

from accounts.users import add_user
from cases.booking import add_slot, book, time_concerns
from inbox.config import Settings
from inbox.context import AppContext
from inbox.db import upgrade
from ingest.poll import poll_once
from ingest.sources import DirectorySource
from ingest.store import store_raw
from models import Case, CaseStatus, MessageStatus, Organisation, Role, Slot
from portal.links import issue_link, url
from replies.send import send_due
from tests.integration.lifecycle_support import org_mail
from tests.servers.dovecot import free_port
from web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright never downloads a browser here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
EXAMPLES = ROOT / "examples" / "mail"
PASSWORD = "korrekt häst batteri häftklammer"
USERS = (("staff", "Stina Handläggare", Role.STAFF), ("admin", "Adam Admin", Role.ADMIN))
# The quarantined message the replay flow takes out of quarantine (an affiliation from an organisation not in the examples).
QUARANTINED_FROM = "karin.ek@jamlikidrott.se"
QUARANTINE_REASON = "the worker stopped while it processed this message (simulated by the test data)"
BOOKED_ORGANISATION = "Region Västmanland"  # has a meeting booked in the demo data: the "dialogue held" flow


@dataclass
class Workspace:
    url: str
    ctx: AppContext
    database: str  # "sqlite" or "postgresql"

    def reference_of(self, organisation: str, *, missing_ok: bool = False) -> str:
        """The first case of the organisation with this name ("" when there is none and that is allowed)."""
        with self.ctx.sessions() as session:
            found = session.scalars(select(Case.reference).join(Organisation, Case.organisation_id == Organisation.id)
                                    .where(Organisation.name == organisation).order_by(Case.id)).first()
        assert found or missing_ok, f"no case of {organisation!r} in the demo data"
        return found or ""


def settings_for(database_url: str, data_dir: Path, *, smtp: tuple[str, int] | None, outbox_dir: Path | None = None,
                 port: int = 0, isolation: str = "process") -> Settings:
    """The workspace's settings: plain http on loopback (secure_cookies off), replies to a test SMTP server or files."""
    transport = {"transport": "smtp", "host": smtp[0], "port": smtp[1], "tls": "none"} if smtp else \
        {"transport": "file", "outbox_dir": str(outbox_dir or data_dir / "outbox")}
    return Settings(service={"data_dir": str(data_dir)}, database={"url": database_url},
                    source={"kind": "directory", "directory": {"path": str(EXAMPLES)}}, smtp=transport,
                    web={"secure_cookies": False, "base_url": f"http://127.0.0.1:{port or 8080}"},
                    limits={"isolation": isolation})


def seed_demo(settings: Settings) -> None:
    """`inbox demo`'s data (in-process parsing: the examples are known mail), then what the flows need."""
    ctx = AppContext.build(settings.model_copy(update={"limits": settings.limits.model_copy(update={"isolation": "inline"})}))
    try:
        upgrade(ctx.engine)
        report = poll_once(ctx, DirectorySource(EXAMPLES))
        assert report.quarantined == 0, report
        with ctx.sessions() as session:
            _quarantined(ctx, session)
            _slots_and_a_meeting(ctx, session)
            for username, name, role in USERS:
                add_user(session, username, name, role, PASSWORD, actor="test")
            session.commit()
        send_due(ctx)
    finally:
        ctx.close()


def _quarantined(ctx: AppContext, session) -> None:
    raw = org_mail("<karantan-1@jamlikidrott.se>", "Föreningen Jämlik idrott i Västmanland", "Karin Ek", QUARANTINED_FROM)
    message = store_raw(session, ctx.data_dir, raw, now=ctx.clock()).message
    message.status, message.quarantine_reason, message.attempts = MessageStatus.QUARANTINED, QUARANTINE_REASON, 1


def _slots_and_a_meeting(ctx: AppContext, session) -> None:
    """Three free times on the next working days at 10:00, and a meeting booked on the first for one case."""
    times = working_mornings(ctx, 3)
    for at in times:
        add_slot(ctx, session, at, minutes=60, place="Länsstyrelsen, rum Mälaren", link=None, actor="test")
    session.flush()
    case = session.scalars(select(Case).join(Organisation, Case.organisation_id == Organisation.id)
                           .where(Organisation.name == BOOKED_ORGANISATION)).first()
    assert case is not None and case.status in (CaseStatus.COMPLETE, CaseStatus.INVITED), case
    book(ctx, session, case, times[0], place=None, link=None, minutes=None, actor="test")


def working_mornings(ctx: AppContext, count: int, hour: int = 10) -> list[datetime]:
    """`hour`:00 on the next `count` days (from the day after tomorrow) the booking rules accept without asking."""
    found: list[datetime] = []
    day = (ctx.clock().astimezone(ctx.zone) + timedelta(days=2)).replace(hour=hour, minute=0, second=0, microsecond=0)
    while len(found) < count:
        if not time_concerns(day, 60, now=ctx.clock(), zone=ctx.zone, office_hours=ctx.settings.booking.hours()):
            found.append(day)
        day += timedelta(days=1)
    return found


def portal_path(ctx: AppContext, organisation: str) -> str:
    """The path of the organisation's own page (its case is invited in the demo data), with one free time at 14:00
    offered to that case alone, as an invitation offers it: each browser flow books on a case and a time of its own."""
    with ctx.sessions() as session:
        case = session.scalars(select(Case).join(Organisation, Case.organisation_id == Organisation.id)
                               .where(Organisation.name == organisation)).one()
        assert case.status is CaseStatus.INVITED, (organisation, case.status)
        at = next(t for t in working_mornings(ctx, 30, hour=14)
                  if session.scalar(select(Slot.id).where(Slot.starts_at == t)) is None)
        slot = add_slot(ctx, session, at, minutes=60, place="Länsstyrelsen, rum Mälaren", link=None, actor="test")
        slot.offered_case_id, slot.offered_at = case.id, ctx.clock()
        path = urlsplit(url(ctx, issue_link(ctx, session, case, actor="test"))).path
        session.commit()
        return path


@contextmanager
def serve(settings: Settings, port: int) -> Iterator[Workspace]:
    """uvicorn in a thread on 127.0.0.1:port over `settings`' database, until the block ends."""
    ctx = AppContext.build(settings)
    config = uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning", lifespan="off",
                            ws="none", http="h11", server_header=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="workspace", daemon=True)
    thread.start()
    try:
        _wait_until_started(server, thread)
        yield Workspace(f"http://127.0.0.1:{port}", ctx, ctx.engine.dialect.name)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        ctx.close()


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the workspace did not start (see the log above)")
        time.sleep(0.02)


__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "EXAMPLES", "PASSWORD", "Workspace", "free_port", "portal_path", "seed_demo", "serve",
           "settings_for"]
