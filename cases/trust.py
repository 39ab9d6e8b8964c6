"""Which senders may speak for a case: join it by org number or name, or change its contact.

Anyone can mail the board and write any organisation's name or public org number, so those
alone prove nothing. A sender is trusted for a case when the domain of its address is one of
the organisation's known domains (data/organisations.toml), the domain of a sender already seen
on the case or of the case's contact, or the board's own. For free-mail domains (gmail.com, ...)
only the very same address counts: a domain shared by millions proves nothing. Mail that failed
authentication (DMARC, per Authentication-Results of the board's own server) is trusted for nothing.

A case reference in a subject proves nothing either: references are numbered in order
(JS-2026-0001, JS-2026-0002, ...), so anyone can write one. A thread (In-Reply-To/References
to our mail) or the hidden token does: only someone who received our mail holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.names import same_name
from ingest.authentication import AuthResult
from ingest.extract.known import FREE_MAIL, KnownOrganisation, KnownOrganisations
from models import Case, Message, Organisation, OutgoingMail

# The blocker text classification records for mail that failed DMARC for its From domain
# (replies/plan.py sends such mail to a person); kept in Message.reasons as "reply blocked: <blocker>".
AUTH_FAILED = "authentication failed:"
CLAIM = "claims to be "  # names an organisation (org number, name) it may not speak for
ANSWER_CLAIM = "claims to answer "  # writes a case's reference in the subject, from an address the case does not trust
CLAIMS = (CLAIM, ANSWER_CLAIM)


@dataclass(frozen=True)
class Sender:
    address: str
    authenticated: bool = True  # False: the message failed DMARC

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2].lower()

    @classmethod
    def of(cls, address: str | None, auth: AuthResult | None) -> Sender:
        """`auth`: the message's Authentication-Results as our own server wrote them (ParsedMail.auth)."""
        return cls(address=(address or "").lower(), authenticated=auth is None or auth.failure() is None)

    @classmethod
    def of_stored(cls, message: Message) -> Sender:
        """The sender of a message already processed, from what was recorded of it."""
        return cls(address=(message.sender or "").lower(), authenticated=not authentication_failed(message))


def authentication_failed(message: Message) -> bool:
    """The stored message failed DMARC for its From domain at our own server (messages.auth)."""
    if message.auth is None:
        # Processed before Authentication-Results were recorded (schema 0003): the blocker
        # its classification kept is all there is.
        return any(reason.startswith(f"reply blocked: {AUTH_FAILED}") for reason in message.reasons or [])
    return stored_auth(message).failure() is not None


def stored_auth(message: Message) -> AuthResult:
    """messages.auth read back; keys a later version no longer has are left out."""
    known = {f.name for f in fields(AuthResult)}
    return AuthResult(**{key: value for key, value in (message.auth or {}).items() if key in known})


def trusted(session: Session, case: Case, sender: Sender, known: KnownOrganisations, *, exclude: int | None = None) -> bool:
    """Whether `sender` may speak for `case`; `exclude` is the message being applied (not yet 'seen')."""
    if not sender.authenticated or not sender.address:
        return False
    if known.is_own_address(sender.address):
        return True  # a colleague at the board forwarding or answering
    if sender.address in _seen_addresses(session, case, exclude):
        return True
    if sender.domain in FREE_MAIL:
        return False
    if sender.domain in _seen_domains(session, case, exclude):
        return True
    # A case opened by someone claiming the organisation is not the organisation's until a person says so.
    return not under_claim(case) and _known_domain_of(case, sender.domain, known)


def under_claim(case: Case) -> bool:
    """The case was opened by mail claiming an organisation it may not speak for, or to answer a
    case that does not trust its sender, and no person has settled that yet (cases/staff.py
    clears the item when the case leaves needs_review)."""
    return any(item.get("field") == "organisation" and item.get("reason", "").startswith(CLAIMS)
               for item in case.review or [])


def heard_from(session: Session, case: Case, address: str | None, *, exclude: int | None = None) -> bool:
    """The case already corresponds with this address: it wrote to the case, or we wrote to it."""
    address = (address or "").lower()
    if not address:
        return False
    query = select(Message.sender).where(Message.case_id == case.id)
    if exclude is not None:
        query = query.where(Message.id != exclude)
    if address in {sender.lower() for sender in session.scalars(query) if sender}:
        return True
    sent = session.scalars(select(OutgoingMail.recipients).where(OutgoingMail.case_id == case.id))
    return any(address == recipient.lower() for recipients in sent for recipient in recipients or [])


def _seen_addresses(session: Session, case: Case, exclude: int | None) -> set[str]:
    """Senders of the case's authenticated affiliation mail, and its active contact."""
    query = select(Message).where(Message.case_id == case.id, Message.kind == "affiliation")
    if exclude is not None:
        query = query.where(Message.id != exclude)
    seen = {m.sender.lower() for m in session.scalars(query) if m.sender and not authentication_failed(m)}
    contact = case.contact
    return seen | ({contact.email.lower()} if contact and contact.email else set())


def _seen_domains(session: Session, case: Case, exclude: int | None) -> set[str]:
    return {address.rpartition("@")[2] for address in _seen_addresses(session, case, exclude)} - FREE_MAIL


def claim(name: str, org_number: str | None, sender: Sender) -> str:
    """The review text for mail that names an organisation it may not speak for."""
    failed = "" if sender.authenticated else " (failed authentication)"
    return f"{CLAIM}{name} ({org_number or 'no org number'}) from {sender.domain or 'no sender'}{failed}"


def answer_claim(reference: str, sender: Sender) -> str:
    """The review text for mail that names a case in its subject from an address the case does not trust."""
    failed = "" if sender.authenticated else " (failed authentication)"
    return f"{ANSWER_CLAIM}{reference} from {sender.domain or 'no sender'}{failed}, by the case reference in its subject"


def unlisted_claim(org: Organisation | None, sender: Sender, known: KnownOrganisations) -> KnownOrganisation | None:
    """The known organisation (data/organisations.toml) a new case names, when the sender writes
    from none of its domains: the first mail about a municipality may come from anyone."""
    entry = next((e for e in known.organisations if org is not None and not e.self and _is(e, org)), None)
    if entry is None or known.is_own_address(sender.address):
        return None
    # Failed authentication is the DMARC blocker's to report (replies/plan.py); this is about the domain.
    return None if any(_within(sender.domain, d) for d in entry.domains) else entry


def _known_domain_of(case: Case, domain: str, known: KnownOrganisations) -> bool:
    """The domain is listed for the case's organisation in data/organisations.toml."""
    org, entry = case.organisation, known.by_domain(domain)
    return org is not None and entry is not None and not entry.self and _is(entry, org)


def _is(entry: KnownOrganisation, org: Organisation) -> bool:
    if entry.org_number and org.org_number:
        return entry.org_number == org.org_number
    return bool(org.name) and same_name(entry.name, org.name)


def _within(domain: str, listed: str) -> bool:
    return domain == listed or domain.endswith("." + listed)
