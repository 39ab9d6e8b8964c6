"""Pages are Jinja2 templates in web/templates, autoescaped: every value from mail is text, never markup."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from digest import labels
from web.security import csrf_token

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The sections of the workspace, in the order of the menu: (path, Swedish name, admin only).
MENU = (
    ("/", "Att göra", False),
    ("/arenden", "Ärenden", False),
    ("/post", "Övrig post", False),
    ("/tider", "Tider", False),
    ("/utkorg", "Utkorg", False),
    ("/oversikt", "Översikt", False),
    ("/admin", "Administration", True),
)


# Bidirectional controls (U+202A-E, U+2066-9) let a sender show "faktura\u202efdp.exe" as "fakturaexe.pdf".
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(value: Any) -> Any:
    """Every {{ value }} of every page passes here before it is escaped."""
    return value.translate(BIDI_CONTROLS) if isinstance(value, str) else value


def make_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=without_bidi_controls)
    env.filters.update(status=labels.status, field=labels.field, organisation_type=labels.organisation_type,
                       one_line=labels.one_line)
    return env


ENVIRONMENT = make_environment()


def local_time(zone: ZoneInfo):
    def format_time(value: datetime | date | None, style: str = "moment") -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            local = value.astimezone(zone)
            return labels.short_date(local.date()) if style == "date" else labels.moment(local)
        return labels.short_date(value)
    return format_time


def render(request: Request, name: str, status_code: int = 200, **variables: Any) -> HTMLResponse:
    """A page with the signed-in person, the menu, the CSRF token and any one-shot notice from the session."""
    ctx = request.app.state.ctx
    user = request.state.user if hasattr(request.state, "user") else None
    base = {
        "request": request,
        "user": user,
        "menu": [(path, title) for path, title, admin in MENU if not admin or (user and user.is_admin)],
        "here": request.url.path,
        "csrf": csrf_token(request.session),
        "notice": request.session.pop("notice", None),
        "when": local_time(ctx.zone),
    }
    html = ENVIRONMENT.get_template(name).render(**base, **variables)
    return HTMLResponse(html, status_code=status_code)
