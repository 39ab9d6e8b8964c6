"""The whole way from the invitation to the county overview, over HTTP on SQLite and PostgreSQL: an affiliation
mail makes a case; the organisation books through the link its invitation carries and describes its work; staff
see its words on the case page and record the dialogue there; the overview and its workbook (read back with openpyxl) show both."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.web.case_support import complete_case
from tests.web.conftest import post
from tests.web.test_dialogue import area_part, form
from tests.web.test_portal import ORGANISATION, portal_path, send, slots  # noqa: F401 - slots is a fixture

VIOLENCE = "upptacka-vald"


def test_a_recorded_dialogue_and_the_organisations_own_words_reach_the_overview_and_its_workbook(web, slots, tmp_path):  # noqa: F811
    reference = complete_case(web.ctx, tmp_path / "in")
    path, organisation = portal_path(web, reference), web.client()
    assert send(organisation, path, "boka", {"tid": str(slots[0])}).status_code == 303
    saved = send(organisation, path, "beskrivning", {f"gor:{VIOLENCE}": "Vi frågar alla nya patienter om våld."})
    assert saved.status_code == 303

    client = web.signed_in()
    beside = area_part(client.get(f"/arenden/{reference}").text, VIOLENCE)  # staff see the organisation's words by the area
    assert "Organisationen har själv skrivit" in beside and "Vi frågar alla nya patienter om våld." in beside
    commitment = {"does_today": "Rutin i vården.", "commits_to": "Utbilda alla chefer om våld som arbetsgivarfråga.",
                  "follow_up_on": "2026-09-30", "state": "ongoing", "good_example": "Frågekortet på vårdcentralen."}
    assert "är sparad" in client.get(post(client, f"/arenden/{reference}/dialog",
                                          form(upptacka_vald=commitment)).headers["location"]).text

    page = client.get("/oversikt").text
    area = page[page.index(f'id="omrade-{VIOLENCE}"'):]
    area = area[:area.index('<h4 id="omrade-', 1)]
    for text in (ORGANISATION, "Utbilda alla chefer om våld som arbetsgivarfråga.", "Pågår",
                 "Vi frågar alla nya patienter om våld.", "Uppgett av organisationen"):
        assert text in area, text

    answer = client.get("/oversikt.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    rows = [[str(cell) if cell is not None else "" for cell in row] for row in book["Organisationer per område"].iter_rows(values_only=True)]
    ours = [row for row in rows if ORGANISATION in row and any("Att systematiskt upptäcka våld" in cell for cell in row)]
    flat = [" | ".join(row) for row in ours]
    assert any("Utbilda alla chefer om våld som arbetsgivarfråga." in row and "Pågår" in row for row in flat), flat
    assert any("Vi frågar alla nya patienter om våld." in row for row in flat), flat
    areas = {row[0]: row for row in book["Problemområden"].iter_rows(values_only=True)}
    assert any("Att systematiskt upptäcka våld" in str(name) for name in areas)
