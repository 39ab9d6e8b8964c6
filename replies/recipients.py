"""Whom automatic mail may go to without a person: the rules, each a small named check.

Automatic mail goes without a person's approval only to
  - the sender of the message it answers (for a reminder: the case's sender), and addresses
    the case already mailed (allowed then, or approved by a person);
  - addresses in the sender's own domain (or a subdomain of it), unless that is a free-mail
    domain such as gmail.com, where one address says nothing about another;
  - addresses in the known domains of the case's organisation (data/organisations.toml),
    found by the case's org number, its exact name, or the sender's domain.
Any other address is *held* for a person. Two caps per 24 hours hold mail too:
`max_recipients_per_sender_per_day` different addresses one incoming sender can make us mail
(the sender included) and `max_automatic_per_day` automatic mails in all. Held is never
dropped: `inbox outbox approve ID` sends it, `reject ID` cancels it. Mail a person asked
for (bookings, `--invite`) is not subject to these rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inbox.context import AppContext
from ingest.extract import known_organisations_for
from ingest.extract.known import FREE_MAIL
from models import Case, Message, OutboxStatus, OutgoingMail

# Rows that never mailed anyone do not count towards a cap or as "already mailed".
NOT_MAILED = (OutboxStatus.HELD, OutboxStatus.CANCELLED)
# Mail to staff is not an automatic answer to anyone.
STAFF_TEMPLATES = frozenset({"digest"})

OUTSIDE = "recipient"
SENDER_CAP = "sender_cap"
DAILY_CAP = "daily_cap"


@dataclass(frozen=True)
class Hold:
    address: str
    kind: str  # OUTSIDE, SENDER_CAP or DAILY_CAP
    reason: str  # for the event, the outbox list and the digest


def holds(ctx: AppContext, session: Session, case: Case, sender: str | None, addresses: list[str]) -> list[Hold]:
    """Which of `addresses` (lower-case, deduplicated) must wait for a person, in the order the rules apply."""
    since = ctx.clock() - timedelta(hours=24)
    held = [Hold(a, OUTSIDE, "not the sender and not in the sender's or the organisation's domains")
            for a in addresses if not _trusted(ctx, session, case, sender, a)]
    remaining = [a for a in addresses if a not in {h.address for h in held}]
    held += _over_sender_cap(ctx, session, sender, remaining, since)
    remaining = [a for a in remaining if a not in {h.address for h in held}]
    return held + _over_daily_cap(ctx, session, remaining, since)


def _trusted(ctx: AppContext, session: Session, case: Case, sender: str | None, address: str) -> bool:
    if address in {(sender or "").lower(), (case.sender or "").lower()}:
        return True
    domain = address.rpartition("@")[2]
    if _same_domain(domain, sender) or any(_within(domain, d) for d in organisation_domains(ctx, case, sender)):
        return True
    return address in already_mailed(session, case)


def _same_domain(domain: str, sender: str | None) -> bool:
    own = (sender or "").rpartition("@")[2].lower()
    return bool(own) and own not in FREE_MAIL and _within(domain, own)


def _within(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def organisation_domains(ctx: AppContext, case: Case, sender: str | None) -> set[str]:
    """The known mail domains of the case's organisation (never the board's own)."""
    org = case.organisation
    name = " ".join((org.name or "").lower().split()) if org else ""
    number = org.org_number if org else None
    sender_domain = (sender or "").rpartition("@")[2].lower()
    found: set[str] = set()
    for known in known_organisations_for(ctx).organisations:
        if known.self:
            continue
        if (number and known.org_number == number) or (name and " ".join(known.name.lower().split()) == name) \
                or (sender_domain and any(_within(sender_domain, d.lower()) for d in known.domains)):
            found.update(d.lower() for d in known.domains)
    return found - FREE_MAIL


def already_mailed(session: Session, case: Case) -> set[str]:
    """Addresses mail on this case went to (the rules allowed them, or a person approved them)."""
    rows = session.scalars(select(OutgoingMail.recipients).where(OutgoingMail.case_id == case.id, OutgoingMail.status.not_in(NOT_MAILED)))
    return {a.lower() for recipients in rows for a in recipients}


def _over_sender_cap(ctx: AppContext, session: Session, sender: str | None, addresses: list[str], since: datetime) -> list[Hold]:
    if not sender:
        return []
    cap = ctx.settings.replies.max_recipients_per_sender_per_day
    mailed = addresses_mailed_for(session, sender, since)
    held = []
    for address in addresses:
        if address in mailed:
            continue
        if len(mailed) >= cap:
            held.append(Hold(address, SENDER_CAP, f"{sender} already made us mail {cap} different addresses in 24 hours (cap)"))
        else:
            mailed.add(address)
    return held


def addresses_mailed_for(session: Session, sender: str, since: datetime) -> set[str]:
    """The different addresses automatic mail went to in answer to `sender` since `since`
    (a reply without a cause, such as a reminder, counts for the case's sender)."""
    rows = session.execute(
        select(OutgoingMail.recipients, Message.sender, Case.sender)
        .outerjoin(Message, Message.id == OutgoingMail.cause_message_pk)
        .outerjoin(Case, Case.id == OutgoingMail.case_id)
        .where(*_automatic_since(since))
    )
    wanted = sender.lower()
    return {a.lower() for recipients, cause_sender, case_sender in rows
            if (cause_sender or case_sender or "").lower() == wanted for a in recipients}


def _over_daily_cap(ctx: AppContext, session: Session, addresses: list[str], since: datetime) -> list[Hold]:
    cap = ctx.settings.replies.max_automatic_per_day
    if not addresses or session.execute(select(func.count()).select_from(OutgoingMail).where(*_automatic_since(since))).scalar_one() < cap:
        return []
    return [Hold(a, DAILY_CAP, f"{cap} automatic mails were queued in 24 hours (the daily cap)") for a in addresses]


def _automatic_since(since: datetime) -> tuple:
    return (OutgoingMail.created_at > since, OutgoingMail.automatic.is_(True),
            OutgoingMail.status.not_in(NOT_MAILED), OutgoingMail.template.not_in(STAFF_TEMPLATES))
