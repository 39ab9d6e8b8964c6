"""The pure field finders: dates, §, case numbers, org numbers, phones."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.extract import fields as f


@pytest.mark.parametrize(("text", "expected"), [
    ("Sammanträdesdatum 2024-03-12", date(2024, 3, 12)),
    ("Datum: 12 mars 2024", date(2024, 3, 12)),
    ("beslutade den 12/3 2024 att", date(2024, 3, 12)),
    ("inget datum här", None),
])
def test_dates(text, expected):
    assert f.find_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dnr KS 2024/123", "KS 2024/123"), ("Diarienummer: KS.2024.0142", "KS.2024.0142"),
    ("Ärende RV240345", "RV240345"), ("§ 45", None),
])
def test_case_numbers(text, expected):
    assert f.find_case_number(text) == expected


def test_org_numbers_are_luhn_checked_and_personal_numbers_ignored():
    valid, invalid = f.find_org_numbers("Org.nr 202100-2411, fel 202100-2412, personnr 800101-1234")
    assert valid == ["202100-2411"] and invalid == ["202100-2412"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Tel: 0221-251 00", "+4622125100"), ("Mobil 070-123 45 67", "+46701234567"), ("+46 21 10 20 30", "+4621102030"),
])
def test_phones_in_e164(text, expected):
    assert f.normalise_phone(text) == expected


def test_deciding_body_prefers_the_one_that_decides():
    assert f.find_deciding_body("Kommunfullmäktige informeras. Kommunstyrelsen beslutar att ansluta.") == "Kommunstyrelsen"


@pytest.mark.parametrize(("text", "expected"), [
    ("Dnr Af-2024/0012 3456\nBeslut", "Af-2024/0012 3456"), ("Dnr Af-2024/0031577", "Af-2024/0031577"),
    ("Saknr A123.456/2024", "A123.456/2024"), ("Ärendenr FK 2024/004512", "FK 2024/004512"),
])
def test_agency_case_numbers_are_whole(text, expected):
    assert f.find_case_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Sammanträdesdatum: 3 apr. 2024", date(2024, 4, 3)), ("Mötesdatum: 14.5.2024", date(2024, 5, 14)),
])
def test_abbreviated_and_dotted_dates(text, expected):
    assert f.find_date(text) == expected


def test_the_direct_number_wins_over_the_switchboard():
    assert f.normalise_phone("Växel: 0223-44 10 00\nDirekt: 0223-441 52") == "+4622344152"
    assert f.normalise_phone("Växel: 0223-44 10 00") == "+46223441000"  # nothing better


def test_hyphenated_committees_are_written_out():
    assert f.find_deciding_body("Barn- och utbildningsnämnden beslutar att") == "Barn- och utbildningsnämnden"
