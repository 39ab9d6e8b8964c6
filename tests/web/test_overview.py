"""Översikt over real HTTP (SQLite and PostgreSQL): the page, its chart, the workbook read back with openpyxl, the
printable report, the PDF's text, and `inbox overview` as a real process. The data is tests/unit/
test_overview_collect.seed_overview: four affiliated organisations of four types, one withdrawn and one merged case,
an area code the strategy file no longer lists, a hostile organisation name and formula-like text."""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from overview.collect import county_overview
from overview.report import overview_pdf
from tests.unit.test_overview_collect import FORMULA, HOSTILE_ORG, seed_overview
from tests.web.hostile_support import page_problems

ROUTES = ["/oversikt", "/oversikt/diagram.png", "/oversikt.xlsx", "/oversikt/rapport", "/oversikt/rapport.pdf"]
PROJECT = Path(__file__).resolve().parents[2]
AREA_HEADING = re.compile(r'<h4 id="omrade-[^"]*">([^<]+)</h4>')


@pytest.fixture
def seeded(web):
    seed_overview(web.ctx)
    return web


def pdf_text(payload: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(payload)).pages)


@pytest.mark.parametrize("path", ROUTES)
def test_staff_must_sign_in(web, path):
    answer = web.client().get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/logga-in")


def test_the_page_shows_who_works_on_each_area_prioritised_first(seeded):
    body = seeded.signed_in().get("/oversikt").text
    assert AREA_HEADING.findall(body) == [
        "Utrikesfödda kvinnors etablering på arbetsmarknaden", "Att systematiskt upptäcka våld, även våld som arbetsgivarfråga",
        "Våldsförebyggande arbete riktat till barn och unga", "gammalt-omrade"]
    assert body.index("Prioriterade problemområden 2024") < body.index("Områden som inte längre finns i strategifilen")
    assert body.count("Prioriterat 2024") >= 3
    work = body[body.index('id="omrade-utrikesfodda'):body.index('id="omrade-upptacka-vald"')]
    assert "Västerås stad" in work and "Mentorprogram" in work and "Pågår" in work and "1 september 2026" in work
    assert "Språkpraktik enligt § 12 i avtalet – 40 deltagare" in work
    violence = body[body.index('id="omrade-upptacka-vald"'):body.index('id="omrade-valdsforebyggande')]
    assert "Uppgett av organisationen" in violence and "Screening inom mödrahälsovården" in violence
    assert "Planerat: 1" in violence and "Kommun: 1, Region: 1, Civilsamhälle: 1" in violence
    assert 'href="/arenden/JS-2026-0101"' in body  # staff reach the case from the overview


def test_the_areas_nobody_works_on_are_the_countys_development_areas(seeded):
    body = seeded.signed_in().get("/oversikt").text
    listed = body[body.index('id="utvecklingslista"'):body.index('id="rubrik-exempel"')]
    assert "Våldsförebyggande arbete riktat till barn och unga" in listed
    assert "Utrikesfödda kvinnors etablering" not in listed and "upptäcka våld" not in listed
    young = body[body.index('id="omrade-valdsforebyggande'):body.index('id="omrade-gammalt-omrade"')]
    assert "Ingen ansluten organisation arbetar med området ännu." in young and "Utvecklingsområde" in young


def test_totals_and_counts_by_type_leave_withdrawn_and_merged_cases_out(seeded):
    body = seeded.signed_in().get("/oversikt").text
    assert "Arboga kommun" not in body and "Köpings kommun" not in body and "Räknas inte" not in body
    totals = re.sub(r"\s+", " ", body[body.index('id="summa"'):body.index('id="rubrik-diagram"')])
    assert '<span class="figure">4</span> anslutna organisationer' in totals
    assert '<span class="figure">2</span> dialoger genomförda' in totals
    assert '<span class="figure">3</span> åtaganden' in totals
    assert '<span class="figure">1</span> av 3 problemområden där ingen arbetar ännu' in totals
    types = re.sub(r"\s+", "", body[body.index('id="typtabell"'):])
    for row in (("Kommun", 1, 1, 1, 1), ("Region", 1, 0, 1, 0), ("Näringsliv", 1, 0, 1, 1), ("Civilsamhälle", 1, 1, 1, 1)):
        cells = "".join(f'<tdclass="num">{n}</td>' for n in row[1:])
        assert f'<thscope="row">{row[0]}</th>{cells}' in types, row


def test_the_partial_strategy_file_is_said_on_every_output(seeded):
    client = seeded.signed_in()
    note = "Strategifilen är ofullständig: 12 av 15 problemområden saknas ännu i filen"
    assert note in client.get("/oversikt").text and note in client.get("/oversikt/rapport").text
    assert note in pdf_text(client.get("/oversikt/rapport.pdf").content)
    book = load_workbook(io.BytesIO(client.get("/oversikt.xlsx").content))
    assert any(note in str(cell.value) for row in book["Problemområden"].iter_rows() for cell in row)
    assert any(note in str(cell.value) for row in book["Om översikten"].iter_rows() for cell in row)


def test_hostile_names_are_text(seeded):
    client = seeded.signed_in()
    for path in ("/oversikt", "/oversikt/rapport"):
        body = client.get(path).text
        assert page_problems(body) == [], path
        assert str(escape(HOSTILE_ORG)) in body, path  # as Jinja's autoescape writes it
        assert str(escape(FORMULA)) in body, path


def test_the_chart_is_a_png_with_a_text_alternative_and_the_same_numbers_in_a_table(seeded):
    client = seeded.signed_in()
    first, second = client.get("/oversikt/diagram.png"), client.get("/oversikt/diagram.png")
    assert first.headers["content-type"] == "image/png" and first.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert first.content == second.content  # no timestamp: the same data gives the same bytes
    body = client.get("/oversikt").text
    alt = re.search(r'<img src="/oversikt/diagram.png" alt="([^"]+)"', body)
    assert alt and "Utrikesfödda kvinnors etablering på arbetsmarknaden: 2 i dag, 2 med åtaganden" in html.unescape(alt.group(1))
    table = re.sub(r"\s+", "", body[body.index('id="diagramtabell"'):body.index("</table>", body.index('id="diagramtabell"'))])
    assert 'arbetsgivarfråga</th><tdclass="num">2</td><tdclass="num">1</td>' in table
    assert 'barnochunga</th><tdclass="num">0</td><tdclass="num">0</td>' in table


def test_the_workbook_has_its_sheets_rows_and_no_formula(seeded):
    answer = seeded.signed_in().get("/oversikt.xlsx")
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert answer.headers["content-disposition"] == 'attachment; filename="samlad-bild-2026-03-12.xlsx"'
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Problemområden", "Organisationer per område", "Utvecklingsområden", "Per organisationstyp",
                               "Om översikten"]
    assert [cell.data_type for sheet in book for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
    areas = list(book["Problemområden"].iter_rows(values_only=True))
    assert areas[0][:6] == ("Problemområde", "Delmål", "Prioriterat", "Finns i strategifilen",
                            "Organisationer som arbetar med området i dag", "Organisationer med åtaganden")
    assert [row[0] for row in areas[1:5]] == ["Utrikesfödda kvinnors etablering på arbetsmarknaden",
                                              "Att systematiskt upptäcka våld, även våld som arbetsgivarfråga",
                                              "Våldsförebyggande arbete riktat till barn och unga", "gammalt-omrade"]
    assert areas[1][2:6] == ("Prioriterat 2024", "Ja", 2, 2) and areas[4][3] == "Nej"
    works = list(book["Organisationer per område"].iter_rows(values_only=True))
    heading = works[0]
    rows = [dict(zip(heading, row, strict=True)) for row in works[1:] if row[3]]  # the note below the table left out
    assert {(r["Organisation"], r["Problemområde"][:11], r["Källa"]) for r in rows} == {
        (HOSTILE_ORG, "Utrikesfödd", "Från dialogen"), ("Västerås stad", "Utrikesfödd", "Från dialogen"),
        ("Västerås stad", "Att systema", "Från dialogen"), ("Region Västmanland", "Att systema", "Uppgett av organisationen"),
        ("Föreningen Trygga hem", "Att systema", "Från dialogen"), ("Västerås stad", "gammalt-omr", "Från dialogen"),
        ("Region Västmanland", "Arbetet som", "Uppgett av organisationen")}
    hostile = next(r for r in rows if r["Organisation"] == HOSTILE_ORG)
    assert hostile["Gör i dag"] == "'" + FORMULA  # text, never a formula in a colleague's Excel
    assert (hostile["Åtar sig"], hostile["Gott exempel"], hostile["Läge"]) == ("+1+1", "@SUM(A1)", "Genomfört")
    assert hostile["Organisationstyp"] == "Näringsliv" and hostile["Ärende"] == "JS-2026-0104"
    vasteras = next(r for r in rows if r["Organisation"] == "Västerås stad" and r["Åtar sig"])
    assert vasteras["Uppföljning"].date().isoformat() == "2026-09-01" and vasteras["Läge"] == "Pågår"
    development = list(book["Utvecklingsområden"].iter_rows(values_only=True, max_row=2))
    assert development[1:] == [("Våldsförebyggande arbete riktat till barn och unga", "Mäns våld mot kvinnor ska upphöra",
                                "Prioriterat 2024")]
    types = list(book["Per organisationstyp"].iter_rows(values_only=True, max_row=5))
    assert types[1:] == [("Kommun", 1, 1, 1, 1), ("Region", 1, 0, 1, 0), ("Näringsliv", 1, 0, 1, 1),
                         ("Civilsamhälle", 1, 1, 1, 1)]
    sheet = book["Organisationer per område"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:M{len(rows) + 1}"


def test_the_printable_report_has_every_section(seeded):
    body = seeded.signed_in().get("/oversikt/rapport").text
    assert '<link rel="stylesheet" href="/static/report.css">' in body
    for heading in ("Samlad bild över de anslutna organisationernas arbete", "Per problemområde",
                    "Länets gemensamma utvecklingsområden", "Goda exempel att sprida", "Per organisationstyp",
                    "Arbetet som helhet"):
        assert f">{heading}" in body, heading
    assert body.count('class="report-section"') == 6
    assert "Jobbspår för utrikesfödda kvinnor i Västerås" in body and 'src="/oversikt/diagram.png"' in body
    assert 'href="/arenden/' not in body  # a report for the board carries no links into the workspace
    css = seeded.signed_in().get("/static/report.css").text
    assert "size: A4" in css and "break-before: page" in css and "header.top" in css


def test_the_pdf_is_a_real_pdf_with_swedish_text(seeded):
    answer = seeded.signed_in().get("/oversikt/rapport.pdf")
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == 'attachment; filename="samlad-bild-2026-03-12.pdf"'
    assert answer.content.startswith(b"%PDF")
    text = pdf_text(answer.content)
    for expected in ("Västerås stad", "§ 12", "–", "Länets gemensamma utvecklingsområden", "Goda exempel att sprida",
                     "Våldsförebyggande arbete riktat till barn och unga", HOSTILE_ORG[:20], "Uppgett av organisationen"):
        assert expected in text, expected
    assert "Arboga" not in text


def test_without_a_unicode_font_only_what_the_core_font_lacks_is_transliterated(seeded):
    with seeded.ctx.sessions() as session:
        found = county_overview(seeded.ctx, session)
    text = pdf_text(overview_pdf(found, unicode_font=False))
    assert "Västerås stad" in text and "§ 12 i avtalet - 40 deltagare" in text and "Jämställdhetsstrategi" in text


def test_the_command_line_writes_the_workbook_the_report_and_the_pdf(seeded, tmp_path):
    settings = seeded.ctx.settings
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{settings.database.url}"\n[service]\ndata_dir = "{settings.service.data_dir}"\n',
                      encoding="utf-8")
    files = {"--xlsx": tmp_path / "o.xlsx", "--report": tmp_path / "o.html", "--pdf": tmp_path / "o.pdf"}
    done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "overview",
                           *[part for option, path in files.items() for part in (option, str(path))], "--json"],
                          cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout[done.stdout.index("{"):])
    assert data["totals"]["organisations"] == 4 and data["partial_note"].startswith("Strategifilen är ofullständig")
    assert [a["code"] for a in data["groups"][0]["areas"]] == ["utrikesfodda-kvinnors-etablering", "upptacka-vald",
                                                               "valdsforebyggande-barn-unga"]
    assert data["groups"][0]["areas"][2]["empty"] is True
    assert load_workbook(files["--xlsx"]).sheetnames[0] == "Problemområden"
    assert files["--pdf"].read_bytes().startswith(b"%PDF")
    report = files["--report"].read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in report and "Länets gemensamma utvecklingsområden" in report
    assert str(escape(HOSTILE_ORG)) in report and "<script>alert" not in report
