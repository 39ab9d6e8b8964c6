"""Contact finders and the contact/organisation steps on literal RFC 822 text."""

from __future__ import annotations

from ingest.extract import contact, extract
from ingest.extract.organisation import civil_names
from ingest.message import parse_message


def mail(body: str, sender: str = "Registrator <registrator@koping.se>") -> bytes:
    return (f"From: {sender}\r\nTo: vastmanland@lansstyrelsen.se\r\nSubject: Anslutning till jämställdhetsstrategin\r\n"
            f"Message-ID: <c@koping.se>\r\nContent-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\n"
            f"{body}\r\n").encode("utf-8")


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
