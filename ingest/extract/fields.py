"""Pure functions that find one field in text: dates, §, case numbers, bodies, org numbers, phones, e-mails."""

from __future__ import annotations

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email
from stdnum.se import orgnr

MONTHS = {m: i for i, m in enumerate(["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                                       "september", "oktober", "november", "december"], 1)}
ISO_DATE = re.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b")
# "12 mars 2024" and the abbreviations Outlook and minutes use: "3 apr. 2024", "3 apr 2024"
WORD_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?\s+(20\d\d)\b", re.I)
SLASH_DATE = re.compile(r"\b(?:den\s+)?(\d{1,2})/(\d{1,2})\s*[-/ ]?\s*(20\d\d)\b", re.I)
DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(20\d\d)\b")
DATE_LABEL = re.compile(r"(sammanträdesdatum|beslutsdatum|mötesdatum|datum)\s*:?\s*", re.I)
PARAGRAPH = re.compile(r"(?:§|\bParagraf:?)\s*(\d{1,4})\b", re.I)
TOPIC = re.compile(r"jämställdhet|anslut", re.I)
# A diarienummer: optional letters (KS, BUN, Af-, FK, MDU), then year/number in the forms municipalities,
# regions and agencies use: "KS 2024/123", "KS.2024.0142", "Af-2024/0012 3456", "RV240345", "A123.456/2024",
# "8-2548213", "2024-012345". The Af form ends in a 4-digit group after a space.
CASE = (r"(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}[ .\-]?)?(?:\d{1,4}[/.\-:]\d{1,8}(?:[/.]\d{2,4})?(?: \d{4}(?![\d\-/.:]))?"
        r"|\d{6,8})(?:-\d(?:\.\d+){1,3})?(?![\w/])")  # "-1.1.3": a filing-plan code that is part of the number
CASE_LABELLED = re.compile(r"\b(?:dnr|diarienummer|diarienr|saknr|ärendenr|ärendenummer|d\.nr|ärende)\.?\s*:?\s*(" + CASE + ")",
                           re.I)
CASE_BARE = re.compile(r"\b((?:KS|KF|RS|RF|SN|BUN|Af)[ .\-]?20\d\d[/.]\d{1,8}|RV\d{6})\b")
# The deciding body as written; "Barn- och utbildningsnämnden" keeps its hyphen and "och". Any
# "...styrelsen", "...ledningen", "...rådet", "...stämman", "...fullmäktige" is a body (Avdelnings-,
# Förbunds-, Kommunstyrelsen; Koncernledningen; Kyrkorådet; Föreningsstämman). Spaces may be runs:
# justified PDF text reads "Vård-  och  omsorgsnämnden  beslutar".
BODY = re.compile(r"\b(Verkställande\s+direktören|Styrelsen|Ledningsgruppen|Ledningen|Direktionen|Rektor|Årsmötet|"
                  r"Församlingsmötet|Medlemsmötet|Stämman|"
                  r"(?!Inledning|Vägledning)[A-ZÅÄÖ][a-zåäö]*(?:styrelsen|ledningen|ledningsgruppen|stämman|fullmäktige|"
                  r"chefen|direktören)|[A-ZÅÄÖ][a-zåäö]+[so]rådet|"  # Kyrkorådet, Pensionärsrådet; not "Området"
                  r"(?:[A-ZÅÄÖ][a-zåäö]+-\s+och\s+[a-zåäö]+|[A-ZÅÄÖ][a-zåäö\-]+)nämnden)\b")
# A meeting named where a body is expected ("på vårt styrelsemöte", "På församlingsmötet"):
# the body that met. A board's meeting is the board's; a members' meeting is itself the body.
MEETING = re.compile(r"\b(?:på|vid)\s+(?:vårt|sitt|dess|föreningens|bolagets|ett|det)?\s*"
                     r"(styrelse|års|församlings|medlems|förenings|bolags)(möte|sammanträde|stämma)", re.I)
ORG_NUMBER = re.compile(r"\b(\d{6})[- ]?(\d{4})\b")
PHONE_CANDIDATE = re.compile(r"(?<![\d\w])(\+46[\s\d\-()]{7,16}\d|0\d{1,3}[\s\-/]?\d[\d\s\-]{4,12}\d)")
# The look-behind lets a match start only where a run of address characters starts: without it an
# 80,000-character word without "@" was tried from every one of its positions (quadratic).
EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def find_date(text: str) -> date | None:
    """A labelled date first (Sammanträdesdatum, Datum), then the first date in the text."""
    labelled = DATE_LABEL.search(text)
    if labelled:
        found = parse_date(text[labelled.end():labelled.end() + 40])
        if found:
            return found
    return parse_date(text)


DATE_FORMS = ((ISO_DATE, "ymd"), (WORD_DATE, "dMy"), (SLASH_DATE, "dmy"), (DOTTED_DATE, "dmy"))


def parse_date(text: str) -> date | None:
    valid = dates_in(text)
    return valid[0][1] if valid else None


def dates_in(text: str) -> list[tuple[int, date]]:
    """Every valid full date (with its year) in the text, as (position, date), in text order."""
    candidates = [(m.start(), _to_date(m.groups(), order)) for pattern, order in DATE_FORMS for m in pattern.finditer(text)]
    return sorted((pos, d) for pos, d in candidates if d)


def _to_date(groups, order) -> date | None:
    try:
        if order == "ymd":
            return date(int(groups[0]), int(groups[1]), int(groups[2]))
        month = _month(groups[1]) if order == "dMy" else int(groups[1])
        return date(int(groups[2]), month, int(groups[0]))
    except (ValueError, KeyError):
        return None


def _month(word: str) -> int:
    word = word.lower()
    return MONTHS.get(word) or next(number for name, number in MONTHS.items() if name.startswith(word[:3]))


def find_paragraph(text: str, cited_in: str = "") -> str | None:
    """The § of the affiliation item. In minutes with several items: the § the mail cites
    ("se § 9"), else the item that speaks of the strategy or joining, else the first."""
    found = list(PARAGRAPH.finditer(text))
    if not found:
        return None
    numbers = [m.group(1) for m in found]
    cited = [m.group(1) for m in PARAGRAPH.finditer(cited_in) if m.group(1) in numbers]
    if cited:
        return f"§ {cited[0]}"
    for m, following in zip(found, [*found[1:], None], strict=True):
        section = text[m.end():following.start() if following else len(text)]
        if TOPIC.search(section):
            return f"§ {m.group(1)}"
    return f"§ {numbers[0]}"


def find_case_number(text: str) -> str | None:
    m = CASE_LABELLED.search(text)
    if m and re.search(r"\d{2}", m.group(1)):
        return m.group(1).strip(" .:")
    m = CASE_BARE.search(text)
    return m.group(1) if m else None


def find_deciding_body(text: str) -> str | None:
    """The body that took the decision to join, not one named in the case's background: first a
    body that decides, in the present tense, to join ("Vård- och omsorgsnämnden beslutar att
    ansluta ..."), then one that decided to join ("Styrelsen beslutade att föreningen ansluter"),
    then any body that decides, then a meeting ("på vårt styrelsemöte"), then the first body named."""
    for verb in ("beslutar", "beslutade"):
        joined = re.search(rf"({BODY.pattern})\s+{verb}\s+att\b[^§]{{0,250}}?\bansl", text)
        if joined:
            return _one_line(joined.group(1))
    decided = re.search(r"(" + BODY.pattern + r")\s+beslut(?:ar|ade)", text)
    if decided:
        return _one_line(decided.group(1))
    meeting = MEETING.search(text)
    if meeting:
        return meeting_body(meeting.group(1), meeting.group(2))
    m = BODY.search(text)
    return _one_line(m.group(1)) if m else None


def meeting_body(kind: str, meeting: str) -> str:
    """("styrelse", "möte") -> "Styrelsen"; ("församlings", "möte") -> "Församlingsmötet"."""
    if kind.lower() == "styrelse":
        return "Styrelsen"
    definite = {"möte": "mötet", "sammanträde": "sammanträdet", "stämma": "stämman"}[meeting.lower()]
    return (kind + definite).capitalize()


def _one_line(name: str) -> str:
    return " ".join(name.split())


def org_number_ok(number: str) -> bool:
    """python-stdnum's check of a Swedish organisation number (ten digits, Luhn check digit);
    "556183-2147", "5561832147" and "556183 2147" are the same number."""
    return orgnr.is_valid(number)


def find_org_numbers(text: str) -> tuple[list[str], list[str]]:
    """(valid, invalid) org numbers in NNNNNN-NNNN form; the third digit of a valid one is >= 2."""
    valid: list[str] = []
    invalid: list[str] = []
    for m in ORG_NUMBER.finditer(text):
        digits = m.group(1) + m.group(2)
        if int(digits[2]) < 2:
            continue  # a personal identity number or a date, not an organisation
        (valid if org_number_ok(digits) else invalid).append(orgnr.format(digits))
    return valid, invalid


SWITCHBOARD = re.compile(r"\b(växel|vx|växelnummer|switchboard)\b", re.I)


def find_phones(text: str) -> list[tuple[str, bool]]:
    """Every valid number as (E.164, is_switchboard); a switchboard is labelled "Växel" on its line."""
    import phonenumbers  # here: the configuration imports this module, and a poll with nothing new reads no phone number

    found = []
    for m in PHONE_CANDIDATE.finditer(text or ""):
        try:
            number = phonenumbers.parse(m.group(1), "SE")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            line_start = text.rfind("\n", 0, m.start()) + 1
            found.append((phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                          bool(SWITCHBOARD.search(text[line_start:m.start()]))))
    return found


def normalise_phone(text: str) -> str | None:
    """The first direct number; the switchboard only when there is nothing else."""
    phones = find_phones(text or "")
    direct = [number for number, switchboard in phones if not switchboard]
    return next(iter(direct or [number for number, _ in phones]), None)


def normalise_email(text: str) -> str | None:
    for m in EMAIL.finditer(text or ""):
        try:
            return validate_email(m.group(0).strip("."), check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            continue
    return None
