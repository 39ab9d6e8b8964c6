"""What one message says of a case's contact person, weighed against the contact on record.

Every contact a message names is kept, with the message and how it was found (`source`):

* the case's first contact becomes `active`, unless it comes from a sender the case does not trust;
* the same person (same e-mail, or same name when one side has no e-mail): the message adds
  the fields the contact lacks and never erases one; it changes a known field only when it
  outranks the contact on record (labelled > prose > signature > sender; a staff correction
  above all);
* another person replaces the contact only when the message outranks it and comes from a
  sender the case trusts (cases/trust.py). A signature in a reply to our mail never replaces
  the contact: people sign their answers, that does not make them the contact;
* anything else is a `candidate`, listed in the case's review for a person to confirm or reject
  (`inbox case REF --confirm-contact ID`); the active contact stays.

The case's contact is its newest active row (`Case.contact`); rows it replaced are `superseded`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cases.names import name_key
from models import Case, Contact, Message

FIELDS = ("name", "title", "email", "phone")
RANK = {"staff": 4, "labelled": 3, "prose": 2, "signature": 1, "sender": 0}
UNKNOWN_RANK = 2  # an admin's field rule sets no source: as sure as prose
WEAK = frozenset({"signature", "sender"})
SOURCE_WORDS = {"labelled": "a labelled contact", "prose": "a contact named in the text", "signature": "a signature",
                "sender": "the sender's name", "staff": "a staff correction"}


@dataclass(frozen=True)
class Said:
    """One message's word on the contact: values, how they were found, and who said it."""

    values: dict[str, str | None]
    source: str | None
    trusted: bool  # the sender may speak for the case
    in_reply: bool  # an answer in a conversation with us (thread, reference, token)
    domain: str  # the sender's domain, for the review item


def record_contact(session: Session, case: Case, message: Message, said: Said) -> str | None:
    """Store what `said` adds; returns what happened ("added", "completed", "replaced",
    "candidate") or None when it adds nothing the case does not know."""
    current = case.contact
    if current is None and said.trusted:
        activate(session, case, _row(case, message, said.values, said.source))
        return "added"
    if current is None:  # a stranger must not become the contact of a case someone else opened
        return _candidate(session, case, message, said, "the case has no contact yet")
    if same_person(current, said.values):
        return _complete(session, case, message, current, said)
    if said.trusted and outranks(said, current.source):
        activate(session, case, _row(case, message, said.values, said.source))
        return "replaced"
    return _candidate(session, case, message, said, "another person than the contact on record")


def _complete(session: Session, case: Case, message: Message, current: Contact, said: Said) -> str | None:
    wins = said.trusted and outranks(said, current.source)
    known = {key: getattr(current, key) for key in FIELDS}
    merged = {key: said.values[key] if said.values[key] and (wins or not known[key]) else known[key] for key in FIELDS}
    if merged == known:
        return None
    if not said.trusted:
        return _candidate(session, case, message, said, "new details for the contact on record")
    activate(session, case, _row(case, message, merged, said.source if wins else current.source))
    return "completed"


def _candidate(session: Session, case: Case, message: Message, said: Said, what: str) -> str | None:
    if any(row.status == "candidate" and _values(row) == said.values for row in case.contacts):
        return None  # the same candidate again: one row, one review item
    row = _row(case, message, said.values, said.source, status="candidate")
    _attach(session, case, row)
    session.flush()
    how = SOURCE_WORDS.get(said.source or "", "a contact found by a rule")
    why = f"from {said.domain}, not a domain of this organisation" if not said.trusted else \
        f"{how} in {'a reply' if said.in_reply else 'later mail'} does not outrank the contact on record"
    case.review = [*(case.review or []), {
        "field": "contact", "contact_id": row.id,
        "reason": f"candidate contact {row.id} ({what}; {why}): {summary(said.values)}; "
                  f"confirm with --confirm-contact {row.id} or reject with --reject-contact {row.id}",
    }]
    return "candidate"


def outranks(said: Said, source_on_record: str | None) -> bool:
    if said.in_reply and said.source in WEAK:
        return False
    return _rank(said.source) >= _rank(source_on_record)


def same_person(contact: Contact, values: dict[str, str | None]) -> bool:
    ours, theirs = (contact.email or "").casefold(), (values.get("email") or "").casefold()
    if ours and theirs:
        return ours == theirs
    name = values.get("name")
    return bool(contact.name and name and name_key(contact.name) == name_key(name))


def activate(session: Session, case: Case, row: Contact) -> None:
    """`row` becomes the case's contact; the rows it replaces are kept as history."""
    for other in case.contacts:
        if other is not row and (other.status or "active") == "active":
            other.status = "superseded"
    row.status = "active"
    _attach(session, case, row)


def _attach(session: Session, case: Case, row: Contact) -> None:
    if row not in case.contacts:
        session.add(row)  # first, so the relationship has a row in the session to append
        case.contacts.append(row)


def summary(values: dict[str, str | None]) -> str:
    return ", ".join(value for key in FIELDS if (value := values.get(key))) or "(no details)"


def _row(case: Case, message: Message, values: dict, source: str | None, status: str = "active") -> Contact:
    return Contact(case_id=case.id, **values, source=source, status=status, from_message_pk=message.id)


def _values(row: Contact) -> dict[str, str | None]:
    return {key: getattr(row, key) for key in FIELDS}


def _rank(source: str | None) -> int:
    return RANK.get(source or "", UNKNOWN_RANK)

