"""Cookies, CSRF tokens and the security headers every response carries."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inbox.config import Settings

# No inline script or style anywhere: everything the page runs comes from /static on this origin.
# Stored documents are shown in an <iframe> of our own origin (frame-src 'self'), nothing may frame us.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; connect-src 'self'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# A stored PDF or image shown in the page: framed by our own pages only, no script of its own.
# (Chromium's PDF viewer does not run in a CSP sandbox, so PDFs get this policy without `sandbox`; images with it.)
DOCUMENT_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
IMAGE_CSP = DOCUMENT_CSP + "; sandbox"


class SecurityHeaders:
    """Adds HEADERS to every response that did not set its own Content-Security-Policy."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if self.hsts:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


def secret_key(settings: Settings, data_dir: Path) -> str:
    """The session-signing key: from the environment, else a random one kept in data_dir (made once, mode 0600)."""
    from_env = os.environ.get(settings.web.secret_key_env)
    if from_env:
        return from_env
    path = data_dir / "web-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def csrf_token(session: dict) -> str:
    """The session's CSRF token (synchroniser pattern): every form carries it, every POST must echo it."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(session: dict, sent: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and sent and hmac.compare_digest(expected, sent))
