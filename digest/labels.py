"""Swedish words for what the database stores in English: types, statuses, fields, jobs, dates."""

from __future__ import annotations

from datetime import date, datetime

# Babel's CLDR data names the Swedish days and months (identical to the hand-kept lists for every
# day of 2026, README "Libraries, and why"); the digest no longer borrows them from replies/.
from babel.dates import format_date, format_datetime

ORGANISATION_TYPES = {
    "kommun": "Kommun",
    "region": "Region",
    "statlig_myndighet": "Statlig myndighet",
    "naringsliv": "Näringsliv",
    "civilsamhalle": "Civilsamhälle",
}
UNKNOWN_TYPE = "Typ okänd"

STATUSES = {
    "received": "Mottaget",
    "incomplete": "Ofullständigt",
    "complete": "Komplett",
    "invited": "Inbjuden till dialog",
    "booked": "Dialog bokad",
    "dialogue_held": "Dialog genomförd",
    "withdrawn": "Återkallat",
    "needs_review": "Behöver granskas",
}

FIELDS = {
    "decision": "beslutet",
    "decision.decided_by": "beslutande organ",
    "decision.date": "beslutsdatum",
    "decision.paragraph": "paragraf",
    "decision.case_number": "diarienummer",
    "contact": "kontaktperson",
    "contact.name": "kontaktpersonens namn",
    "contact.title": "kontaktpersonens titel",
    "contact.email": "kontaktpersonens e-postadress",
    "contact.phone": "kontaktpersonens telefonnummer",
    "organisation": "organisationen",
    "organisation.name": "organisationens namn",
    "organisation.org_number": "organisationsnummer",
    "organisation.type": "organisationstyp",
}

JOBS = {
    "poll": "Hämtning av e-post",
    "send": "Utskick av e-post",
    "digest": "Daglig sammanställning",
    "reminders": "Påminnelser",
    "retention": "Gallring av e-post",
}



def one_line(text: str | None) -> str | None:
    """Extracted names may carry line breaks; a list shows them on one line."""
    return " ".join(text.split()) if text else text


def organisation_type(value: str | None) -> str:
    return ORGANISATION_TYPES.get(value or "", UNKNOWN_TYPE)


def status(value: str) -> str:
    return STATUSES.get(value, value)


def field(value: str) -> str:
    return FIELDS.get(value, value)


def job(value: str) -> str:
    return JOBS.get(value, f"Jobbet {value}")


def long_date(day: date) -> str:
    """'torsdag 12 mars 2026'."""
    return format_date(day, "EEEE d MMMM y", locale="sv")


def short_date(day: date) -> str:
    """'12 mars' (of a datetime: its own calendar day, not converted)."""
    return format_date(day, "d MMMM", locale="sv")


def moment(at: datetime) -> str:
    """A local time for people: 'onsdag 11 mars kl. 07.30' (Swedish writes 07.30). The clock time is
    written as given (no tzinfo passed, so Babel converts nothing): callers pass the board's local time."""
    return format_datetime(at, "EEEE d MMMM 'kl.' HH.mm", locale="sv")


def count(n: int, one: str, many: str) -> str:
    """'1 ny anslutning', '2 nya anslutningar'."""
    return f"{n} {one if n == 1 else many}"
