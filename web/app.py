"""Build the workspace's ASGI application over an AppContext (the same database the worker uses)."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from inbox.context import AppContext
from web.render import render
from web.routes import all_routes
from web.security import SecurityHeaders, secret_key

STATIC = Path(__file__).resolve().parent / "static"


def create_app(ctx: AppContext) -> Starlette:
    web = ctx.settings.web
    middleware = [
        Middleware(SecurityHeaders, hsts=web.secure_cookies),
        Middleware(SessionMiddleware, secret_key=secret_key(ctx.settings, ctx.data_dir), session_cookie="inbox_session",
                   max_age=web.session_hours * 3600, same_site="lax", https_only=web.secure_cookies),
    ]
    routes = [*all_routes(), Mount("/static", app=StaticFiles(directory=STATIC), name="static")]
    app = Starlette(routes=routes, middleware=middleware, max_body_size=web.max_upload_mb * 1024 * 1024,
                    exception_handlers={404: _not_found, 405: _not_found})
    app.state.ctx = ctx
    return app


async def _not_found(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", 404, title="Sidan finns inte", text="Adressen leder ingenstans i arbetsytan.")
