"""The application context: built once by the entry point and passed to every job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from inbox.config import Settings
from inbox.db import make_engine, make_sessionmaker
from models import utcnow

T = TypeVar("T")


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = field(default=utcnow)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, settings: Settings, *, clock: Callable[[], datetime] = utcnow) -> AppContext:
        engine = make_engine(settings.database_url())
        return cls(settings=settings, engine=engine, sessions=make_sessionmaker(engine), clock=clock)

    @property
    def data_dir(self) -> Path:
        """Where raw messages and attachments are stored, resolved against the config file."""
        return self.settings.path(self.settings.service.data_dir)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.service.timezone)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """The service object `key`, built once per context by `build`.

        The ground knows no service: each service module offers its own `..._for(ctx)` that
        builds its object here, so this module imports nothing above config and db."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def memoized(self, key: str) -> Any | None:
        """The service object `key` if one was built, else None (nothing is built)."""
        return self._memo.get(key)

    def close(self) -> None:
        self.engine.dispose()
