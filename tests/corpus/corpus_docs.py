"""Decision documents for the development corpus: minutes and decision memos as PDF (text layer) or DOCX.

Each organisation kind writes its decisions differently (a municipal "PROTOKOLLSUTDRAG" with
"Sammanträdesdatum", an agency "BESLUT" with "Datum" and "Ärendenr", an association's minutes with
"Datum:" and "§ 7"), so the layout, the date label and the case-number label are all parameters.
Everything is deterministic: fixed creation dates, fixed zip timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from docx import Document
from mailgen.documents import _Pdf, stable_docx
from mailgen.model import STRATEGY, SV_MONTHS, Decision, sv_date


@dataclass(frozen=True)
class Doc:
    org_name: str
    unit: str  # the second header line: "Kommunstyrelsen", "Ledningsgruppen, Arbetsförmedlingen Västerås"
    heading: str = "PROTOKOLLSUTDRAG"
    date_label: str = "Sammanträdesdatum"
    case_label: str = "Dnr"
    org_number: str | None = None
    background: tuple[str, ...] = ()
    signer: str = ""


def written_date(day: date, style: str) -> str:
    """The mailgen styles plus 'slash' (den 12/3 2024) and 'dotted' (12.3.2024)."""
    if style == "slash":
        return f"den {day.day}/{day.month} {day.year}"
    if style == "dotted":
        return f"{day.day}.{day.month}.{day.year}"
    if style == "short":
        return f"{day.day} {SV_MONTHS[day.month - 1][:3]} {day.year}"
    return sv_date(day, style)


def sentence(doc: Doc, decision: Decision) -> str:
    return decision.decision_text or f"{decision.organ} beslutar att {doc.org_name} ansluter sig till {STRATEGY}."


def lines(doc: Doc, decision: Decision) -> list[tuple[str, str]]:
    """(style, text) lines of the body, shared by the PDF and the DOCX writer."""
    out = [("h", f"{decision.paragraph} Anslutning till {STRATEGY}")]
    if decision.case_number:
        out.append(("p", f"{doc.case_label} {decision.case_number}"))
    out.append(("b", "Ärendebeskrivning"))
    out += [("p", text) for text in doc.background or (
        f"Länsstyrelsen i Västmanlands län har bjudit in länets aktörer att ansluta sig till {STRATEGY}. "
        "En anslutning innebär en viljeinriktning och inga juridiskt bindande åtaganden.",)]
    out.append(("b", "Beslut"))
    out.append(("p", sentence(doc, decision)))
    out += [("p", clause) for clause in decision.extra_clauses]
    if doc.signer:
        out.append(("p", f"Vid protokollet: {doc.signer}"))
    return out


def decision_pdf(doc: Doc, decision: Decision) -> bytes:
    created = datetime.combine(decision.day + timedelta(days=2), datetime.min.time(), UTC)
    pdf = _Pdf(created, f"{doc.heading.title()} {decision.paragraph}", doc.org_name)
    pdf.add_page()
    pdf.line_text(doc.org_name, 14, bold=True, height=7)
    pdf.line_text(doc.unit, 10)
    if doc.org_number:
        pdf.line_text(f"Org.nr {doc.org_number}", 8)
    pdf.gap(2)
    pdf.line_text(doc.heading, 11, bold=True)
    pdf.line_text(f"{doc.date_label}: {written_date(decision.day, decision.date_style)}", 10)
    pdf.gap(4)
    for style, text in lines(doc, decision):
        if style == "h":
            pdf.line_text(text, 12, bold=True, height=6.5)
        elif style == "b":
            pdf.heading(text)
        else:
            pdf.line_text(text)
            pdf.gap(2)
    return bytes(pdf.output())


def decision_docx(doc: Doc, decision: Decision) -> bytes:
    document = Document()
    moment = datetime(decision.day.year, decision.day.month, decision.day.day, 15, 30)
    props = document.core_properties
    props.author = props.last_modified_by = doc.signer or doc.org_name
    props.title = doc.heading.title()
    props.created, props.modified, props.revision = moment, moment + timedelta(days=1), 2
    document.add_heading(doc.org_name, level=1)
    document.add_paragraph(doc.unit)
    if doc.org_number:
        document.add_paragraph(f"Organisationsnummer: {doc.org_number}")
    document.add_paragraph(doc.heading)
    document.add_paragraph(f"{doc.date_label}: {written_date(decision.day, decision.date_style)}")
    for style, text in lines(doc, decision):
        if style == "h":
            document.add_heading(text, level=2)
        elif style == "b":
            document.add_heading(text, level=3)
        else:
            document.add_paragraph(text)
    return stable_docx(document, moment)


def leaflet_pdf(org_name: str, title: str, paragraphs: tuple[str, ...]) -> bytes:
    """An attachment that is not the decision: a leaflet or an action plan."""
    pdf = _Pdf(datetime(2024, 1, 15, 8, 0, tzinfo=UTC), title, org_name)
    pdf.add_page()
    pdf.line_text(title, 18, bold=True, height=9)
    for text in paragraphs:
        pdf.line_text(text, 10.5, height=6)
        pdf.gap(4)
    return bytes(pdf.output())
