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


# -- a case's history and evidence (the workspace's case page) ----------------------------------

EVENTS = {
    "case_created": "Ärendet skapades",
    "message_joined": "E-post kopplades till ärendet",
    "answer_to_read": "Svar att läsa",
    "join_refused": "E-post kopplades inte till ärendet",
    "identity_review": "Avsändaren behöver kontrolleras",
    "decision_added": "Beslut mottaget",
    "decision_corrected": "Beslutet rättades",
    "organisation_corrected": "Organisationen rättades",
    "contact_added": "Kontaktperson tillagd",
    "contact_completed": "Kontaktpersonens uppgifter kompletterades",
    "contact_replaced": "Ny kontaktperson",
    "contact_candidate": "Möjlig kontaktperson att bekräfta",
    "contact_corrected": "Kontaktpersonen rättades",
    "contact_confirmed": "Kontaktperson bekräftad",
    "contact_rejected": "Kontaktperson avvisad",
    "contact_not_restored": "Raderad kontaktperson återställdes inte",
    "contact_erased": "Kontaktuppgifter raderade på begäran",
    "status_changed": "Status ändrad",
    "note": "Anteckning",
    "dialogue_notes": "Anteckningar från dialogen",
    "case_merged": "Ärenden sammanfogades",
    "meeting_booked": "Dialogmöte bokat",
    "meeting_moved": "Dialogmöte flyttat",
    "meeting_cancelled": "Dialogmöte avbokat",
    "invitation_held": "Inbjudan väntar på godkännande",
    "invitation_not_sent": "Inbjudan skickades inte",
    "reply_queued": "Svar lagt i utkorgen",
    "reply_held": "Svar väntar på godkännande",
    "reply_approved": "Svar godkänt",
    "reply_rejected": "Svar stoppat",
    "reply_sent": "Svar skickat",
    "reply_failed": "Svar kunde inte skickas",
    "reply_refused": "Mottagaren nekade svaret",
    "reply_uncertain": "Osäkert om svaret kom fram",
    "reply_requeued": "Svar köat igen",
    "reply_retry": "Nytt försök att skicka",
    "reply_suppressed": "Svar skickades inte",
    "reply_rate_limited": "Svar hölls tillbaka (för många mejl)",
    "reply_bounced": "Svar studsade",
    "bounce_unverified": "Studs som inte kunde kontrolleras",
    "undeliverable_cleared": "Adress godkänd igen",
    "reminder_queued": "Påminnelse lagd i utkorgen",
    "auto_reply_received": "Autosvar mottaget",
    "mail_defect": "Fel i e-postens format",
    "reprocessed": "E-posten lästes om",
    "quarantined": "E-post satt i karantän",
    "not_an_affiliation": "Inte en anslutning",
    "person_erased": "Personuppgifter raderade",
    "resolved": "Markerat som klart",
    "portal_link_made": "Personlig länk skapad",
    "portal_link_revoked": "Personlig länk dragen tillbaka",
    "portal_opened": "Organisationen öppnade sin sida",
    "portal_booked": "Organisationen bokade en tid",
    "portal_booking_refused": "Organisationens bokning gick inte",
    "portal_other_times_asked": "Organisationen ber om andra tider",
    "portal_answers_saved": "Organisationen sparade sina svar",
    "portal_refused": "Den personliga länken nekades",
    "portal_input_refused": "Organisationens formulär behövde rättas",
    "dialogue_recorded": "Dialogmötet dokumenterat",
}

CONTACT_STATUSES = {"active": "Gällande", "candidate": "Att bekräfta", "superseded": "Ersatt", "rejected": "Avvisad"}

CONTACT_SOURCES = {
    "labelled": "Angiven som kontaktperson i mejlet",
    "prose": "Nämnd i mejlets text",
    "signature": "Ur en signatur",
    "sender": "Avsändarens namn och adress",
    "staff": "Rättad av handläggare",
    "erased": "Raderad på begäran",
}

TEXT_SOURCES = {
    "pdf_text": "PDF-filens text",
    "docx": "Word-dokumentets text",
    "odt": "OpenDocument-filens text",
    "ocr": "inskannad bild, läst med teckenigenkänning (OCR)",
    "body": "mejlets text",
    "staff": "inskrivet av handläggare",
}

OUTBOX_STATUSES = {
    "pending": "Väntar på att skickas",
    "sending": "Skickas",
    "sent": "Skickat",
    "failed": "Misslyckades",
    "uncertain": "Osäkert om det kom fram",
    "held": "Väntar på godkännande",
    "cancelled": "Stoppat",
}

REPLIES = {
    "acknowledgement": "Bekräftelse på anslutning",
    "request_missing": "Begäran om komplettering",
    "reminder": "Påminnelse",
    "invitation": "Inbjudan till dialogmöte",
    "booking_confirmation": "Bekräftelse av dialogmöte",
    "received_on_case": "Mottagningskvitto",
    "digest": "Daglig sammanställning",
}


def event(action: str) -> str:
    """An event's action in Swedish; an action without a word yet is shown by its code."""
    return EVENTS.get(action, f"Händelse ({action})")


def contact_status(value: str | None) -> str:
    return CONTACT_STATUSES.get(value or "active", value or "")


def contact_source(value: str | None) -> str:
    return CONTACT_SOURCES.get(value or "", "Hittad av en regel" if value else "Okänd källa")


def text_source(value: str | None) -> str:
    return TEXT_SOURCES.get(value or "", value or "okänd källa")


def outbox_status(value: str) -> str:
    return OUTBOX_STATUSES.get(value, value)


def reply(template: str) -> str:
    return REPLIES.get(template, template)


# -- why a meeting time needs confirming (cases/booking.py Concern codes) ------------------------

WEEKDAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def booking_concern(code: str, detail: str | None) -> str:
    """'är en lördag', 'är midsommarafton, inte en arbetsdag': completes a sentence about the time."""
    if code == "past":
        return "har redan varit"
    if code == "weekend":
        return f"är en {WEEKDAY_NAMES[int(detail or 5)]}"
    if code == "holiday":
        return f"är {detail}, inte en arbetsdag"
    if code == "before_hours":
        return f"börjar före kontorstid ({detail})"
    if code == "after_hours":
        return f"slutar efter kontorstid ({detail})"
    return f"är ovanlig ({code})"


def dated_moment(at: datetime) -> str:
    """'11 mars 2026 kl. 07.30': a moment in a history that may span years (local time given, as for `moment`)."""
    return format_datetime(at, "d MMMM y 'kl.' HH.mm", locale="sv")
