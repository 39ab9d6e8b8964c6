"""The variables every reply template gets, built from a case. One place, so templates agree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import phonenumbers

from cases.reference import case_token, token_key
from inbox.config import Settings
from models import Case
from replies.inert import defang

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")


def board_variables(settings: Settings) -> dict:
    replies = settings.replies
    return {
        "name": replies.board_name,
        "address": replies.board_address,
        "mailbox": settings.smtp.sender_address,
        "contact_addresses": list(replies.contact_addresses),
        "privacy_notice": replies.privacy_notice,
        "privacy_url": replies.privacy_url,
    }


def case_variables(case: Case, settings: Settings) -> dict:
    """Text from mail is defanged here already (replies.inert), so a template that forgets `|inert`
    still puts no link in our mail; templates apply `|inert` anyway (idempotent, and in HTML it escapes)."""
    org = case.organisation
    contact = case.contact
    decision = case.decision
    return {
        "board": board_variables(settings),
        "case": {"reference": case.reference, "status": case.status.value},
        "organisation": {"name": _inert(org.name if org else None), "org_number": _inert(org.org_number if org else None)},
        "contact": {
            "name": _inert(contact.name if contact else None),
            "title": _inert(contact.title if contact else None),
            "email": contact.email if contact else None,  # a registered address: shown as is, through |address
            "phone": _inert(display_phone(contact.phone) if contact else None),
        },
        "missing": list(case.missing or []),
        "decision_summary": defang(decision_summary(decision)),
        "contact_summary": contact_summary(contact, defang),
        "token": case_token(case.reference, token_key(settings.path(settings.service.data_dir))),
        "automatic": True,  # enqueue sets it from the reply; False when a person asked for the mail
    }


def _inert(text: str | None) -> str | None:
    return defang(text) if text else text


def swedish_datetime(moment: datetime, zone: ZoneInfo) -> str:
    """'tisdag den 12 maj 2026 kl. 10.00' in the board's time zone (Swedish style: den, kl. and a dot);
    reads right both in a list and in a sentence ("Dialogmötet tisdag den 12 maj ... är inställt")."""
    local = moment.astimezone(zone)
    return f"{WEEKDAYS[local.weekday()]} den {local.day} {MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


def swedish_date(moment: datetime, zone: ZoneInfo) -> str:
    """'12 mars 2026' in the board's time zone."""
    local = moment.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


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


def contact_summary(contact, clean: Callable[[str | None], str | None] = lambda text: text) -> str:
    """'Anna Lind, utvecklingsledare, anna.lind@koping.se, 0221-25 10 00'; `clean` is applied to
    everything but the address (replies.inert.defang, where the summary goes into mail)."""
    if contact is None:
        return "–"
    parts = [clean(contact.name), clean(contact.title), contact.email, clean(display_phone(contact.phone))]
    return ", ".join(p for p in parts if p) or "–"


def display_phone(number: str | None) -> str | None:
    """'+46221251000' (stored, E.164) as people in Sweden write it: '0221-25 10 00'."""
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number, "SE")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def sample_variables(settings: Settings) -> dict:
    """Data for rendering every template once at start-up (with the personal link, so its branch renders too)."""
    portal = {"portal_url": settings.portal_base_url() + "/anslutning/1-" + "0" * 32, "portal_valid_until": "12 juli 2026"}
    return {
        "board": board_variables(settings),
        "case": {"reference": f"{settings.service.case_prefix}-2024-0001", "status": "complete"},
        "organisation": {"name": "Exempels kommun", "org_number": "212000-0000"},
        "contact": {"name": "Anna Andersson", "title": "Utvecklingsledare", "email": "anna@example.se", "phone": "021-123 45 67"},
        "missing": ["decision", "contact"],
        "decision_summary": "Kommunstyrelsen 2024-03-12 § 45, dnr KS 2024/123",
        "contact_summary": "Anna Andersson, Utvecklingsledare, anna@example.se, 021-123 45 67",
        "token": f"strategy-inbox-token:{settings.service.case_prefix}-2024-0001.0000000000000000",
        "automatic": True,
        "trusted_sender": True,  # received_on_case: the sender may be told the organisation and contact on record
        "invitation": {"booking_link": None, "slots": ["tisdag den 12 maj 2026 kl. 10.00"], "minutes": 60, **portal},
        "meeting": {"when": "tisdag den 12 maj 2026 kl. 10.00", "place": "Länsstyrelsen, Västerås", "link": None,
                    "minutes": 60, "change": "new", "previous": None, **portal},
        "reminder": {"number": 1, "requested_on": "12 mars 2026"},
    }
