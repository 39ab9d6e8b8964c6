"""The variables every reply template gets, built from a case. One place, so templates agree."""

from __future__ import annotations

from inbox.config import Settings
from models import Case


def board_variables(settings: Settings) -> dict:
    replies = settings.replies
    return {
        "name": replies.board_name,
        "address": replies.board_address,
        "mailbox": settings.smtp.sender_address,
        "contact_addresses": list(replies.contact_addresses),
    }


def case_variables(case: Case, settings: Settings) -> dict:
    org = case.organisation
    contact = case.contact
    decision = case.decision
    return {
        "board": board_variables(settings),
        "case": {"reference": case.reference, "status": case.status.value},
        "organisation": {"name": org.name if org else None, "org_number": org.org_number if org else None},
        "contact": {
            "name": contact.name if contact else None,
            "title": contact.title if contact else None,
            "email": contact.email if contact else None,
            "phone": contact.phone if contact else None,
        },
        "missing": list(case.missing or []),
        "decision_summary": decision_summary(decision),
        "contact_summary": contact_summary(contact),
    }


def decision_summary(decision) -> str:
    if decision is None:
        return "–"
    parts = [decision.decided_by or "beslut"]
    if decision.decision_date:
        parts.append(decision.decision_date.isoformat())
    if decision.paragraph:
        parts.append(decision.paragraph)
    text = " ".join(parts)
    if decision.case_number:
        text += f", dnr {decision.case_number}"
    if decision.filename:
        text += f" ({decision.filename})"
    return text


def contact_summary(contact) -> str:
    if contact is None:
        return "–"
    parts = [contact.name, contact.title, contact.email, contact.phone]
    return ", ".join(p for p in parts if p) or "–"


def sample_variables(settings: Settings) -> dict:
    """Data for rendering every template once at start-up."""
    return {
        "board": board_variables(settings),
        "case": {"reference": f"{settings.service.case_prefix}-2024-0001", "status": "complete"},
        "organisation": {"name": "Exempels kommun", "org_number": "212000-0000"},
        "contact": {"name": "Anna Andersson", "title": "Utvecklingsledare", "email": "anna@example.se", "phone": "+46211234567"},
        "missing": ["decision", "contact"],
        "decision_summary": "Kommunstyrelsen 2024-03-12 § 45, dnr KS 2024/123",
        "contact_summary": "Anna Andersson, Utvecklingsledare, anna@example.se, +46211234567",
    }
