"""Find the case a new message belongs to, most certain evidence first."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.reference import references_in, references_in_tokens
from ingest.extract.result import Extraction
from ingest.message import ParsedMail
from models import Case, Message, Organisation, OutgoingMail, message_id_key


@dataclass
class Match:
    case: Case | None = None
    how: str = ""
    refused: list[str] = field(default_factory=list)  # conversation joins refused: another organisation


def find_case(session: Session, mail: ParsedMail, extraction: Extraction, prefix: str, key: bytes) -> Match:
    """The case a message belongs to, most certain evidence first.

    A thread, a reference or a token joins a message to a case only when what the message says
    of its organisation fits the case: someone quoting another organisation's case (a forward,
    a copy-paste, a forged reference) gets a case of their own, never that organisation's."""
    match = Match()
    for finder, arg in ((_by_thread, prefix), (_by_reference, prefix), (_by_token, key)):
        case = finder(session, mail, extraction, arg)
        if case is None:
            continue
        case = _followed(session, case)
        if conflict := organisation_conflict(case, extraction):
            match.refused.append(f"{finder.__name__.removeprefix('_')} pointed to {case.reference}, but {conflict}")
            continue
        match.case, match.how = case, finder.__name__.removeprefix("_")
        return match
    for finder in (_by_org_number, _by_org_name):
        if (case := finder(session, mail, extraction, prefix)) is not None:
            match.case, match.how = _followed(session, case), finder.__name__.removeprefix("_")
            return match
    return match


def find_conversation_case(session: Session, mail: ParsedMail, prefix: str, key: bytes) -> Case | None:
    """The case a message answers (thread, reference or token), without guessing by organisation."""
    empty = Extraction()
    for finder, arg in ((_by_thread, prefix), (_by_reference, prefix), (_by_token, key)):
        if (case := finder(session, mail, empty, arg)) is not None:
            return _followed(session, case)
    return None


def organisation_conflict(case: Case, extraction: Extraction) -> str | None:
    """Why the message's organisation cannot be the case's, or None when it can (or is unknown)."""
    org, info = case.organisation, extraction.organisation
    if org is None:
        return None
    if info.org_number and org.org_number:
        return None if info.org_number == org.org_number else f"its org number {info.org_number} is not {org.org_number}"
    if info.name and org.name and not same_name(info.name, org.name):
        return f"it is from {info.name}, not {org.name}"
    return None


def same_name(a: str, b: str) -> bool:
    """'Arbetsförmedlingen Västerås' and 'Arbetsförmedlingen' are one organisation; case never matters."""
    a, b = name_key(a), name_key(b)
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def name_key(name: str) -> str:
    """An organisation name for comparing: case folded in Python (SQLite's lower() leaves Å/Ä/Ö alone)."""
    return " ".join(name.casefold().split())


def organisation_named(session: Session, name: str) -> Organisation | None:
    """The first organisation whose name is `name`, whatever its case and spacing."""
    wanted = name_key(name)
    return next((org for org in session.scalars(select(Organisation).order_by(Organisation.id)) if name_key(org.name) == wanted), None)


def _followed(session: Session, case: Case) -> Case:
    """A case merged into another sends its mail on to the surviving case."""
    seen = {case.id}
    while case.merged_into_id and case.merged_into_id not in seen:
        seen.add(case.merged_into_id)
        case = session.get(Case, case.merged_into_id)
    return case


def _by_thread(session: Session, mail: ParsedMail, _extraction: Extraction, _prefix: str) -> Case | None:
    ids = [i for i in (mail.in_reply_to, *mail.references) if i]
    if not ids:
        return None
    ours = session.scalar(select(OutgoingMail.case_id).where(OutgoingMail.message_id.in_(ids), OutgoingMail.case_id.is_not(None)).limit(1))
    theirs = ours or session.scalar(select(Message.case_id).where(Message.message_id_hash.in_([message_id_key(i) for i in ids]), Message.case_id.is_not(None)).limit(1))
    return session.get(Case, theirs) if theirs else None


def _by_reference(session: Session, mail: ParsedMail, _extraction: Extraction, prefix: str) -> Case | None:
    # The subject only: a reference in a body is as often a quote or a copy-paste as an answer.
    for ref in references_in(mail.subject, prefix):
        case = session.scalar(select(Case).where(Case.reference == ref))
        if case is not None:
            return case
    return None


def _by_token(session: Session, mail: ParsedMail, _extraction: Extraction, key: bytes) -> Case | None:
    for ref in references_in_tokens(f"{mail.text}\n{mail.html or ''}", key):
        case = session.scalar(select(Case).where(Case.reference == ref))
        if case is not None:
            return case
    return None


def _by_org_number(session: Session, _mail: ParsedMail, extraction: Extraction, _prefix: str) -> Case | None:
    number = extraction.organisation.org_number
    if not number:
        return None
    return session.scalar(select(Case).join(Organisation).where(Organisation.org_number == number).order_by(Case.id).limit(1))


def _by_org_name(session: Session, _mail: ParsedMail, extraction: Extraction, _prefix: str) -> Case | None:
    name = extraction.organisation.name
    org = organisation_named(session, name) if name else None
    if org is None:
        return None
    return session.scalar(select(Case).where(Case.organisation_id == org.id).order_by(Case.id).limit(1))
