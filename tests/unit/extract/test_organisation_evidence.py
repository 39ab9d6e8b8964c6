"""The applicant's own organisation wins over a known name merely mentioned (owner, partner, place).

Pairs of organisations whose names contain one another, each way round: the company, foundation
or parish that decides is recorded, never the municipality or region named in its background,
its owner line or its signature, and the municipality's own decision is never given to the
companies it names. Mails are literal RFC 822 text with a DOCX decision where one is attached.
"""

from __future__ import annotations

import base64

import pytest

from ingest.extract import KnownOrganisations, extract
from ingest.extract import org_evidence as evidence
from ingest.extract.organisation import resolve
from ingest.message import parse_message
from tests import documents as make

KNOWN = KnownOrganisations.default()


def mail(body: str, sender: str, decision: str | None = None) -> bytes:
    head = (f"From: {sender}\r\nTo: vastmanland@lansstyrelsen.se\r\nSubject: Anslutning till jämställdhetsstrategin\r\n"
            "Message-ID: <org@example.se>\r\nMIME-Version: 1.0\r\n")
    if decision is None:
        return (head + f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode("utf-8")
    docx = base64.encodebytes(make.decision_docx(decision)).decode("ascii").replace("\n", "\r\n")
    return (head + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
            f"{body}\r\n--b\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n"
            'Content-Disposition: attachment; filename="Protokollsutdrag.docx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            f"{docx}--b--\r\n").encode("utf-8")


def minutes(letterhead: str, background: str, decides: str, number: str = "") -> str:
    return (f"{letterhead}\n{number}\nPROTOKOLLSUTDRAG\nSammanträdesdatum 2024-05-08\n§ 12 Anslutning till "
            f"Jämställdhetsstrategi för Västmanlands län 2024–2027\n{background}\nStyrelsen beslutar att {decides} "
            "ansluter sig till strategin.\nJusteras: Eva Ek, ordförande")


# (the applicant's letterhead, its sender, a background that names the other organisation, what is recorded)
PAIRS = [
    ("Västerås Stads Parkerings AB", "maria@vasterasparkering.se",
     "Västerås stad har i ägardirektivet uppmanat de helägda bolagen att ansluta sig.", "Västerås Stads Parkerings AB"),
    ("FAGERSTAHEM AB", "info@fagerstahem.se", "Fagersta kommun har som ägare informerat om sin anslutning.",
     "Fagerstahem AB"),
    ("Kungsörs KommunTeknik AB", "peter@kungsor.se",  # the owner's domain: the letterhead still decides
     "Kungsörs kommun, som äger bolaget, har anslutit sig.", "Kungsörs KommunTeknik AB"),
    ("Stiftelsen Västmanlands läns museum", "birgitta@lansmuseum.se",
     "Stiftelsens huvudmän, Region Västmanland och Västerås stad, har anslutit sig.",
     "Stiftelsen Västmanlands läns museum"),
    ("Västerås pastorat", "registrator@svenskakyrkan.se", "Pastoratet samverkar med Västerås stad.", "Västerås pastorat"),
    ("SALA-HEBY ENERGI AB", "linnea@sheab.se", "Ägarna Sala kommun och Heby kommun har informerats.",
     "Sala-Heby Energi AB"),
    # ... and the other way round: the municipality's decision names its companies.
    ("Västerås stad", "hanna@vasteras.se",
     "De helägda bolagen, bland andra Bostads AB Mimer och Västerås Stads Parkerings AB, fattar egna beslut.",
     "Västerås stad"),
    ("Fagersta kommun", "johan@fagersta.se", "Fagerstahem AB fattar ett eget beslut.", "Fagersta kommun"),
]


@pytest.mark.parametrize(("letterhead", "sender", "background", "expected"), PAIRS)
def test_the_decisions_own_organisation_wins_over_a_name_it_mentions(letterhead, sender, background, expected):
    body = f"Hej!\n\nVi skickar vårt beslut om anslutning. {background}\n\nVänliga hälsningar\nAnna Ek"
    result = extract(parse_message(mail(body, sender, minutes(letterhead, background, "organisationen"))))
    assert result.organisation.name == expected, result.notes


@pytest.mark.parametrize(("body", "expected"), [
    # The name printed with the org number (a signature's last lines) beats a mention and the joining sentence.
    ("Hallstahammars BK ansluter sig. Vi samarbetar med Hallstahammars kommun.\n\nHälsningar\nJonas Wiklund\n"
     "Kanslichef\nHallstahammars Bandyklubb\nOrg.nr 819000-3825\nTel 070-174 06 88", "Hallstahammars Bandyklubb"),
    ("Vi på Skinnskattebergs Trä AB vill ansluta oss.\n\nMvh\nSkinnskattebergs Trä AB\nBruksvägen 4, 739 31 Skinnskatteberg\n"
     "Org.nr 556771-4596", "Skinnskattebergs Trä AB"),
    ("Hej!\nVi ansluter oss.\n\nVänliga hälsningar\nLars-Olof Grip\nOrdförande, Equmeniakyrkan Sala\nOrg.nr 817500-4483",
     "Equmeniakyrkan Sala"),
    # The signature's organisation line, after a title on the same line.
    ("Vi ansluter oss. Banken samarbetar med Sala kommun.\n\nMed vänlig hälsning\nAnders Öhrn\nStyrelsens sekreterare\n"
     "Sala Sparbank\nStora Torget 3, 733 30 Sala", "Sala Sparbank"),
    ("Vi ansluter oss, som vår ägare Västerås stad.\n\n-- \nPer Malm\nVD, Västerås Science Park AB\n021-15 09 00",
     "Västerås Science Park AB"),
    # The subject of the joining sentence beats a known name mentioned after it.
    ("Hej,\n\nKöpings Bostads AB ansluter sig till strategin, precis som Köpings kommun.\n\n/Lena", "Köpings Bostads AB"),
    ("Kommunstyrelsen i Västerås stad har beslutat att ansluta sig. Mälarenergi AB fattar eget beslut.\n\n/Hanna",
     "Västerås stad"),
])
def test_mail_without_a_decision_names_its_sender_before_any_mention(body, expected):
    result = extract(parse_message(mail(body, "someone@example.se")))
    assert result.organisation.name == expected, result.notes


def test_a_known_name_is_the_known_organisation_unless_it_has_a_form_of_its_own():
    assert resolve("VÄSTERÅS STAD", "", KNOWN) == ("Västerås stad", True)
    assert resolve("Sala kommun Vård och omsorg", "", KNOWN) == ("Sala kommun", True)
    assert resolve("Västerås Stads Parkerings AB", "", KNOWN) == ("Västerås Stads Parkerings AB", False)
    assert resolve("Kvinnojouren i Sala kommun", "", KNOWN)[1] is False  # a jour of its own, in Sala


def test_letterheads_skip_headings_and_numbers_and_refuse_bodies():
    assert evidence.letterhead("BESLUT\nNorbergs Mekaniska Verkstad AB\nDatum: 2024-08-30", KNOWN) == \
        "Norbergs Mekaniska Verkstad AB"
    assert evidence.letterhead("KUNGSÖRS KOMMUN SAMMANTRÄDESPROTOKOLL\nKommunstyrelsen", KNOWN) == "KUNGSÖRS KOMMUN"
    assert evidence.letterhead("Köpings Bostads AB (org.nr 556044-1189)\nPROTOKOLLSUTDRAG", KNOWN) == "Köpings Bostads AB"
    assert evidence.letterhead("ABF Västmanland\nOrg.nr 802003-6193", KNOWN) == "ABF Västmanland"  # beside its number
    assert evidence.letterhead("ABF Västmanland\nProtokoll", KNOWN) is None  # no form, no number: not sure
    assert evidence.letterhead("Kommunstyrelsen\nProtokoll", KNOWN) is None
    assert evidence.letterhead("Protokoll fört vid styrelsemöte i Kolbäcksåns Verkstads AB", KNOWN) is None
    assert evidence.minutes_of("Protokoll fört vid styrelsemöte i Kolbäcksåns Verkstads AB\nDatum", KNOWN) == \
        "Kolbäcksåns Verkstads AB"


def test_the_org_number_of_another_organisation_named_later_is_not_the_applicants():
    text = ("Bostads AB Mimer, ett bolag ägt av Västerås stad\nOrg.nr 556032-4815\n"
            "Ägaren Västerås stad har org.nr 212000-2064")
    assert evidence.beside_org_number(text, KNOWN, set()) == "Bostads AB Mimer"
    assert evidence.beside_org_number("Länsstyrelsen Västmanlands län\nOrg.nr 202100-2411", KNOWN, {"202100-2411"}) is None


@pytest.mark.parametrize(("name", "number", "expected"), [
    ("Västerås pastorat", "252004-3122", "civilsamhalle"),  # Svenska kyrkan's pastorates: 252...
    ("Västerås pastorat", None, "civilsamhalle"),
    ("Sala Sparbank", None, "naringsliv"),
    ("Västerås Stads Parkerings AB", None, "naringsliv"),  # the legal form before the "Stad" in the name
    ("Mälarenergi AB", "556554-1322", "naringsliv"),
    ("Hallstahammars Bandyklubb", "819000-3825", "civilsamhalle"),
    ("Sala kommun", None, "kommun"),
])
def test_the_type_follows_the_legal_form(name, number, expected):
    signature = f"Hälsningar\nAnna Ek\n{name}" + (f"\nOrg.nr {number}" if number else "")
    result = extract(parse_message(mail(f"Vi ansluter oss.\n\n{signature}", "anna@example.se")))
    assert (result.organisation.name, result.organisation.type) == (name, expected), result.notes


def test_the_evidence_finders_stay_linear_on_hostile_lines():
    import time

    for line in ("A. " * 1700, "att Aaaa Bbbb " * 300, "Org.nr 556183-2147 " * 250, ("Aaa " * 20 + "ansluter. ") * 50):
        started = time.perf_counter()
        evidence.joining_subject(line, KNOWN)
        evidence.beside_org_number(line, KNOWN, set())
        evidence.letterhead(line, KNOWN)
        evidence.signature_org("Hälsningar\n" + line, KNOWN)
        evidence.minutes_of(line, KNOWN)
        assert time.perf_counter() - started < 0.5
