"""Browser tests: Playwright drives Debian's chromium (/usr/bin/chromium; never `playwright install`) against
the real workspace, served by uvicorn on a free loopback port over a real database with the demo data.

`workspace` is one server per database, for the whole session: SQLite and PostgreSQL (both: seeding the
demo data takes a few seconds). Each flow works on its own case, so the flows do not depend on their
order. Replies go to a real SMTP server (aiosmtpd, tests/servers/smtp.py) that the flows read.
`[web] secure_cookies = false`: the browser talks plain http to 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.workspace import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    Workspace,
    free_port,
    seed_demo,
    serve,
    settings_for,
)
from tests.servers.smtp import SmtpServer

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def workspace(request, tmp_path_factory, browser_smtp: SmtpServer) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp(f"workspace-{request.param}")
    if request.param == "sqlite":
        url, drop = f"sqlite:///{folder}/inbox.db", None
    else:
        postgres = request.getfixturevalue("postgres_server")
        name = postgres.create_database()
        url, drop = postgres.url(name), lambda: postgres.drop_database(name)
    port = free_port()
    settings = settings_for(url, folder / "data", smtp=(browser_smtp.host, browser_smtp.port), port=port)
    seed_demo(settings)
    with serve(settings, port) as served:
        yield served
    if drop:
        drop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/ensure-system-packages.sh` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, workspace: Workspace) -> Iterator[Page]:
    """A fresh browser context (no cookies) at desktop width, in Swedish."""
    context = browser.new_context(base_url=workspace.url, viewport=DESKTOP, locale="sv-SE")
    context.set_default_timeout(15_000)  # a cold page on a busy 2-core machine; not a speed requirement
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, username: str = "staff", password: str = PASSWORD, *, start: str = "/") -> None:
    """Open `start`, land on the login page, sign in, and be back on `start`."""
    page.goto(start)
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_have_count(0)
