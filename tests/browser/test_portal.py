"""The organisation's own page in Debian's chromium at phone width (390 px): open the personal link, choose a time,
book, see the confirmation; describe the work per problem area; an axe-core check; and booking with JavaScript off.

Each flow works on its own invited case of the demo data and a free time offered to it alone
(tests/browser/workspace.portal_path), so the flows do not depend on their order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import described, violations
from tests.browser.workspace import Workspace, portal_path

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def phone_context(browser: Browser, workspace: Workspace, *, javascript: bool = True) -> BrowserContext:
    context = browser.new_context(base_url=workspace.url, viewport=PHONE, locale="sv-SE", java_script_enabled=javascript,
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone(browser: Browser, workspace: Workspace) -> Iterator[Page]:
    context = phone_context(browser, workspace)
    yield context.new_page()
    context.close()


def assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide at {PHONE['width']} px: it scrolls sideways"


def book_the_offered_time(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", name="Välkommen till ert dialogmöte", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Välj en tid", level=2)).to_be_visible()
    assert_fits_the_screen(page)
    times = page.get_by_role("group", name="Tider för dialogmötet").get_by_role("radio")
    expect(times).to_have_count(1)  # the time offered to this case, nothing of anyone else's
    times.first.check()
    page.get_by_role("button", name="Boka tiden").click()
    expect(page.get_by_role("status")).to_contain_text("Tiden är bokad")
    expect(page.get_by_role("heading", name="Ert bokade möte", level=2)).to_be_visible()
    expect(page.get_by_role("button", name="Boka tiden")).to_have_count(0)
    expect(page.get_by_label("Be om en annan tid")).to_be_visible()


def test_book_the_offered_time_on_a_phone(phone: Page, workspace: Workspace):
    path = portal_path(workspace.ctx, "Kungsörs kommun")
    book_the_offered_time(phone, path)
    expect(phone.get_by_text("Kungsörs kommun")).to_be_visible()


def test_booking_works_without_javascript(browser: Browser, workspace: Workspace):
    path = portal_path(workspace.ctx, "Arboga kommun")
    context = phone_context(browser, workspace, javascript=False)
    try:
        book_the_offered_time(context.new_page(), path)
    finally:
        context.close()


def test_describe_the_work_per_problem_area(phone: Page, workspace: Workspace):
    path = portal_path(workspace.ctx, "Fagersta kommun")
    phone.goto(path)
    phone.get_by_label("Om er organisation").fill("Vi har en jämställdhetsplan sedan 2022.")
    area = phone.get_by_role("group", name="Att systematiskt upptäcka våld")
    area.get_by_label("Det här gör vi redan i dag").fill("Chefer frågar om våld i medarbetarsamtalen.\nRutin sedan 2023.")
    area.get_by_label("Det här skulle vi kunna bidra med").fill("Dela vår rutin med andra arbetsgivare.")
    phone.get_by_role("button", name="Spara").click()
    expect(phone.get_by_role("status")).to_contain_text("Det ni skrev är sparat")
    expect(phone.get_by_label("Om er organisation")).to_have_value("Vi har en jämställdhetsplan sedan 2022.")
    area = phone.get_by_role("group", name="Att systematiskt upptäcka våld")
    expect(area.get_by_label("Det här gör vi redan i dag")).to_have_value("Chefer frågar om våld i medarbetarsamtalen.\nRutin sedan 2023.")
    assert_fits_the_screen(phone)


def test_a_text_that_is_too_long_is_shown_at_its_field(phone: Page, workspace: Workspace):
    path = portal_path(workspace.ctx, "Sala kommun")
    phone.goto(path)
    field = phone.get_by_label("Föreslå andra tider")
    field.evaluate("element => element.removeAttribute('maxlength')")  # what a hand-made request could send
    field.fill("x" * 1001)
    phone.get_by_role("button", name="Skicka önskemålet").click()
    field = phone.get_by_label("Föreslå andra tider")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description("Till exempel: tisdagar och torsdagar efter klockan 13 i april. "
                                                 "Fel: Texten är för lång. Skriv högst 1000 tecken.")


@pytest.mark.parametrize("workspace", ["sqlite"], indirect=True)
def test_the_page_has_no_serious_accessibility_violations(phone: Page, workspace: Workspace):
    failures = []
    path = portal_path(workspace.ctx, "Hallstahammars kommun")
    for address in (path, "/anslutning/1-" + "0" * 32):
        for viewport in (PHONE, DESKTOP):
            phone.set_viewport_size(viewport)
            phone.goto(address)
            found = violations(phone)
            if found:
                failures.append(described(address, viewport["width"], found))
    assert not failures, "\n\n".join(failures)
