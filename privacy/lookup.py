"""Every row and file that holds one person's address (and where the names they used appear).

The database narrows the search (case-insensitive LIKE on the columns that can hold an
address); each hit is then checked as a whole address in Python, so "anna@x.se" never
matches "hanna@x.se". Raw messages are searched on disk too, for mail that names the person
without being from them (a forward, a bounce, a colleague's message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from models import Case, Contact, Event, Message, OutgoingMail, UndeliverableAddress
from privacy.identity import address_hash, file_mentions, json_text, mentions

ERASED_ACTION = "person_erased"


@dataclass
class FoundMessage:
    message: Message
    # How it concerns the person: "sender", "contact" (a contact row was read from it),
    # "extraction", "subject", "raw" (the address is written in the stored message).
    roles: list[str] = field(default_factory=list)


@dataclass
class FoundOutgoing:
    row: OutgoingMail
    roles: list[str] = field(default_factory=list)  # "recipient", "body"


@dataclass
class Person:
    address: str
    address_hash: str
    names: list[str]
    messages: list[FoundMessage]
    contacts: list[Contact]  # rows with the address
    named_contacts: list[Contact]  # rows with one of the person's names but another address
    cases: dict[int, list[str]]  # case id -> how the case names the person ("sender", "contact", "override", "message")
    outgoing: list[FoundOutgoing]
    undeliverable: list[UndeliverableAddress]
    events: list[Event]  # history entries that name the address
    erasures: list[Event]  # earlier `person_erased` events for this address (by hash)
    references: dict[int, str]  # case id -> reference, for everything above


def find_person(session: Session, data_dir: Path, address: str) -> Person:
    """Everything stored about `address` (already normalised: lower case)."""
    contacts = _contacts(session, address)
    names = sorted({c.name.strip() for c in contacts if c.name and c.name.strip()})
    named = _named_contacts(session, names, {c.id for c in contacts})
    messages = _messages(session, data_dir, address, contacts)
    outgoing = _outgoing(session, address)
    undeliverable = list(session.scalars(
        select(UndeliverableAddress).where(func.lower(UndeliverableAddress.address) == address).order_by(UndeliverableAddress.id)))
    events = _events(session, address)
    hashed = address_hash(data_dir, address)
    erasures = [e for e in session.scalars(select(Event).where(Event.action == ERASED_ACTION).order_by(Event.id))
                if (e.data or {}).get("address_hash") == hashed]
    cases = _cases(session, address, contacts, messages)
    case_ids = {*cases, *(c.case_id for c in named), *(o.row.case_id for o in outgoing), *(u.case_id for u in undeliverable),
                *(e.case_id for e in events)} - {None}
    references = dict(session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids))).all()) if case_ids else {}
    return Person(address, hashed, names, messages, contacts, named, cases, outgoing, undeliverable, events, erasures, references)


def last_erasure(session: Session, data_dir: Path, address: str) -> datetime | None:
    """When `address` was last erased, or None. For code that reads kept records again (`inbox
    reprocess`): a contact found in a message received before that time must not come back."""
    hashed = address_hash(data_dir, address.strip().lower())
    times = [e.at for e in session.scalars(select(Event).where(Event.action == ERASED_ACTION))
             if (e.data or {}).get("address_hash") == hashed]
    return max(times, default=None)


def _contains(column, address: str):
    """A loose, case-insensitive pre-filter; `mentions` decides."""
    forms = {address, json_text(address).lower()}
    return or_(*(func.lower(column).contains(form, autoescape=True) for form in forms))


def _contacts(session: Session, address: str) -> list[Contact]:
    return list(session.scalars(select(Contact).where(func.lower(Contact.email) == address).order_by(Contact.id)))


def _named_contacts(session: Session, names: list[str], exclude: set[int]) -> list[Contact]:
    if not names:
        return []
    rows = session.scalars(select(Contact).where(func.lower(Contact.name).in_([n.lower() for n in names])).order_by(Contact.id))
    return [row for row in rows if row.id not in exclude]


def _messages(session: Session, data_dir: Path, address: str, contacts: list[Contact]) -> list[FoundMessage]:
    found: dict[int, FoundMessage] = {}

    def note(message: Message, role: str) -> None:
        entry = found.setdefault(message.id, FoundMessage(message))
        if role not in entry.roles:
            entry.roles.append(role)

    query = select(Message).options(selectinload(Message.attachments))
    for message in session.scalars(query.where(func.lower(Message.sender) == address)):
        note(message, "sender")
    sources = {c.from_message_pk for c in contacts} - {None}
    if sources:
        for message in session.scalars(query.where(Message.id.in_(sources))):
            note(message, "contact")
    for message in session.scalars(query.where(_contains(cast(Message.extraction, Text), address))):
        if mentions(str(message.extraction), address):
            note(message, "extraction")
    for message in session.scalars(query.where(_contains(Message.subject, address))):
        if mentions(message.subject, address):
            note(message, "subject")
    for pk, raw_path in session.execute(select(Message.id, Message.raw_path).order_by(Message.id)).all():
        if pk not in found and file_mentions(data_dir / raw_path, address):
            note(session.get_one(Message, pk), "raw")  # the id was just read in this session
    return sorted(found.values(), key=lambda f: f.message.id)


def _outgoing(session: Session, address: str) -> list[FoundOutgoing]:
    query = select(OutgoingMail).where(or_(
        _contains(cast(OutgoingMail.recipients, Text), address), _contains(OutgoingMail.body_text, address),
    )).order_by(OutgoingMail.id)
    found = []
    for row in session.scalars(query):
        roles = ["recipient"] if any((r or "").strip().lower() == address for r in row.recipients or []) else []
        roles += ["body"] if mentions(row.body_text, address) else []
        if roles:
            found.append(FoundOutgoing(row, roles))
    return found


def _events(session: Session, address: str) -> list[Event]:
    query = select(Event).where(or_(_contains(Event.detail, address), _contains(cast(Event.data, Text), address))).order_by(Event.id)
    return [e for e in session.scalars(query) if mentions(e.detail, address) or mentions(str(e.data), address)]


def _cases(session: Session, address: str, contacts: list[Contact], messages: list[FoundMessage]) -> dict[int, list[str]]:
    cases: dict[int, list[str]] = {}

    def note(case_id: int | None, role: str) -> None:
        if case_id is not None and role not in cases.setdefault(case_id, []):
            cases[case_id].append(role)

    for case_id in session.scalars(select(Case.id).where(func.lower(Case.sender) == address)):
        note(case_id, "sender")
    for contact in contacts:
        note(contact.case_id, "contact")
    for case in session.scalars(select(Case).where(_contains(cast(Case.overrides, Text), address))):
        if mentions(str(case.overrides), address):
            note(case.id, "override")
    for entry in messages:
        note(entry.message.case_id, "message")
    return cases
