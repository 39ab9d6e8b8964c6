"""The staff workspace's main flows in a real browser (issue 11, Evidence), on SQLite and PostgreSQL.

Each flow works on its own case of the demo data, as a person would: labels and buttons, never URLs
typed by hand where a link exists. What the worker does between two clicks (sending the outbox) the
test does by calling the same function (`send_due`)."""

from __future__ import annotations

import re

import icalendar
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accounts.users import get_user
from models import Case, Event, Slot
from replies.send import send_due
from tests.browser.conftest import sign_in
from tests.browser.workspace import EXAMPLES, PASSWORD, QUARANTINED_FROM, Workspace

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def notice(page: Page):
    return page.locator("main .notice").first


# -- sign in -----------------------------------------------------------------------------------------------------

def test_sign_in_and_out(page: Page):
    page.goto("/arenden")
    expect(page).to_have_url(re.compile(r"/logga-in\?next=/arenden$"))
    page.get_by_label("Användarnamn").fill("staff")
    page.get_by_label("Lösenord").fill("fel lösenord här")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_have_text("Fel användarnamn eller lösenord.")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Ärenden", level=1)).to_be_visible()  # back where the person was going
    expect(page.get_by_text("Stina Handläggare")).to_be_visible()
    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Administration")).to_have_count(0)
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logga-in"))


# -- find a case -------------------------------------------------------------------------------------------------

def test_find_a_case_by_searching_a_contacts_name(page: Page):
    sign_in(page, start="/arenden")
    page.get_by_role("searchbox", name=re.compile(r"^Sök")).fill("Anna Lindqvist")
    page.get_by_role("button", name="Visa ärenden").click()
    expect(page.get_by_role("heading", name="1 ärende", level=2)).to_be_visible()
    rows = page.locator("#arendelista tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Västerås stad")
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Västerås stad")
    expect(page.locator("#kontakter")).to_contain_text("anna.lindqvist@vasteras.se")


# -- correct a contact -------------------------------------------------------------------------------------------

def test_correct_a_contact(page: Page, workspace: Workspace):
    reference = workspace.reference_of("Arbetsförmedlingen Västerås")
    sign_in(page, start=f"/arenden/{reference}")
    page.get_by_text("Rätta kontaktpersonen").click()
    form = page.locator("#form-kontakt")
    form.get_by_label("Titel").fill("Jämställdhetsstrateg")
    form.get_by_label("Telefonnummer").fill("021-10 20 30")
    form.get_by_role("button", name="Spara kontaktpersonen").click()
    expect(notice(page)).to_contain_text("Klart")
    contacts = page.locator("#kontakter table")
    expect(contacts).to_contain_text("Jämställdhetsstrateg")
    expect(contacts).to_contain_text("+4621102030")
    with workspace.ctx.sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        actors = session.scalars(select(Event.actor).where(Event.case_id == case.id, Event.actor == "staff")).all()
    assert actors, "the correction is audited under the signed-in person"


# -- book a meeting from a free slot -----------------------------------------------------------------------------

def test_book_a_meeting_from_a_free_slot_and_the_confirmation_with_ics_arrives(page: Page, workspace: Workspace, browser_smtp):
    reference = workspace.reference_of("Västerås stad")
    sign_in(page, start=f"/arenden/{reference}")
    booking = page.locator("#form-boka")
    free = booking.get_by_label("Ledig tid")
    free.select_option(index=1)  # the first free time (index 0 is "Välj en ledig tid")
    booking.get_by_role("button", name="Boka mötet").click()
    expect(notice(page)).to_contain_text("Klart")
    expect(page.locator("#aktuell-status")).to_contain_text("Dialog bokad")
    expect(page.locator("#bokat-mote")).to_be_visible()
    with workspace.ctx.sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        slot = session.scalars(select(Slot).where(Slot.booked_case_id == case.id)).one()
        starts_at = slot.starts_at
    before = len(browser_smtp.messages)
    send_due(workspace.ctx)  # what the worker's next send does
    browser_smtp.wait_for(before + 1)
    confirmation = next(m for m in browser_smtp.messages[before:] if "anna.lindqvist@vasteras.se" in m.rcpt_tos)
    calendar = next(part for part in confirmation.message.iter_attachments() if part.get_content_type() == "text/calendar")
    event = next(iter(icalendar.Calendar.from_ical(calendar.get_content()).walk("VEVENT")))
    assert event.decoded("DTSTART") == starts_at
    assert reference in str(confirmation.message["Subject"]) or reference in confirmation.message.get_body().get_content()


# -- mark the dialogue held --------------------------------------------------------------------------------------

def test_mark_the_dialogue_held(page: Page, workspace: Workspace):
    reference = workspace.reference_of("Region Västmanland")  # booked in the demo data
    sign_in(page, start=f"/arenden/{reference}")
    expect(page.locator("#aktuell-status")).to_contain_text("Dialog bokad")
    held = page.locator("#form-genomford")
    held.get_by_label("Anteckningar från dialogen").fill("Bra samtal om handlingsplanen.")
    held.get_by_role("button", name="Markera dialogen som genomförd").click()
    expect(notice(page)).to_contain_text("Klart")
    expect(page.locator("#aktuell-status")).to_contain_text("Dialog genomförd")
    expect(page.locator("#historik")).to_contain_text("Bra samtal om handlingsplanen.")


# -- resolve an action item --------------------------------------------------------------------------------------

def test_resolve_an_item_of_the_action_list(page: Page):
    sign_in(page)
    group = page.locator("#grupp-post")
    item = group.locator("li.card", has_text="Kvinnonätverket Bergslagsporten")
    expect(item).to_have_count(1)
    item.get_by_text("Lägg till en anteckning").click()
    item.get_by_label("Anteckning").fill("Besvarat per telefon.")
    item.get_by_role("button", name=re.compile("^Markera som klar")).click()
    expect(notice(page)).to_contain_text("är markerad som klar")
    expect(page.locator("#grupp-post li.card", has_text="Kvinnonätverket Bergslagsporten")).to_have_count(0)
    expect(page.locator("#nyligen-klara")).to_contain_text("Besvarat per telefon.")


# -- replay a quarantined message --------------------------------------------------------------------------------

def test_replay_a_quarantined_message(page: Page, workspace: Workspace):
    sign_in(page, start="/post")
    page.get_by_label("Slag").select_option(label="Karantän")
    page.get_by_role("button", name="Visa meddelandena").click()
    rows = page.locator("#post-tabell tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    page.get_by_role("button", name="Spela upp igen").click()
    expect(notice(page)).to_contain_text("Meddelandet behandlades utan fel.")
    expect(page.get_by_role("button", name="Spela upp igen")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(QUARANTINED_FROM)  # parsed now: the sender is known
    assert workspace.reference_of("Föreningen Jämlik idrott i Västmanland", missing_ok=True)


# -- administration ----------------------------------------------------------------------------------------------

def test_staff_are_refused_the_admin_pages(page: Page):
    sign_in(page, start="/admin")
    expect(page.get_by_role("heading", name="Ingen behörighet", level=1)).to_be_visible()


def test_an_admin_sees_the_rules_and_tries_a_message(page: Page):
    sign_in(page, "admin", start="/admin")
    expect(page.locator("#rules")).to_contain_text("affiliation_subject")
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Prova ett meddelande").click()
    page.get_by_label("Meddelandefil (.eml)").set_input_files(EXAMPLES / "02-region-vastmanland-gmail.eml")
    page.get_by_role("button", name="Prova meddelandet").click()
    result = page.locator("#check-result")
    expect(result).to_contain_text("Anslutning")
    expect(result).to_contain_text("Region Västmanland")
    expect(result.locator("td[data-label='Säkerhet']").first).to_contain_text("%")


def test_an_admin_adds_an_account_that_then_signs_in(page: Page, workspace: Workspace, browser):
    sign_in(page, "admin", start="/admin/anvandare")
    username = f"ny.{workspace.database}"
    form = page.locator("#add-account")
    form.get_by_label("Användarnamn").fill(username)
    form.get_by_label(re.compile(r"^Namn")).fill("Nora Ny")
    form.get_by_label("Roll").select_option(label="Handläggare")
    form.get_by_label("Första lösenord").fill(PASSWORD)
    form.get_by_role("button", name="Lägg till kontot").click()
    expect(notice(page)).to_contain_text(f"Kontot {username} är skapat.")
    expect(page.locator("#accounts")).to_contain_text("Nora Ny")
    other = browser.new_context(base_url=workspace.url)
    try:
        newcomer = other.new_page()
        sign_in(newcomer, username)
        expect(newcomer.get_by_text("Nora Ny")).to_be_visible()
    finally:
        other.close()
    with workspace.ctx.sessions() as session:
        assert get_user(session, username).display_name == "Nora Ny"
        added = session.scalars(select(Event).where(Event.action == "user_added", Event.detail == f"{username} (staff)")).one()
        assert added.actor == "admin"
