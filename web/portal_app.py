"""The public part alone: the organisation's page (/anslutning/...) and /static, nothing of the workspace.

The board can expose this app to the internet and keep the staff workspace (web/app.py, which serves these
routes too) on its own network. The middleware is the workspace's: the same security headers and CSP, and a
session cookie that carries only the anonymous CSRF token here (nobody signs in on this app)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from inbox.context import AppContext
from web.app import STATIC
from web.public import ROBOTS, refusal
from web.routes.portal import ROUTES
from web.security import SecurityHeaders, secret_key

MAX_FORM_BYTES = 1024 * 1024  # the page's forms are text: a megabyte is far more than [portal] max_answer_chars allows


def create_portal_app(ctx: AppContext) -> Starlette:
    web = ctx.settings.web
    middleware = [  # as web.app.create_app builds them
        Middleware(SecurityHeaders, hsts=web.secure_cookies),
        Middleware(SessionMiddleware, secret_key=secret_key(ctx.settings, ctx.data_dir), session_cookie="inbox_session",
                   max_age=web.session_hours * 3600, same_site="lax", https_only=web.secure_cookies),
    ]
    routes = [*ROUTES, Mount("/static", app=StaticFiles(directory=STATIC), name="static")]
    app = Starlette(routes=routes, middleware=middleware, max_body_size=MAX_FORM_BYTES,
                    exception_handlers={404: _not_found, 405: _not_found})
    app.state.ctx = ctx
    return app


async def _not_found(request: Request, exc: Exception) -> Response:
    response = refusal(request, 404, "Sidan finns inte", "Adressen leder ingenstans. Använd länken i mejlet från oss.")
    response.headers.update(ROBOTS)
    return response
