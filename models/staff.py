"""Who may use the staff workspace, and what they have settled there."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, intpk, optional_timestamp, str_enum, str_short, timestamp


class Role(str, enum.Enum):
    STAFF = "staff"  # development officers: every case and every action on it
    ADMIN = "admin"  # also rules, test messages, user accounts


class User(Base):
    """A person who signs in to the workspace (`inbox users add`). Passwords are Argon2 hashes."""

    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str_short]
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.STAFF)
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None: signs in only through the identity provider
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[timestamp]
    last_login_at: Mapped[optional_timestamp]
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # since the last good sign-in
    last_failed_at: Mapped[optional_timestamp]
    # Sessions signed in before this instant are void: set by signing out, a new password or disabling,
    # so a copied cookie dies with them (the cookie itself is signed data, not a server-side session).
    sessions_valid_after: Mapped[optional_timestamp]


class Resolution(Base):
    """An item of the action list that a person marked as dealt with; the digest and the start page stop listing it.

    `item_key` names the item (see digest.attention.item_key): a reason on a case, a held reply, a quarantined
    message. Each key is resolved at most once; a new reason on the same case gets a new key."""

    __tablename__ = "resolutions"

    id: Mapped[intpk]
    item_key: Mapped[str] = mapped_column(String(200), unique=True)
    resolved_by: Mapped[str] = mapped_column(String(120))
    resolved_at: Mapped[timestamp]
    note: Mapped[str | None] = mapped_column(Text)
