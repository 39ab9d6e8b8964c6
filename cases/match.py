"""Find the case a new message belongs to, most certain evidence first."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.reference import references_in, references_in_tokens
from ingest.extract.result import Extraction
from ingest.message import ParsedMail
from models import Case, Message, Organisation, OutgoingMail


def find_case(session: Session, mail: ParsedMail, extraction: Extraction, prefix: str, secret: str) -> tuple[Case | None, str]:
    """Return (case, how it was found) or (None, "")."""
    for finder in (_by_thread, _by_reference, _by_token, _by_org_number, _by_org_name):
        case = finder(session, mail, extraction, prefix if finder is not _by_token else secret)
        if case is not None:
            return _followed(session, case), finder.__name__.removeprefix("_")
    return None, ""


def find_conversation_case(session: Session, mail: ParsedMail, prefix: str, secret: str) -> Case | None:
    """The case a message answers (thread, reference or token), without guessing by organisation."""
    empty = Extraction()
    for finder, key in ((_by_thread, prefix), (_by_reference, prefix), (_by_token, secret)):
        if (case := finder(session, mail, empty, key)) is not None:
            return _followed(session, case)
    return None


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
    theirs = ours or session.scalar(select(Message.case_id).where(Message.message_id.in_(ids), Message.case_id.is_not(None)).limit(1))
    return session.get(Case, theirs) if theirs else None


def _by_reference(session: Session, mail: ParsedMail, _extraction: Extraction, prefix: str) -> Case | None:
    for ref in references_in(f"{mail.subject}\n{mail.text}", prefix):
        case = session.scalar(select(Case).where(Case.reference == ref))
        if case is not None:
            return case
    return None


def _by_token(session: Session, mail: ParsedMail, _extraction: Extraction, secret: str) -> Case | None:
    for ref in references_in_tokens(f"{mail.text}\n{mail.html or ''}", secret):
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
    if not name:
        return None
    return session.scalar(
        select(Case).join(Organisation).where(func.lower(Organisation.name) == name.lower()).order_by(Case.id).limit(1)
    )
