"""Ärenden: search, filters, counts per status, sorting and paging, over HTTP on SQLite and PostgreSQL;
and `inbox cases TEXT`, which searches with the same function."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cli.views import case_rows
from models import Case, CaseStatus, Contact, Meeting
from tests.web.cases_support import HOSTILE_NAME, HOSTILE_TAG, add_case, listed, reason_of, seed, stockholm
from tests.web.conftest import post

ALL = ["JS-2026-0004", "JS-2026-0001", "JS-2026-0006", "JS-2026-0003", "JS-2026-0002", "JS-2026-0005"]  # newest first


@pytest.fixture
def client(web):
    seed(web.ctx)
    return web.signed_in("staff")


def refs(client, query: str = "") -> list[str]:
    answer = client.get(f"/arenden{query}")
    assert answer.status_code == 200, answer.text
    return listed(answer.text)


def test_every_case_is_listed_newest_first_and_links_to_its_page(client):
    answer = client.get("/arenden")
    assert listed(answer.text) == ALL
    assert '<a href="/arenden/JS-2026-0001">JS-2026-0001</a>' in answer.text
    assert "6 ärenden" in answer.text
    row = answer.text[answer.text.index("/arenden/JS-2026-0001"):]
    row = row[:row.index("</tr>")]
    assert "Köpings kommun" in row and "212000-2015" in row and "Anna Lind" in row and "anna.lind@koping.se" in row
    assert 'data-label="Status">Komplett' in row


@pytest.mark.parametrize("text, expected", [
    ("anna lind", ["JS-2026-0001"]),  # a contact's name
    ("NILS ÅKESSON", ["JS-2026-0005"]),  # case-insensitive beyond ASCII, on SQLite too
    ("helena.bjork@regionvastmanland", ["JS-2026-0002"]),  # a contact's address
    ("212000-2015", ["JS-2026-0001"]),  # the org number as written
    ("2120002015", ["JS-2026-0001"]),  # and without its hyphen
    ("js-2026-0004", ["JS-2026-0004"]),  # the reference
    ("köpings", ["JS-2026-0001"]),  # the organisation
    ("info@sala.se", ["JS-2026-0003"]),  # the sender
    ("kommun", ["JS-2026-0001", "JS-2026-0006", "JS-2026-0003"]),
    ("kommun sala", ["JS-2026-0003"]),  # every word must match
    ("finns inte", []),
])
def test_search(client, text, expected):
    answer = client.get("/arenden", params={"q": text})
    assert listed(answer.text) == expected
    assert f'name="q" value="{text}"' in answer.text  # the search box keeps its text
    if not expected:
        assert "Inga ärenden matchar sökningen och filtren." in answer.text


@pytest.mark.parametrize("query, expected", [
    ("?status=incomplete", ["JS-2026-0003"]),
    ("?status=needs_review", ["JS-2026-0004"]),
    ("?typ=kommun", ["JS-2026-0001", "JS-2026-0006", "JS-2026-0003"]),
    ("?typ=naringsliv", ["JS-2026-0005"]),
    ("?typ=okand", ["JS-2026-0009"]),
    ("?granskas=ja", ["JS-2026-0004"]),
    ("?granskas=nej", [r for r in ALL if r != "JS-2026-0004"] + ["JS-2026-0009"]),
    ("?bokat=ja", ["JS-2026-0005"]),
    ("?bokat=nej", [r for r in ALL if r != "JS-2026-0005"] + ["JS-2026-0009"]),
    ("?typ=kommun&status=complete", ["JS-2026-0001"]),
    ("?status=nonsense&typ=<script>&sida=x", ALL + ["JS-2026-0009"]),  # unknown values are ignored
])
def test_each_filter(web, client, query, expected):
    with web.ctx.sessions() as session:  # an organisation of no known type, the oldest case
        add_case(session, "JS-2026-0009", CaseStatus.RECEIVED, "Okänd förening", None, stockholm(2026, 1, 2, 9, 0))
        session.commit()
    assert refs(client, query) == expected


def test_the_filters_keep_their_values_in_the_form_and_the_links(client):
    html = client.get("/arenden?q=kommun&typ=kommun&granskas=nej&bokat=nej&sortera=organisation").text
    for selected in ('<option value="kommun" selected>', '<option value="nej" selected>', '<option value="organisation" selected>'):
        assert selected in html
    assert html.count('<option value="nej" selected>') == 2
    assert 'name="q" value="kommun"' in html
    assert 'href="/arenden?q=kommun&amp;status=incomplete&amp;typ=kommun&amp;granskas=nej&amp;bokat=nej&amp;sortera=organisation"' in html
    assert "Rensa sökning och filter" in html


def test_counts_per_status_follow_the_other_filters(client):
    html = client.get("/arenden").text
    counts = dict(re.findall(r'>([^<>]+) <span class="count">\((\d+)\)</span>', html))
    assert counts == {"Alla": "6", "Mottaget": "0", "Ofullständigt": "1", "Komplett": "1", "Inbjuden till dialog": "1",
                      "Dialog bokad": "1", "Dialog genomförd": "0", "Återkallat": "1", "Behöver granskas": "1"}
    html = client.get("/arenden?typ=kommun&status=complete").text
    counts = dict(re.findall(r'>([^<>]+) <span class="count">\((\d+)\)</span>', html))
    assert counts["Alla"] == "3" and counts["Komplett"] == "1" and counts["Återkallat"] == "1"  # the status filter aside
    assert 'href="/arenden?status=complete&amp;typ=kommun" aria-current="true"' in html


def test_needs_review_follows_what_was_marked_as_done(web, client):
    for kind in ("needs_review", "check", "unsure"):
        post(client, "/att-gora/klar", {"nyckel": reason_of(web.ctx, "JS-2026-0004", kind).key})
    assert refs(client, "?granskas=ja") == []
    with web.ctx.sessions() as session:  # an extraction unsure of a case's contact
        case = session.scalars(select(Case).where(Case.reference == "JS-2026-0001")).one()
        case.confidence = {"contact.name": 0.3}
        session.commit()
    assert refs(client, "?granskas=ja") == ["JS-2026-0001"]
    assert '<span class="badge warn">Granskas</span>' in client.get("/arenden?q=JS-2026-0001").text


def test_booked_means_a_meeting_today_or_later_that_is_not_cancelled(web, client, clock):
    with web.ctx.sessions() as session:
        region = session.scalars(select(Case).where(Case.reference == "JS-2026-0002")).one()
        session.add(Meeting(case_id=region.id, uid="m2@lansstyrelsen.se", starts_at=stockholm(2026, 3, 12, 8, 0)))
        session.commit()
    assert refs(client, "?bokat=ja") == ["JS-2026-0002", "JS-2026-0005"]  # earlier today still counts
    assert "fredag 13 mars kl. 10.00" in client.get("/arenden?q=JS-2026-0005").text
    clock.advance(days=1)
    assert refs(client, "?bokat=ja") == ["JS-2026-0005"]
    clock.advance(days=1)
    assert refs(client, "?bokat=ja") == []


def test_sorting(web, client):
    with web.ctx.sessions() as session:  # Swedish order: å, ä, ö after z
        for n, name in enumerate(["Örebro läns förening", "Ärla IF", "Åkers kommun", "Zinkgruvans förening"], start=10):
            add_case(session, f"JS-2026-00{n}", CaseStatus.RECEIVED, name, "civilsamhalle", stockholm(2025, 12, n, 9, 0))
        session.commit()
    newest = refs(client)
    assert newest[:6] == ALL and refs(client, "?sortera=nyast") == newest
    assert refs(client, "?sortera=aldst") == newest[::-1]
    assert refs(client, "?sortera=organisation") == [
        "JS-2026-0006", "JS-2026-0004", "JS-2026-0001", "JS-2026-0005", "JS-2026-0002", "JS-2026-0003",
        "JS-2026-0013", "JS-2026-0012", "JS-2026-0011", "JS-2026-0010"]
    assert refs(client, "?sortera=status") == [
        "JS-2026-0013", "JS-2026-0012", "JS-2026-0011", "JS-2026-0010",  # received, newest first within a status
        "JS-2026-0003", "JS-2026-0001", "JS-2026-0002", "JS-2026-0005", "JS-2026-0006", "JS-2026-0004"]


def test_paging_keeps_the_filters_and_says_how_many_pages(web):
    with web.ctx.sessions() as session:
        for n in range(60):
            add_case(session, f"JS-2025-{n:04d}", CaseStatus.COMPLETE, f"Förening {n:02d}", "civilsamhalle",
                     stockholm(2025, 11, 1, 9, 0) + timedelta(hours=n), decision=False)
        add_case(session, "JS-2025-0999", CaseStatus.INCOMPLETE, "Annan förening", "civilsamhalle", stockholm(2025, 12, 1, 9, 0))
        session.commit()
    client = web.signed_in("staff")
    first = client.get("/arenden?status=complete&sortera=aldst").text
    assert listed(first) == [f"JS-2025-{n:04d}" for n in range(25)]
    assert "60 ärenden" in first and "visar 1–25, sida 1 av 3" in first and "Föregående sida" not in first
    assert 'href="/arenden?status=complete&amp;sortera=aldst&amp;sida=2" rel="next">Nästa sida' in first
    last = client.get("/arenden?status=complete&sortera=aldst&sida=3").text
    assert listed(last) == [f"JS-2025-{n:04d}" for n in range(50, 60)] and "visar 51–60, sida 3 av 3" in last
    assert 'href="/arenden?status=complete&amp;sortera=aldst&amp;sida=2" rel="prev">Föregående sida' in last
    assert "Nästa sida" not in last
    assert listed(client.get("/arenden?status=complete&sortera=aldst&sida=99").text) == listed(last)  # past the end: the last
    assert listed(client.get("/arenden?status=complete&sortera=aldst&sida=0").text) == listed(first)


def test_hostile_names_are_escaped(web):
    with web.ctx.sessions() as session:
        case = add_case(session, "JS-2026-0001", CaseStatus.RECEIVED, HOSTILE_TAG, "kommun", stockholm(2026, 3, 11, 9, 0),
                        org_number="<b>1</b>", contact=(HOSTILE_NAME, None, HOSTILE_NAME, None))
        session.add(Contact(case_id=case.id, name=HOSTILE_TAG, email="x@example.se", status="superseded"))
        session.commit()
    client = web.signed_in("staff")
    for text in ("", "alert", HOSTILE_NAME):
        html = client.get("/arenden", params={"q": text}).text
        assert listed(html) == ["JS-2026-0001"]
        assert HOSTILE_TAG not in html and HOSTILE_NAME not in html and "<img" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_list_needs_a_signed_in_person(web):
    answer = web.client().get("/arenden?q=anna", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/logga-in?next=/arenden"


def test_an_empty_database_says_so(web):
    html = web.signed_in("staff").get("/arenden").text
    assert "Det finns inga ärenden ännu." in html and "0 ärenden" in html


def test_inbox_cases_searches_with_the_same_function(web):
    seed(web.ctx)
    with web.ctx.sessions() as session:
        assert [row["reference"] for row in case_rows(session, web.ctx.zone, text="ANNA LIND")] == ["JS-2026-0001"]
        assert [row["reference"] for row in case_rows(session, web.ctx.zone, text="2120002015")] == ["JS-2026-0001"]
        assert [row["reference"] for row in case_rows(session, web.ctx.zone, "incomplete", "kommun")] == ["JS-2026-0003"]
        assert len(case_rows(session, web.ctx.zone)) == 6  # no text: every case, as before
