"""Add, disable and sign in staff accounts. The CLI (`inbox users`) and the workspace call these."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.passwords import hash_password, needs_rehash, verify
from inbox.errors import InboxError, NotFound
from models import Event, Role, User, utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")  # fits events.actor (64)
FREE_FAILURES = 3  # wrong passwords allowed before each further attempt must wait
MAX_WAIT = timedelta(minutes=15)


class SignInRefused(InboxError):
    """Wrong name or password, a disabled account, or too many recent failures (with how long to wait)."""

    def __init__(self, message: str, wait_seconds: int = 0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class LastAdmin(InboxError):
    """The change would leave no active admin."""


@dataclass(frozen=True)
class SignedIn:
    id: int
    username: str
    display_name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def normal_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InboxError(f"not a valid username: {username!r} (letters a-z, digits and . _ @ -; 2-64 characters)")
    return name


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == normal_username(username)))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def add_user(session: Session, username: str, display_name: str, role: Role, password: str | None, *, actor: str) -> User:
    name = normal_username(username)
    if len(display_name) > 255:
        raise InboxError("a display name has at most 255 characters")
    if session.scalar(select(User).where(User.username == name)) is not None:
        raise InboxError(f"user {name!r} exists already")
    user = User(username=name, display_name=display_name.strip() or name, role=role,
                password_hash=hash_password(password) if password else None, active=True, failed_logins=0)
    session.add(user)
    session.add(Event(actor=actor, action="user_added", detail=f"{name} ({role.value})"))
    return user


def set_password(session: Session, username: str, password: str, *, actor: str, now: datetime | None = None) -> User:
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.sessions_valid_after = now or utcnow()
    session.add(Event(actor=actor, action="user_password_set", detail=user.username))
    return user


def set_active(session: Session, username: str, active: bool, *, actor: str, now: datetime | None = None) -> User:
    user = get_user(session, username)
    if not active:
        _keep_an_admin(session, user)
    user.active = active
    if not active:
        user.sessions_valid_after = now or utcnow()
    session.add(Event(actor=actor, action="user_enabled" if active else "user_disabled", detail=user.username))
    return user


def set_role(session: Session, username: str, role: Role, *, actor: str) -> User:
    user = get_user(session, username)
    if role is not Role.ADMIN:
        _keep_an_admin(session, user)
    user.role = role
    session.add(Event(actor=actor, action="user_role_set", detail=f"{user.username} ({role.value})"))
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse to disable or demote the last active admin: no one could then manage accounts in the workspace."""
    if user.role is not Role.ADMIN or not user.active:
        return
    others = session.scalar(select(func.count()).select_from(User)
                            .where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id))
    if not others:
        raise LastAdmin(f"{user.username} is the last active admin; make another account admin first")


def wait_before_next_try(user: User, now: datetime) -> int:
    """Seconds this account must wait before another password is tried: doubles with every failure past the free ones."""
    if user.failed_logins < FREE_FAILURES or user.last_failed_at is None:
        return 0
    wait = min(timedelta(seconds=2 ** (user.failed_logins - FREE_FAILURES + 1)), MAX_WAIT)
    left = user.last_failed_at + wait - now
    return max(0, int(left.total_seconds() + 0.999))


def sign_in(session: Session, username: str, password: str, now: datetime) -> SignedIn:
    """Check a password. Failures are counted per account and slow the next attempts; the message never says
    whether the name exists."""
    try:
        user = get_user(session, username)
    except (NotFound, InboxError):
        verify(None, password)  # same work as a real check
        raise SignInRefused("Fel användarnamn eller lösenord.") from None
    wait = wait_before_next_try(user, now)
    if wait:
        raise SignInRefused(f"För många misslyckade försök. Försök igen om {wait} sekunder.", wait)
    if not verify(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        user.last_failed_at = now
        session.add(Event(actor=user.username, action="sign_in_failed", detail=f"attempt {user.failed_logins}"))
        raise SignInRefused("Fel användarnamn eller lösenord.")
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins, user.last_login_at = 0, now
    return signed_in(user)


def signed_in(user: User) -> SignedIn:
    return SignedIn(user.id, user.username, user.display_name, user.role)


def active_user(session: Session, user_id: int, signed_in_at: float) -> SignedIn | None:
    """The account behind a session cookie, re-read on every request: a disabled account, a new password or a
    sign-out ends every session that began before it."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    if user.sessions_valid_after is not None and signed_in_at <= user.sessions_valid_after.timestamp():
        return None
    return signed_in(user)


def end_sessions(session: Session, user_id: int, now: datetime) -> None:
    """Sign the account out everywhere (the sign-out button)."""
    user = session.get(User, user_id)
    if user is not None:
        user.sessions_valid_after = now
