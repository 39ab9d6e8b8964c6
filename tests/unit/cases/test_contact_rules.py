"""The order of contact sources, and when two contacts are one person (cases/contacts.py)."""

from __future__ import annotations

import pytest

from cases.contacts import Said, outranks, same_person
from models import Contact

ANNA = {"name": "Anna Lind", "title": None, "email": "anna.lind@koping.se", "phone": None}


def said(source: str | None, *, in_reply: bool = False, **values) -> Said:
    return Said(values={**ANNA, **values}, source=source, trusted=True, in_reply=in_reply, domain="koping.se")


@pytest.mark.parametrize(("source", "on_record", "in_reply", "expected"), [
    ("labelled", "signature", False, True),
    ("labelled", "labelled", False, True),  # the newer of two equals: the organisation updated it
    ("signature", "labelled", False, False),
    ("prose", "staff", False, False),  # a staff correction outranks any mail
    ("signature", "signature", True, False),  # people sign their answers: that does not make them the contact
    ("sender", "sender", True, False),
    ("labelled", "signature", True, True),  # "Ny kontaktperson: ..." in a reply does count
])
def test_what_outranks_the_contact_on_record(source, on_record, in_reply, expected):
    assert outranks(said(source, in_reply=in_reply), on_record) is expected


def test_one_person_by_address_else_by_name():
    anna = Contact(name="Anna Lind", email="Anna.Lind@koping.se")
    assert same_person(anna, {**ANNA, "name": "A. Lind"})  # the address decides
    assert not same_person(anna, {**ANNA, "email": "karin.ek@koping.se"})
    assert same_person(Contact(name="ANNA  LIND", email=None), ANNA)  # no address on one side: the name
    assert not same_person(Contact(name=None, email=None, phone="+4622125100"), ANNA)
