"""Helpers for the /admin tests: a workspace over a context the test built itself, hostile names, events."""

from __future__ import annotations

from sqlalchemy import select
from starlette.testclient import TestClient

from accounts.users import add_user
from inbox.context import AppContext
from models import Event, Role
from tests.web.conftest import PASSWORD, Web, csrf
from web.app import create_app

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = f"{SCRIPT} {IMG}"


def web_for(ctx: AppContext, clients: list[TestClient]) -> Web:
    """The `web` fixture's shape over `ctx` (its two accounts staff/admin); the caller closes `clients`."""
    with ctx.sessions() as session:
        add_user(session, "staff", "Stina Handläggare", Role.STAFF, PASSWORD, actor="test")
        add_user(session, "admin", "Adam Admin", Role.ADMIN, PASSWORD, actor="test")
        session.commit()
    app = create_app(ctx)

    def client() -> TestClient:
        clients.append(TestClient(app, base_url="https://testserver"))
        return clients[-1]

    return Web(ctx, client)


def events(ctx: AppContext, action: str) -> list[tuple[str, str | None]]:
    with ctx.sessions() as session:
        return [(e.actor, e.detail) for e in session.scalars(select(Event).where(Event.action == action).order_by(Event.id))]


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def followed(client: TestClient, answer) -> str:
    """The page a 303 leads to (where the notice is shown)."""
    assert answer.status_code == 303, answer.text
    return client.get(answer.headers["location"]).text


def send(client: TestClient, path: str, data: dict | None = None, *, form_page: str):
    """POST a form from `form_page` as a browser does: its CSRF token, and the page as Referer (where a refusal returns)."""
    return client.post(path, data={**(data or {}), "csrf": csrf(client, form_page)}, follow_redirects=False,
                       headers={"referer": f"https://testserver{form_page}"})
