"""The workspace over a real database (SQLite and PostgreSQL, like every integration test), driven through HTTP.

`web` builds an app on a fresh database with two accounts (`staff`/`admin`); `signed_in("staff")` gives a
client with a session cookie. Starlette's TestClient speaks HTTPS here so the Secure cookie is sent."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from accounts.users import add_user
from inbox.context import AppContext
from models import Role
from web.app import create_app

PASSWORD = "korrekt häst batteri häftklammer"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Web:
    ctx: AppContext
    client: Callable[[], TestClient]

    def signed_in(self, username: str = "staff") -> TestClient:
        client = self.client()
        sign_in(client, username, PASSWORD)
        return client


def csrf(client: TestClient, path: str = "/") -> str:
    """The CSRF token as a form on `path` carries it."""
    found = CSRF.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str):
    token = csrf(client, "/logga-in")
    return client.post("/logga-in", data={"username": username, "password": password, "csrf": token}, follow_redirects=False)


def post(client: TestClient, path: str, data: dict | None = None, *, form_page: str | None = None, **kwargs):
    """POST a form the way the browser does: with the CSRF token of the session, without following the redirect."""
    return client.post(path, data={**(data or {}), "csrf": csrf(client, form_page or "/")}, follow_redirects=False, **kwargs)


@pytest.fixture
def web(make_app) -> Iterator[Web]:
    ctx = make_app()
    with ctx.sessions() as session:
        add_user(session, "staff", "Stina Handläggare", Role.STAFF, PASSWORD, actor="test")
        add_user(session, "admin", "Adam Admin", Role.ADMIN, PASSWORD, actor="test")
        session.commit()
    app = create_app(ctx)
    clients: list[TestClient] = []

    def client() -> TestClient:
        made = TestClient(app, base_url="https://testserver")
        clients.append(made)
        return made

    yield Web(ctx, client)
    for made in clients:
        made.close()
