"""Known organisation names are found as whole words, and the most specific one wins."""

from __future__ import annotations

import pytest

from ingest.extract.known import KnownOrganisation, KnownOrganisations


def table(*names: str) -> KnownOrganisations:
    return KnownOrganisations([KnownOrganisation(name=name, type="kommun", domains=()) for name in names])


@pytest.mark.parametrize(("known", "text"), [
    ("Sala", "Salaortens Företagarförening ansluter sig"),
    ("Sala", "Sala-Heby Energi AB ansluter sig"),
    ("Fagersta", "Fagerstahem AB ansluter sig"),
    ("Sala kommun", "Styrelsen för banken i Sala kommuns område"),
    ("Västerås stad", "Västerås Stads Parkerings AB ansluter sig"),
    ("Köping", "Köpingebro IF ansluter sig"),
    ("Arboga", "Medåarboga förening"),  # å is a letter, not a word boundary
])
def test_a_known_name_inside_another_word_is_not_found(known, text):
    assert table(known).by_name(text) is None


@pytest.mark.parametrize(("known", "text"), [
    ("Köpings kommun", "KÖPINGS KOMMUN\nKommunstyrelsen"),
    ("Västerås stad", "Beslut i Västerås\nstad, kommunstyrelsen"),  # a line break between the words
    ("Sala kommun", "(Sala kommun) ansluter sig."),
    ("Örebro universitet", "örebro universitet ansluter sig"),
])
def test_a_known_name_is_found_as_whole_words_whatever_the_case(known, text):
    assert table(known).by_name(text).name == known


def test_the_most_specific_of_overlapping_names_wins():
    known = table("Region Västmanland", "Region Västmanland Folktandvården", "Västerås stad")
    assert known.by_name("Region Västmanland Folktandvården ansluter sig").name == "Region Västmanland Folktandvården"
    assert known.by_name("Folktandvården inom Region Västmanland ansluter sig").name == "Region Västmanland"


def test_of_separate_names_the_first_in_the_text_wins():
    known = table("Region Västmanland", "Köpings kommun")
    assert known.by_name("Köpings kommun och Region Västmanland samverkar").name == "Köpings kommun"


def test_the_shipped_table_keeps_municipalities_and_their_companies_apart():
    known = KnownOrganisations.default()
    assert known.by_name("Västerås Stads Parkerings AB") is None
    assert known.by_name("Fagerstahem AB, Fagersta kommuns bostadsbolag") is None
    assert known.by_name("Protokoll, Västerås stad, kommunstyrelsen").name == "Västerås stad"
    assert known.by_name("Länsstyrelsen i Västmanlands län") is None  # the board itself is never an applicant
