"""Contact finders and the contact/organisation steps on literal RFC 822 text."""

from __future__ import annotations

import pytest

from ingest.extract import contact, extract
from ingest.extract.organisation import civil_names
from ingest.message import parse_message


def mail(body: str, sender: str = "Registrator <registrator@koping.se>") -> bytes:
    return (f"From: {sender}\r\nTo: vastmanland@lansstyrelsen.se\r\nSubject: Anslutning till jämställdhetsstrategin\r\n"
            f"Message-ID: <c@koping.se>\r\nContent-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\n"
            f"{body}\r\n").encode()


def test_prose_with_the_title_before_the_name():
    found = contact.prose("Kontaktperson i ärendet är folkhälsostrateg Maria Ekström, maria.ekstrom@koping.se, "
                          "telefon +46 221 251 34.")
    assert (found.name, found.title, found.email, found.phone) == (
        "Maria Ekström", "folkhälsostrateg", "maria.ekstrom@koping.se", "+4622125134")


def test_jag_ar_kontaktperson_is_the_sender_but_blir_jag_comma_name_names_her():
    assert contact.is_self("Jag är kontaktperson för anslutningen.")
    assert not contact.is_self("Kontaktperson blir jag, Sofia Lind, strateg.")
    assert contact.prose("Kontaktperson blir jag, Sofia Lind, strateg, 0220-245 10.").name == "Sofia Lind"


def test_a_registrar_sends_and_the_contact_is_someone_else():
    body = ("Hej,\n\nKontaktperson:\nLars Nyberg\nSamordnare\nlars.nyberg@koping.se\n0221-251 47\n\n"
            "Vänliga hälsningar\nRegistrator\nKöpings kommun")
    result = extract(parse_message(mail(body)))
    c = result.contact
    assert (c.name, c.title, c.email, c.phone, c.source) == (
        "Lars Nyberg", "Samordnare", "lars.nyberg@koping.se", "+4622125147", "labelled")
    assert result.organisation.name == "Köpings kommun" and result.confidence["contact.name"] >= 0.9


def test_the_boards_quoted_signature_is_never_the_contact():
    body = ("Hej! Beslutet kommer.\n\n________________________________\nFrån: Länsstyrelsen Västmanland "
            "<vastmanland@lansstyrelsen.se>\nSkickat: den 6 februari 2024\n\nMed vänlig hälsning\nDennis Nyström\n"
            "Utvecklingsledare\n010-224 90 00\ndennis.u.nystrom@lansstyrelsen.se")
    result = extract(parse_message(mail(body)))
    assert result.contact.name is None and "contact" in result.missing


def test_an_invalid_org_number_is_reported_and_flagged_not_used():
    result = extract(parse_message(mail("Hej\n\nMvh\nDaniel Öst\nVästerås Bygg AB | Org.nr 556123-4568")))
    assert result.organisation.org_number is None
    assert any(item.field == "organisation.org_number" for item in result.review)


def test_a_signature_only_contact_is_flagged_below_the_review_threshold():
    body = "Hej\n\nHälsningar\nPeter Ek\nKanslichef\nTelefon 0223-291 10"
    result = extract(parse_message(mail(body, sender="Peter Ek <peter.ek@norberg.se>")))
    assert result.contact.source == "signature" and result.confidence["contact.name"] == 0.75
    assert result.organisation.name == "Norbergs kommun" and result.confidence["organisation.name"] < 0.9


def test_association_names_grow_around_their_kind_word():
    assert civil_names("jag är ordförande i Kvinno- och tjejjouren i Arboga. Styrelsen") == ["Kvinno- och tjejjouren i Arboga"]
    assert civil_names("Vi i Internationella kvinnoföreningen i Fagersta har beslutat") == [
        "Internationella kvinnoföreningen i Fagersta"]
    assert civil_names("en ideell förening i Fagersta") == []


def test_a_labelled_block_names_someone_with_diacritics_and_a_listed_title():
    body = ("Hej!\n\nKontaktperson:\nAmra Hodžić\nAnsvarig för mångfald, jämställdhet och inkludering\n"
            "amra.hodzic@nordmarkfastighet.se\n070-174 06 34\n\nVänliga hälsningar\n\nGöran Nordmark\n"
            "VD, Nordmark Fastighetsservice i Västerås AB\nTel 021-44 80 10")
    c = extract(parse_message(mail(body, sender="Göran Nordmark <goran.nordmark@nordmarkfastighet.se>"))).contact
    assert (c.name, c.title, c.email, c.phone) == ("Amra Hodžić", "Ansvarig för mångfald, jämställdhet och inkludering",
                                                   "amra.hodzic@nordmarkfastighet.se", "+46701740634")


def test_jag_sjalv_above_a_list_of_the_senders_details():
    body = ("Kontaktperson är jag själv:\nSara Holmberg\nSamordnare för våld i nära relationer och hedersrelaterat våld\n"
            "sara.holmberg@stadsmission.se\n070-174 06 83\n\nMed vänliga hälsningar\nSara Holmberg")
    c = extract(parse_message(mail(body, sender="Sara Holmberg <sara.holmberg@stadsmission.se>"))).contact
    assert (c.name, c.title, c.phone) == ("Sara Holmberg", "Samordnare för våld i nära relationer och hedersrelaterat våld",
                                          "+46701740683")


@pytest.mark.parametrize("sentence", [
    "Som kontaktperson har kyrkorådet utsett Erik Lundmark, enhetschef för diakoni och samhällsansvar. "
    "Erik nås på erik.lundmark@svenskakyrkan.se och 021-81 46 30.",
    "Kyrkorådet har utsett enhetschef Erik Lundmark till kontaktperson, erik.lundmark@svenskakyrkan.se, 021-81 46 30.",
])
def test_an_appointed_contact_in_prose(sentence):
    c = extract(parse_message(mail(f"Hej,\n\n{sentence}\n\nMed vänlig hälsning\nRegistrator\nVästerås pastorat"))).contact
    assert (c.name, c.email, c.phone) == ("Erik Lundmark", "erik.lundmark@svenskakyrkan.se", "+4621814630")
    assert c.title in ("enhetschef för diakoni och samhällsansvar", "enhetschef")


def test_a_contact_named_in_a_forward_gets_the_details_under_her_name():
    body = ("Hej,\n\nVidarebefordrar vår anslutning. Kontaktperson är Malin Öst, se hennes uppgifter nedan.\n\n"
            "Eva Bergström\nOrdförande, Brottsofferjouren Västmanland\n\n________________________________\n"
            "Från: Malin Öst <malin.ost@boj.se>\nSkickat: den 25 mars 2024 16:02\nTill: Eva Bergström <eva.bergstrom@boj.se>\n"
            "Ämne: Anslutning\n\nHej Eva! Här är mina uppgifter:\n\nMalin Öst\nVerksamhetsansvarig\n"
            "Brottsofferjouren Västmanland\nmalin.ost@boj.se\n070-174 06 94\n\nTack!\nMalin")
    result = extract(parse_message(mail(body, sender="Eva Bergström <eva.bergstrom@boj.se>")))
    c = result.contact
    assert (c.name, c.title, c.email, c.phone) == ("Malin Öst", "Verksamhetsansvarig", "malin.ost@boj.se", "+46701740694")
    assert "contact" not in result.missing


@pytest.mark.parametrize(("title_line", "expected"), [
    ("Ansvarig för arbetsmiljö, jämställdhet och mångfald", "Ansvarig för arbetsmiljö, jämställdhet och mångfald"),
    ("HR-strateg, Arboga kommun", "HR-strateg"),  # a title, then the organisation
    ("Samordnare, enheten för stöd", "Samordnare"),  # a title, then a unit: no list of responsibilities
    ("Ansvarig för HR, Sala Sparbank", "Ansvarig för HR"),
])
def test_signature_titles_keep_a_listed_responsibility_whole(title_line, expected):
    body = f"Hej! Jag är kontaktperson.\n\nMvh\nMarcus Ek\n{title_line}\n070-174 06 19"
    c = extract(parse_message(mail(body, sender="Marcus Ek <marcus.ek@example.se>"))).contact
    assert (c.name, c.title) == ("Marcus Ek", expected)
