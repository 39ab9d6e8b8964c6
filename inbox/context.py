"""The application context: built once by the entry point and passed to every job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from inbox.config import Settings
from inbox.db import make_engine, make_sessionmaker
from models import utcnow


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = field(default=utcnow)

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

    @cached_property
    def known_organisations(self):
        from ingest.extract import KnownOrganisations

        return KnownOrganisations.load(self.settings.shipped_path(self.settings.extract.known_organisations))

    @cached_property
    def subject_patterns(self):
        from ingest.classify import compile_subject_patterns

        return compile_subject_patterns(self.settings.subject_patterns())

    @cached_property
    def renderer(self):
        from replies.render import Renderer

        return Renderer(self.settings.replies)

    @cached_property
    def transport(self):
        from replies.transports import make_transport

        return make_transport(self.settings)

    def close(self) -> None:
        self.engine.dispose()
