"""The tokens the config signs in with: they can be had, and what they grant.

An Entra ID app (auth = "microsoft", transport = "graph") is asked through mailauth.microsoft,
which also says when the token lacks the permission the service needs. A token of auth =
"oauth2" comes from the IMAP source's own code (the command or the environment variable); when
it is a JWT its audience, roles and expiry are shown (read, not verified: the server verifies it).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime

from ingest.sources import ImapSource
from mailauth import microsoft
from ops.doctor import CheckFailed, Checkup


def check_token(checkup: Checkup) -> str:
    """Every Entra ID sign-in the config uses (mailauth.microsoft: IMAP, SMTP, Graph), and a token of auth = "oauth2"."""
    settings = checkup.settings
    found = [microsoft.check(use) for use in microsoft.uses(settings)]  # TokenError names what to change
    imap = settings.source.imap
    if settings.source.kind == "imap" and imap.auth == "oauth2":
        found.append(_imap_oauth2(checkup))
    if not found:
        return f"not used (IMAP auth = \"{imap.auth}\", [smtp] transport = \"{settings.smtp.transport}\", auth = \"{settings.smtp.auth}\")"
    return "; ".join(found)


def _imap_oauth2(checkup: Checkup) -> str:
    source = checkup.settings.source
    token = ImapSource(source.imap, account=source.account)._oauth2_token()  # the source's own code; SourceError names the key
    claims = _jwt_payload(token)
    minutes = _minutes_left(claims, checkup.ctx.clock())
    if minutes is not None and minutes <= 0:
        raise CheckFailed(f"the IMAP token expired {-minutes:.0f} min ago",
                          "let [source.imap] oauth2_token_command print a fresh token each time it runs (tokens last about an hour)")
    return f"IMAP: a token of {len(token)} characters{_described(claims, minutes)}"


def _described(claims: dict, minutes: float | None) -> str:
    """", for https://outlook.office365.com, roles IMAP.AccessAsApp, expires in 59 min" from a JWT's claims."""
    parts = []
    if isinstance(claims.get("aud"), str):
        parts.append(f"for {claims['aud']}")
    if isinstance(claims.get("roles"), list):
        parts.append("roles " + (", ".join(str(role) for role in claims["roles"]) or "none"))
    if minutes is not None:
        parts.append(f"expires in {minutes:.0f} min")
    return "".join(f", {part}" for part in parts)


def _minutes_left(claims: dict, now: datetime) -> float | None:
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        return None
    try:
        return (datetime.fromtimestamp(expires, UTC) - now).total_seconds() / 60
    except (OverflowError, ValueError, OSError):  # a number no clock can hold
        return None


def _jwt_payload(token: str) -> dict:
    pieces = token.split(".")
    if len(pieces) != 3:
        return {}
    try:
        payload = json.loads(base64.urlsafe_b64decode(pieces[1] + "=" * (-len(pieces[1]) % 4)))
    except (binascii.Error, ValueError):
        return {}
    return payload if isinstance(payload, dict) else {}
