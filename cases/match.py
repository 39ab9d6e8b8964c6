"""Find the case a new message belongs to, most certain evidence first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from cases.names import organisations_named, same_name
from cases.reference import references_in, references_in_tokens
from cases.trust import Sender, answer_claim, claim, trusted, under_claim
from ingest.extract.known import KnownOrganisations
from ingest.extract.result import Extraction
from ingest.message import ParsedMail
from models import Case, Message, Organisation, OutgoingMail, message_id_key

# A conversation finder gets the case prefix and the token key and uses what its evidence needs.
ConversationFinder = Callable[[Session, ParsedMail, str, bytes], Case | None]
OrganisationFinder = Callable[[Session, Extraction], list[Case]]


@dataclass
class Match:
    case: Case | None = None
    how: str = ""
    refused: list[str] = field(default_factory=list)  # joins refused: another organisation
    # Doubts about who the message is from, for a person; the case goes to needs_review.
    review: list[str] = field(default_factory=list)
    # The case an untrusted sender claimed to belong to (its organisation's, or the one its subject names).
    claimed: Case | None = None


def find_case(session: Session, mail: ParsedMail, extraction: Extraction, prefix: str, key: bytes,
              sender: Sender, known: KnownOrganisations) -> Match:
    """The case a message belongs to, most certain evidence first.

    A thread, a reference or a token joins a message to a case only when what the message says
    of its organisation fits the case: someone quoting another organisation's case (a forward,
    a copy-paste, a forged reference) gets a case of their own, never that organisation's.
    A reference in the subject joins only for a sender the case trusts (cases/trust.py):
    references are numbered in order, anyone can write one. A thread or the token is proof
    enough that the sender holds our mail. An org number or a name joins only a case whose
    organisation has no other org number, and only for a sender the case trusts; anyone else
    gets a case of their own that a person checks ("claims to be ...", "claims to answer ...")."""
    match = Match()
    answered: Case | None = None  # the case a reference names, for a sender that case does not trust
    for finder in CONVERSATION_FINDERS:
        case = finder(session, mail, prefix, key)
        if case is None:
            continue
        case = _followed(session, case)
        how = finder.__name__.removeprefix("_")
        if conflict := organisation_conflict(case, extraction):
            match.refused.append(f"{how} pointed to {case.reference}, but {conflict}")
            continue
        if finder is _by_reference and not trusted(session, case, sender, known):
            answered = answered or case  # the token may still prove it; else it is a claim
            continue
        match.case, match.how = case, how
        return match
    for by_organisation in (_by_org_number, _by_org_name):
        if _join_by_organisation(session, match, by_organisation, extraction, sender, known):
            break
    if answered is not None and match.case is None:
        match.refused.append(f"by_reference pointed to {answered.reference}, but the case does not trust {sender.domain or 'no sender'}")
        match.claimed = match.claimed or answered
        _add(match.review, answer_claim(answered.reference, sender))
    return match


def _join_by_organisation(session: Session, match: Match, finder: OrganisationFinder, extraction: Extraction,
                          sender: Sender, known: KnownOrganisations) -> bool:
    """Try the cases one finder names, oldest first; True when the search ends here (joined or claimed)."""
    how = finder.__name__.removeprefix("_")
    for case in finder(session, extraction):
        org = case.organisation  # a case without one conflicts with nothing (organisation_conflict)
        if org is not None and (conflict := organisation_conflict(case, extraction)):
            match.refused.append(f"{how} pointed to {case.reference}, but {conflict}")
            _add(match.review, f"{org.name} has case {case.reference} with org number "
                               f"{org.org_number}; this message gives {extraction.organisation.org_number}")
            continue
        if trusted(session, case, sender, known):
            match.case, match.how = case, how
            if other := _other_name(case, extraction):
                _add(match.review, other)
            return True
        if not under_claim(case):  # someone else's unsettled claim is no case to claim
            match.claimed = match.claimed or case
    if match.claimed is None:
        return False
    _add(match.review, f"{_claim_of(match.claimed, extraction, sender)}; that organisation's case is {match.claimed.reference}")
    return True


def _claim_of(claimed: Case, extraction: Extraction, sender: Sender) -> str:
    """The claim text for a case found by org number or name. The case found may have been merged
    into one without an organisation (cases/staff.py): then the message's own words name it."""
    org, info = claimed.organisation, extraction.organisation
    if org is None:
        return claim(info.name or info.org_number or "", info.org_number, sender)
    return claim(org.name, org.org_number or info.org_number, sender)


def _other_name(case: Case, extraction: Extraction) -> str | None:
    """One org number, two names: the same organisation under another name, or a quoted number."""
    org, name = case.organisation, extraction.organisation.name
    if org and org.name and name and not same_name(org.name, name):
        return f"this message names {name}, the case {org.name} (both org number {org.org_number})"
    return None


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def find_conversation_case(session: Session, mail: ParsedMail, prefix: str, key: bytes) -> Case | None:
    """The case a message answers (thread, reference or token), without guessing by organisation."""
    for finder in CONVERSATION_FINDERS:
        if (case := finder(session, mail, prefix, key)) is not None:
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


def _followed(session: Session, case: Case) -> Case:
    """A case merged into another sends its mail on to the surviving case."""
    seen = {case.id}
    while case.merged_into_id and case.merged_into_id not in seen:
        seen.add(case.merged_into_id)
        case = session.get_one(Case, case.merged_into_id)  # cases are never deleted
    return case


def _by_thread(session: Session, mail: ParsedMail, _prefix: str, _key: bytes) -> Case | None:
    ids = [i for i in (mail.in_reply_to, *mail.references) if i]
    if not ids:
        return None
    ours = session.scalar(select(OutgoingMail.case_id).where(OutgoingMail.message_id.in_(ids), OutgoingMail.case_id.is_not(None)).limit(1))
    theirs = ours or session.scalar(select(Message.case_id).where(Message.message_id_hash.in_([message_id_key(i) for i in ids]),
                                                                  Message.case_id.is_not(None)).limit(1))
    return session.get(Case, theirs) if theirs else None


def _by_reference(session: Session, mail: ParsedMail, prefix: str, _key: bytes) -> Case | None:
    # The subject only: a reference in a body is as often a quote or a copy-paste as an answer.
    for ref in references_in(mail.subject, prefix):
        case = session.scalar(select(Case).where(Case.reference == ref))
        if case is not None:
            return case
    return None


def _by_token(session: Session, mail: ParsedMail, _prefix: str, key: bytes) -> Case | None:
    for ref in references_in_tokens(f"{mail.text}\n{mail.html or ''}", key):
        case = session.scalar(select(Case).where(Case.reference == ref))
        if case is not None:
            return case
    return None


CONVERSATION_FINDERS: tuple[ConversationFinder, ...] = (_by_thread, _by_reference, _by_token)  # most certain first


def _by_org_number(session: Session, extraction: Extraction) -> list[Case]:
    number = extraction.organisation.org_number
    if not number:
        return []
    return _open_cases(session, select(Organisation.id).where(Organisation.org_number == number))


def _by_org_name(session: Session, extraction: Extraction) -> list[Case]:
    name = extraction.organisation.name
    orgs = organisations_named(session, name) if name else []
    return _open_cases(session, select(Organisation.id).where(Organisation.id.in_([org.id for org in orgs])))


def _open_cases(session: Session, organisations: Select[int]) -> list[Case]:
    """The organisations' cases, oldest first, each followed to where it was merged (once)."""
    cases = session.scalars(select(Case).where(Case.organisation_id.in_(organisations)).order_by(Case.id))
    return list(dict.fromkeys(_followed(session, case) for case in cases))
