"""The data every example is built from, and the labels (`expected.json`) it yields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone

BOARD = "vastmanland@lansstyrelsen.se"
BOARD_NAME = "Länsstyrelsen Västmanland"
STRATEGY = "Jämställdhetsstrategi för Västmanlands län 2024–2027"
SUBJECT = "Anslutning till jämställdhetsstrategin"
CET, CEST = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Org:
    name: str
    type: str  # kommun | region | statlig_myndighet | naringsliv | civilsamhalle
    org_number: str | None = None  # only when the mail or its attachment states it


@dataclass(frozen=True)
class Person:
    name: str
    title: str | None
    email: str
    phone: str | None  # as written in the mail; expected.json gets E.164


@dataclass(frozen=True)
class Decision:
    organ: str  # "Kommunstyrelsen", "Regionstyrelsen", "Ledningsgruppen", "Styrelsen", "Årsmötet"
    day: date
    paragraph: str  # "§ 45"
    case_number: str | None
    filename: str
    date_style: str = "iso"  # iso | long | den | weekday
    pages: int = 1
    fmt: str = "pdf"  # pdf | docx
    decision_text: str = ""  # the "Beslut" paragraph; default built from the organ
    extra_clauses: tuple[str, ...] = ()

    @property
    def text_source(self) -> str:
        return "docx" if self.fmt == "docx" else "pdf_text"


@dataclass
class Example:
    filename: str
    summary: str
    kind: str
    subject: str
    sender: str
    raw: bytes
    org: Org | None = None
    decision: Decision | None = None
    contact: Person | None = None
    missing: list[str] = field(default_factory=list)

    def expected(self) -> dict:
        d, c, o = self.decision, self.contact, self.org
        return {
            "kind": self.kind,
            "subject": self.subject,
            "sender": self.sender.lower(),
            "organisation": {
                "name": o.name if o else None,
                "org_number": o.org_number if o else None,
                "type": o.type if o else None,
            },
            "decision": {
                "present": d is not None,
                "filename": d.filename if d else None,
                "decided_by": d.organ if d else None,
                "date": d.day.isoformat() if d else None,
                "paragraph": d.paragraph if d else None,
                "case_number": d.case_number if d else None,
                "text_source": d.text_source if d else None,
            },
            "contact": {
                "name": c.name if c else None,
                "title": c.title if c else None,
                "email": c.email.lower() if c else None,
                "phone": e164(c.phone) if c and c.phone else None,
            },
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class File:
    filename: str
    data: bytes
    ctype: str = PDF


def luhn_ok(number: str) -> bool:
    digits = [int(ch) for ch in number if ch.isdigit()]
    total = 0
    for i, digit in enumerate(digits):
        product = digit * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return len(digits) == 10 and total % 10 == 0


def org_number(first_nine: str) -> str:
    """'212000221' -> '212000-2213' with the Luhn check digit that makes it valid."""
    for check in "0123456789":
        candidate = first_nine + check
        if luhn_ok(candidate):
            return f"{candidate[:6]}-{candidate[6:]}"
    raise AssertionError("unreachable")


def e164(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        return "+" + digits
    assert digits.startswith("0"), phone
    return "+46" + digits[1:]


SV_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"]
SV_DAYS = ["måndagen", "tisdagen", "onsdagen", "torsdagen", "fredagen", "lördagen", "söndagen"]


def sv_date(day: date, style: str) -> str:
    long = f"{day.day} {SV_MONTHS[day.month - 1]} {day.year}"
    return {
        "iso": day.isoformat(),
        "long": long,
        "den": f"den {long}",
        "weekday": f"{SV_DAYS[day.weekday()]} den {long}",
    }[style]
