"""Shared fixtures: the real servers (tests/servers) and a factory for the app context."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inbox.config import Settings
from inbox.context import AppContext
from inbox.db import upgrade
from tests.servers.fixtures import *  # noqa: F401,F403 - dovecot, imap, smtp_server, database_url, ...


class FakeClock:
    """A clock the test moves by hand (back-off, reminders)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_app(tmp_path: Path, database_url: str, clock: FakeClock) -> Iterator[Callable[..., AppContext]]:
    """Build an AppContext on a fresh database; keyword arguments are config sections as dicts."""
    built: list[AppContext] = []

    def factory(**sections) -> AppContext:
        data = {
            "service": {"data_dir": str(tmp_path / "data")},
            "database": {"url": database_url},
            "smtp": {"transport": "file", "outbox_dir": str(tmp_path / "outbox")},
        }
        for name, values in sections.items():
            data[name] = {**data.get(name, {}), **values}
        ctx = AppContext.build(Settings(**data), clock=clock)
        upgrade(ctx.engine)
        built.append(ctx)
        return ctx

    yield factory
    for ctx in built:
        ctx.close()
