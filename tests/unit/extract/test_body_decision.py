"""A decision stated in the mail itself (no attachment): present with who decided and when; an
intention, a meeting still to come or a decision without its year is not one."""

from __future__ import annotations

import time

import pytest

from ingest.extract import extract
from ingest.extract.body_decision import stated_decision
from ingest.message import parse_message


def mail(body: str, sender: str = "Anna Ek <anna.ek@example.se>") -> bytes:
    return (f"From: {sender}\r\nTo: vastmanland@lansstyrelsen.se\r\nSubject: Anslutning till jämställdhetsstrategin\r\n"
            f"Message-ID: <b@example.se>\r\nContent-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\n"
            f"{body}\r\n").encode()


@pytest.mark.parametrize(("body", "decided_by", "date", "paragraph"), [
    ("Styrelsen beslutade den 26 september 2024, § 14, att ansluta banken till strategin.", "Styrelsen", "2024-09-26", "§ 14"),
    ("Ur protokoll fört vid sammanträde med Sala Sparbanks styrelse 2024-09-26\n§ 14 Anslutning\n"
     "Styrelsen beslutar att Sala Sparbank ansluter sig till strategin.", "Styrelsen", "2024-09-26", "§ 14"),
    ("På församlingsmötet söndagen den 21 april 2024 beslutade vi enhälligt (§ 12 i protokollet) att församlingen "
     "ansluter sig.", "Församlingsmötet", "2024-04-21", "§ 12"),
    ("Beslutet finns i minnesanteckningarna från mötet den 3 september 2024:\n\n\"Ledningsgruppen beslutar att "
     "Västerås Science Park AB ansluter sig till strategin.\"", "Ledningsgruppen", "2024-09-03", None),
    ("Vi har på vårt styrelsemöte lördagen den 18 maj 2024 beslutat att ansluta föreningen. Ur protokollet:\n\n"
     "§ 5 Föreningen ansluter sig till strategin.", "Styrelsen", "2024-05-18", "§ 5"),
    ("Koncernledningen beslutade 2024-05-06 att godkänna anslutningen till strategin.", "Koncernledningen", "2024-05-06",
     None),
])
def test_a_decision_stated_in_the_mail_is_present(body, decided_by, date, paragraph):
    result = extract(parse_message(mail(f"Hej!\n\n{body}\n\nKontaktperson: Anna Ek, 070-174 06 11\n\nHälsningar\nAnna Ek")))
    d = result.decision
    assert (d.present, d.filename, d.text_source) == (True, None, "body"), result.notes
    assert (d.decided_by, d.date and d.date.isoformat(), d.paragraph) == (decided_by, date, paragraph)
    assert "decision" not in result.missing


@pytest.mark.parametrize("body", [
    "Styrelsen beslutade på sitt möte den 2 april att föreningen vill ansluta sig. Protokollet är inte justerat.",
    "Frågan ska upp på vårt styrelsemöte den 19 november 2024, och vi skickar protokollet sedan.",
    "Norbergs kommun avser att ansluta sig. Ärendet behandlas av kommunstyrelsen den 3 juni 2024.",
    "Styrelsen har ännu inte beslutat att ansluta föreningen, men gör det den 4 juni 2024.",
    "Styrelsen beslutade att ansluta föreningen till strategin.",  # who, but not when
    "Beslut och kontaktperson skickar vi när styrelsen har haft möte den 12 maj 2024.",
])
def test_an_intention_or_a_decision_to_come_is_missing(body):
    result = extract(parse_message(mail(f"Hej!\n\n{body}\n\nHälsningar\nAnna Ek")))
    assert result.decision.present is False and "decision" in result.missing, result.notes


def test_the_boards_own_quoted_mail_states_no_decision_of_the_applicant():
    body = ("Hej! Vi återkommer.\n\n________________________________\nFrån: Länsstyrelsen Västmanland "
            "<vastmanland@lansstyrelsen.se>\nSkickat: den 6 februari 2024\n\nStyrelsen i Exempelföreningen beslutade "
            "den 1 februari 2024 att ansluta sig, skrev ni i ett tidigare mejl.")
    assert extract(parse_message(mail(body))).decision.present is False


def test_an_attached_decision_is_never_replaced_by_the_mails_words():
    from tests.unit.extract.test_organisation_evidence import mail as with_docx
    from tests.unit.extract.test_organisation_evidence import minutes

    body = "Styrelsen beslutade den 2 maj 2024 att ansluta bolaget, se protokollet.\n\nHälsningar\nAnna Ek"
    result = extract(parse_message(with_docx(body, "anna@example.se", minutes("Exempel AB", "", "Exempel AB"))))
    d = result.decision
    assert (d.filename, d.text_source, d.date.isoformat()) == ("Protokollsutdrag.docx", "docx", "2024-05-08")


def test_the_search_stays_linear_on_hostile_text():
    for text in ("Styrelsen beslutade att ansluta sig. " * 50_000, "beslutar att " * 40_000,
                 "Styrelsen beslutade att ansluta sig.\n\n" * 50_000):
        started = time.perf_counter()
        assert stated_decision(text) is None
        assert time.perf_counter() - started < 3, time.perf_counter() - started
