"""`@page(...)`: one wrapper that every route goes through.

It signs the person in (session cookie or a trusted proxy's header), refuses what their role does not allow,
checks the CSRF token of every POST, runs the handler in a worker thread with one database session, commits
on success and turns a refused action (InboxError) into a Swedish notice instead of a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accounts.users import SignedIn, active_user, get_user, signed_in
from inbox.context import AppContext
from inbox.errors import InboxError, NotFound
from models import Role
from web.render import render
from web.security import csrf_ok

log = logging.getLogger(__name__)


@dataclass
class Page:
    """What a handler gets: the request, the signed-in person, the posted form and one database session."""

    request: Request
    ctx: AppContext
    user: SignedIn
    session: Session
    form: FormData | None = None
    notices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def actor(self) -> str:
        """The name every event of this request is recorded under."""
        return self.user.username

    def value(self, name: str, default: str = "") -> str:
        """A posted field (stripped), or a query parameter on GET."""
        source: Any = self.form if self.form is not None else self.request.query_params
        raw = source.get(name, default)
        return raw.strip() if isinstance(raw, str) else default

    def done(self, to: str, text: str) -> RedirectResponse:
        """After a successful POST: back to a page (303, so reloading does not post again) with a notice."""
        self.request.session["notice"] = {"kind": "ok", "text": text}
        return RedirectResponse(to, status_code=303)

    def render(self, name: str, status_code: int = 200, **variables: Any) -> Response:
        return render(self.request, name, status_code, **variables)


Handler = Callable[[Page], Response]


def page(role: Role = Role.STAFF) -> Callable[[Handler], Callable[[Request], Any]]:
    def wrap(handler: Handler) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            ctx: AppContext = request.app.state.ctx
            user = await run_in_threadpool(current_user, ctx, request)
            if user is None:
                return RedirectResponse(f"/logga-in?next={quote(request.url.path)}", status_code=303)
            request.state.user = user
            if role is Role.ADMIN and not user.is_admin:
                return render(request, "error.html", 403, title="Ingen behörighet",
                              text="Sidan är till för administratörer.")
            form = None
            if request.method == "POST":
                form = await request.form()
                sent = form.get("csrf")
                if not csrf_ok(request.session, sent if isinstance(sent, str) else None):
                    return render(request, "error.html", 403, title="Formuläret kunde inte skickas",
                                  text="Sidan var för gammal eller kom inte härifrån. Ladda om sidan och försök igen.")
            try:
                return await run_in_threadpool(_run, handler, ctx, request, user, form)
            finally:
                if form is not None:
                    await form.close()  # uploaded files are spooled to temporary files

        endpoint.__name__ = handler.__name__
        return endpoint

    return wrap


def _run(handler: Handler, ctx: AppContext, request: Request, user: SignedIn, form: FormData | None) -> Response:
    with ctx.sessions() as session:
        page_ = Page(request, ctx, user, session, form)
        try:
            response = handler(page_)
            session.commit()
            return response
        except NotFound as err:
            session.rollback()
            return render(request, "error.html", 404, title="Hittades inte", text=str(err))
        except InboxError as err:
            session.rollback()
            if request.method != "POST":
                return render(request, "error.html", 400, title="Det gick inte", text=str(err))
            request.session["notice"] = {"kind": "error", "text": str(err)}
            return RedirectResponse(_back(request), status_code=303)


def _back(request: Request) -> str:
    """Where a refused POST returns: the form's own page (same origin only), else the start page."""
    referer = request.headers.get("referer", "")
    origin = f"{request.url.scheme}://{request.url.netloc}"
    return safe_path(referer[len(origin):]) if referer.startswith(origin + "/") else "/"


def safe_path(value: str | None) -> str:
    """Only a path on this site: never an absolute or scheme-relative address (an open redirect)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def current_user(ctx: AppContext, request: Request) -> SignedIn | None:
    with ctx.sessions() as session:
        proxied = _proxy_user(ctx, request, session)
        if proxied is not None:
            return proxied
        user_id, at = request.session.get("uid"), request.session.get("at")
        if not isinstance(user_id, int) or not isinstance(at, (int, float)):
            return None
        return active_user(session, user_id, at)


def _proxy_user(ctx: AppContext, request: Request, session: Session) -> SignedIn | None:
    """A reverse proxy that has signed the person in names them in a header; only proxies we trust may."""
    header = ctx.settings.web.trusted_user_header
    if not header or request.client is None or request.client.host not in ctx.settings.web.trusted_proxies:
        return None
    name = request.headers.get(header)
    if not name:
        return None
    try:
        user = get_user(session, name)
    except InboxError:
        log.warning("the proxy named a user the workspace does not know")
        return None
    return signed_in(user) if user.active else None
