"""An automated accessibility check of the main pages: axe-core (the axe.min.js that the PyPI package
axe-playwright-python bundles; no CDN, no npm) is evaluated in each page by Playwright, at phone (390 px)
and desktop (1280 px) width. No violation of impact "serious" or "critical" may remain; the failure
message lists each one with the elements it names.

Run on the SQLite workspace only: what axe reads is the HTML, which the database does not change.
axe finds about a third of WCAG problems; labels, focus order and wording were also checked by hand."""

from __future__ import annotations

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import Page

from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.workspace import Workspace

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.parametrize("workspace", ["sqlite"], indirect=True)]

AXE = AXE_FILE_PATH.read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")
STAFF_PAGES = ("/", "/arenden", "/arenden?q=kommun&sortera=namn", "CASE", "MESSAGE", "/post", "/tider", "/utkorg")
ADMIN_PAGES = ("/admin", "/admin/prova", "/admin/provkor", "/admin/anvandare")


def violations(page: Page) -> list[dict]:
    """axe's violations of impact serious or critical on the page as it is now."""
    page.evaluate(AXE)  # through the DevTools protocol: the page's CSP (script-src 'self') does not apply to it
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v.get("impact") in BLOCKING]


def described(path: str, width: int, found: list[dict]) -> str:
    lines = [f"{path} at {width} px: {len(found)} serious or critical accessibility violation(s)"]
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


def check(page: Page, path: str) -> None:
    failures = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        answer = page.goto(path)
        assert answer is not None and answer.ok, f"{path}: HTTP {answer.status if answer else '?'}"
        found = violations(page)
        if found:
            failures.append(described(path, viewport["width"], found))
    assert not failures, "\n\n".join(failures)


def real_path(path: str, workspace: Workspace) -> str:
    if path == "CASE":
        return f"/arenden/{workspace.reference_of('Västerås stad')}"
    if path == "MESSAGE":
        from sqlalchemy import select

        from models import Message

        with workspace.ctx.sessions() as session:
            return f"/meddelande/{session.scalars(select(Message.id).order_by(Message.id)).first()}"
    return path


def test_the_login_page(page: Page):
    check(page, "/logga-in")


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_staff_page(page: Page, workspace: Workspace, path: str):
    sign_in(page, start="/arenden")
    check(page, real_path(path, workspace))


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_an_admin_page(page: Page, path: str):
    sign_in(page, "admin", start="/admin")
    check(page, path)


def test_the_check_and_dry_run_results(page: Page):
    """The admin pages in the state a person meets after their form: a check result, a dry run's result."""
    from tests.browser.workspace import EXAMPLES

    sign_in(page, "admin", start="/admin/prova")
    page.get_by_label("Meddelandefil (.eml)").set_input_files(EXAMPLES / "14-norberg-beslut-kommer-senare.eml")
    page.get_by_role("button", name="Prova meddelandet").click()
    page.locator("#check-result").wait_for()
    assert not (found := violations(page)), described("/admin/prova (result)", 1280, found)
    page.goto("/admin/provkor")
    page.get_by_label("Från och med datum", exact=False).fill("2099-01-01")
    page.get_by_role("button", name="Provkör reglerna").click()
    page.locator("#dry-run-result").wait_for()
    assert not (found := violations(page)), described("/admin/provkor (result)", 1280, found)


def test_the_check_itself_finds_a_known_violation(page: Page):
    """The check would fail on a bad page: an input without a label is a critical violation for axe."""
    page.set_content('<!doctype html><html lang="sv"><head><title>Prov</title></head><body><main><input></main></body></html>')
    assert "label" in {v["id"] for v in violations(page)}
