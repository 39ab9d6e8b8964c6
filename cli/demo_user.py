"""The end of `inbox demo`: how to open the workspace on the demo data, with a demo account.

The account `demo` (admin, so every page can be tried) is made only on the demo database, the
embedded defaults' SQLite file (var/inbox.db): never on a database a real configuration names."""

from __future__ import annotations

import os
import secrets
import string
import sys

from sqlalchemy import select

from accounts.users import add_user
from inbox.config import DatabaseConfig
from inbox.context import AppContext
from models import Case, PortalLink, Role, User

DEMO_USER = "demo"
ALPHABET = string.ascii_letters + string.digits


def is_demo_database(ctx: AppContext) -> bool:
    return ctx.settings.database.url == DatabaseConfig().url


def workspace_lines(ctx: AppContext) -> list[str]:
    command = f"{_inbox()} web"
    url = f"{ctx.settings.web.base_url}/"
    if not is_demo_database(ctx):
        return [f"Workspace: `{command}`, then open {url} (accounts: `{_inbox()} users add NAME --role admin`)."]
    password = _make_demo_user(ctx)
    said = f"password {password}" if password else "the password printed when it was made"
    return [f"Workspace on the demo data: run `{command}`, open {url} and sign in as {DEMO_USER} ({said}).",
            *_portal_line(ctx)]


def _portal_line(ctx: AppContext) -> list[str]:
    """The personal link of the first demo case that has one, as its invitation carries it."""
    from portal import links

    with ctx.sessions() as session:
        link = session.scalar(select(PortalLink).order_by(PortalLink.id).limit(1))
        if link is None:
            return []
        reference = session.get_one(Case, link.case_id).reference
        return [f"An organisation's own page, as the invitation to {reference} links it: {links.url(ctx, link)}"]


def _make_demo_user(ctx: AppContext) -> str | None:
    """A new random password when the account was made now; None when it exists already."""
    with ctx.sessions() as session:
        if session.scalar(select(User).where(User.username == DEMO_USER)) is not None:
            return None
        password = "".join(secrets.choice(ALPHABET) for _ in range(16))  # nothing a shell or a paste could mangle
        add_user(session, DEMO_USER, "Demo", Role.ADMIN, password, actor="demo")
        session.commit()
    return password


def _inbox() -> str:
    """How this command was started (`.venv/bin/inbox` under `make demo`), so the line can be pasted."""
    started = sys.argv[0] if sys.argv else ""
    if os.path.basename(started) != "inbox":
        return "inbox"
    relative = os.path.relpath(started)
    return relative if not relative.startswith("..") else os.path.abspath(started)
