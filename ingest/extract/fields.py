"""Pure functions that find one field in text: dates, §, case numbers, bodies, org numbers, phones, e-mails."""

from __future__ import annotations

import re
from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MONTHS = {m: i for i, m in enumerate(["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                                       "september", "oktober", "november", "december"], 1)}
ISO_DATE = re.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b")
WORD_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(20\d\d)\b", re.I)
SLASH_DATE = re.compile(r"\b(?:den\s+)?(\d{1,2})/(\d{1,2})\s*[- ]?\s*(20\d\d)\b", re.I)
DATE_LABEL = re.compile(r"(sammanträdesdatum|beslutsdatum|mötesdatum|datum)\s*:?\s*", re.I)
PARAGRAPH = re.compile(r"§\s*(\d{1,4})")
CASE_LABELLED = re.compile(r"\b(?:dnr|diarienummer|diarienr|saknr|ärendenr|ärendenummer|d\.nr)\.?\s*:?\s*([A-ZÅÄÖa-zåäö]{0,6}[ .\-]?\d{2,4}[/.\-:]?\d{0,6}(?:[ ]\d{2,5})?)", re.I)
CASE_BARE = re.compile(r"\b((?:KS|KF|RS|RF|SN|BUN|Af)[ .\-]?20\d\d[/.]\d{1,5}|RV\d{6})\b")
BODY = re.compile(r"\b(Kommunstyrelsen|Kommunfullmäktige|Regionstyrelsen|Regionfullmäktige|Förbundsstyrelsen|"
                  r"Ledningsgruppen|Länsledningen|Styrelsen|Årsmötet|Föreningsstämman|Bolagsstämman|"
                  r"[A-ZÅÄÖ][a-zåäö\-]+nämnden|Ledningen|Direktionen)\b")
ORG_NUMBER = re.compile(r"\b(\d{6})[- ]?(\d{4})\b")
PHONE_CANDIDATE = re.compile(r"(?<![\d\w])(\+46[\s\d\-()]{7,16}\d|0\d{1,3}[\s\-/]?\d[\d\s\-]{4,12}\d)")
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def find_date(text: str) -> date | None:
    """A labelled date first (Sammanträdesdatum, Datum), then the first date in the text."""
    labelled = DATE_LABEL.search(text)
    if labelled:
        found = parse_date(text[labelled.end():labelled.end() + 40])
        if found:
            return found
    return parse_date(text)


def parse_date(text: str) -> date | None:
    candidates = []
    for pattern, order in ((ISO_DATE, "ymd"), (WORD_DATE, "dMy"), (SLASH_DATE, "dmy")):
        for m in pattern.finditer(text):
            candidates.append((m.start(), _to_date(m.groups(), order)))
    valid = sorted((pos, d) for pos, d in candidates if d)
    return valid[0][1] if valid else None


def _to_date(groups, order) -> date | None:
    try:
        if order == "ymd":
            return date(int(groups[0]), int(groups[1]), int(groups[2]))
        month = MONTHS[groups[1].lower()] if order == "dMy" else int(groups[1])
        return date(int(groups[2]), month, int(groups[0]))
    except (ValueError, KeyError):
        return None


def find_paragraph(text: str) -> str | None:
    m = PARAGRAPH.search(text)
    return f"§ {m.group(1)}" if m else None


def find_case_number(text: str) -> str | None:
    m = CASE_LABELLED.search(text)
    if m and re.search(r"\d{2}", m.group(1)):
        return m.group(1).strip(" .:")
    m = CASE_BARE.search(text)
    return m.group(1) if m else None


def find_deciding_body(text: str) -> str | None:
    decided = re.search(r"(" + BODY.pattern + r")\s+beslut(?:ar|ade)", text)
    m = decided or BODY.search(text)
    return m.group(1) if m else None


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def find_org_numbers(text: str) -> tuple[list[str], list[str]]:
    """(valid, invalid) org numbers in NNNNNN-NNNN form; the third digit of a valid one is >= 2."""
    valid, invalid = [], []
    for m in ORG_NUMBER.finditer(text):
        digits = m.group(1) + m.group(2)
        if int(digits[2]) < 2:
            continue  # a personal identity number or a date, not an organisation
        (valid if luhn_ok(digits) else invalid).append(f"{m.group(1)}-{m.group(2)}")
    return valid, invalid


def normalise_phone(text: str) -> str | None:
    for m in PHONE_CANDIDATE.finditer(text or ""):
        try:
            number = phonenumbers.parse(m.group(1), "SE")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def normalise_email(text: str) -> str | None:
    for m in EMAIL.finditer(text or ""):
        try:
            return validate_email(m.group(0).strip("."), check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            continue
    return None
