"""Sign-in vouched for by the board's identity provider (OpenID Connect): the name it gives must be an account.

The provider says who the person is; the workspace alone says whether they may work here. A name without an
active account is refused, never created: an admin adds people with `inbox users add NAME --no-password`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from accounts.users import SignedIn, get_user, signed_in
from inbox.errors import InboxError
from models import Event

NO_ACCOUNT = "Du har inget konto i arbetsytan; be en administratör lägga till dig."
DISABLED = "Ditt konto i arbetsytan är avstängt; be en administratör öppna det igen."


class NotAnAccount(InboxError):
    """The provider vouched for a person without an active account; the message is for that person (Swedish)."""


def sign_in_vouched(session: Session, username: str, now: datetime, *, issuer: str) -> SignedIn:
    """The active account named `username` by the provider at `issuer`; audited as `sign_in_oidc`."""
    try:
        user = get_user(session, username)
    except InboxError:  # no such account, or a name no account could have
        raise NotAnAccount(NO_ACCOUNT) from None
    if not user.active:
        session.add(Event(actor=user.username, action="sign_in_oidc_refused", detail="account disabled"))
        raise NotAnAccount(DISABLED)
    user.last_login_at = now
    session.add(Event(actor=user.username, action="sign_in_oidc", detail=issuer))
    return signed_in(user)
