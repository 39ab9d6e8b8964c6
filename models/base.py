"""Declarative base, shared column types and the naming convention Alembic relies on."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, Enum, MetaData, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware instants on every database.

    PostgreSQL stores `timestamptz`; SQLite keeps the wall-clock digits and drops the zone,
    so every value is converted to UTC on the way in and gets UTC back on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(f"naive datetime {value!r}: pass an aware one (UTC)")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def str_enum(enum_cls: type[enum.Enum]) -> Enum:
    """Store an enum by its value in a plain VARCHAR (portable, readable in SQL)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


intpk = Annotated[int, mapped_column(primary_key=True)]
timestamp = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow)]
optional_timestamp = Annotated[datetime | None, mapped_column(UTCDateTime(), nullable=True)]
str_short = Annotated[str, mapped_column(String(255))]
str_short_opt = Annotated[str | None, mapped_column(String(255), nullable=True)]
# Text that comes from mail (names, titles, filenames, header values): unbounded, because a
# stranger decides its length and a varchar limit would quarantine the message on PostgreSQL.
mail_text = Annotated[str | None, mapped_column(Text, nullable=True)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
