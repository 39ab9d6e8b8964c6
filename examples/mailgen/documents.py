"""The attachments: protocol extracts (PDF, fpdf2 + DejaVu so å/ä/ö/§/– stay in the text layer),
board minutes (DOCX), a brochure and a signature logo (PNG). All byte-for-byte reproducible."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from docx import Document
from docx.shared import Pt
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from mailgen.model import STRATEGY, Decision, Org, sv_date

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def png(width: int, height: int, colour: tuple[int, int, int], accent: tuple[int, int, int]) -> bytes:
    """A small deterministic RGB PNG: a signature logo."""

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if x < height and (x - height // 2) ** 2 + (y - height // 2) ** 2 < (height // 2 - 3) ** 2:
            return accent
        if x > height + 6 and height // 3 < y < 2 * height // 3 and (x // 6) % 4 != 3:
            return colour
        return (255, 255, 255)

    raw = b"".join(b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


class _Pdf(FPDF):
    def __init__(self, created: datetime, title: str, author: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_creation_date(created)
        self.set_title(title)
        self.set_author(author)
        self.set_creator("Microsoft® Word för Microsoft 365")
        self.set_producer("Microsoft® Word för Microsoft 365")
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(25, 18, 20)
        self.set_auto_page_break(True, margin=38)

    def line_text(self, text: str, size: float = 10, bold: bool = False, height: float = 5.5, align: str = "L") -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str) -> None:
        """A bold section heading, never left alone at the foot of a page."""
        if self.will_page_break(18):
            self.add_page()
        self.line_text(text, bold=True)

    def gap(self, mm: float = 3) -> None:
        self.ln(mm)


@dataclass(frozen=True)
class ProtocolLayout:
    org_name: str
    body_name: str  # the second header line: "Kommunstyrelsen", "Ledningsgruppen, Arbetsförmedlingen Västerås"
    heading: str = "PROTOKOLLSUTDRAG"
    date_label: str = "Sammanträdesdatum"
    org_number: str | None = None
    background: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    proposal: str | None = None
    adjusters: tuple[str, ...] = ()
    certifier: str = ""
    send_to: tuple[str, ...] = ("Länsstyrelsen Västmanlands län",)
    place: str | None = None


class ProtocolPdf(_Pdf):
    def __init__(self, layout: ProtocolLayout, decision: Decision) -> None:
        created = datetime.combine(decision.day + timedelta(days=2), datetime.min.time(), UTC) + timedelta(hours=9, minutes=14)
        super().__init__(created, f"Protokollsutdrag {decision.paragraph}", layout.org_name)
        self.layout, self.decision = layout, decision

    def header(self) -> None:
        lay, dec = self.layout, self.decision
        top = self.get_y()
        size = 14
        self.set_font("DejaVu", "B", size)
        while self.get_string_width(lay.org_name) > 100:  # keep clear of the right-hand column
            size -= 0.5
            self.set_font("DejaVu", "B", size)
        self.cell(100, 7, lay.org_name, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font("DejaVu", "", 10)
        self.cell(100, 5.5, lay.body_name, new_x=XPos.LEFT, new_y=YPos.NEXT)
        if lay.org_number:
            self.set_font("DejaVu", "", 8)
            self.cell(100, 4.5, f"Org.nr {lay.org_number}", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_xy(130, top)
        self.set_font("DejaVu", "B", 11)
        self.cell(60, 6, lay.heading, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font("DejaVu", "", 8)
        self.cell(60, 4.5, f"Sida {self.page_no()} ({{nb}})", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.cell(60, 4.5, lay.date_label, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font("DejaVu", "", 10)
        self.cell(60, 5.5, sv_date(dec.day, dec.date_style), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)
        self.set_draw_color(90, 90, 90)
        self.line(25, self.get_y(), 190, self.get_y())
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-32)
        self.set_draw_color(90, 90, 90)
        self.line(25, self.get_y(), 190, self.get_y())
        self.ln(1.5)
        self.set_font("DejaVu", "", 7)
        y = self.get_y()
        self.set_xy(25, y)
        self.cell(80, 4, "Justerandes signatur")
        self.set_xy(110, y)
        self.cell(80, 4, "Utdragsbestyrkande")
        self.rect(25, y + 4.5, 60, 11)
        self.rect(110, y + 4.5, 60, 11)
        self.set_font("DejaVu", "", 9)
        initials = " ".join("".join(p[0] for p in name.split()[:2]) for name in self.layout.adjusters)
        self.set_xy(28, y + 7)
        self.cell(50, 5, initials)
        self.set_xy(113, y + 7)
        self.cell(50, 5, "".join(p[0] for p in self.layout.certifier.split(",")[0].split()[:2]))


def decision_sentence(org_name: str, decision: Decision) -> str:
    if decision.decision_text:
        return decision.decision_text
    return f"{decision.organ} beslutar att ansluta {org_name} till {STRATEGY}."


def protocol_pdf(org: Org, decision: Decision, layout: ProtocolLayout) -> bytes:
    pdf = ProtocolPdf(layout, decision)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(80, 6, decision.paragraph)
    if decision.case_number:
        pdf.set_font("DejaVu", "", 10)
        pdf.cell(0, 6, f"Dnr {decision.case_number}", align="R")
    pdf.ln(9)
    pdf.line_text(f"Anslutning till {STRATEGY}", 12, bold=True, height=6.5)
    pdf.gap(4)
    if layout.place:
        pdf.line_text(layout.place, 9)
        pdf.gap(2)
    pdf.heading("Ärendebeskrivning")
    for paragraph in layout.background:
        pdf.line_text(paragraph)
        pdf.gap(2.5)
    if layout.basis:
        pdf.gap(1)
        pdf.heading("Beslutsunderlag")
        for item in layout.basis:
            pdf.line_text(f"– {item}")
        pdf.gap(3)
    if layout.proposal:
        pdf.heading("Förslag till beslut")
        pdf.line_text(layout.proposal)
        pdf.gap(3)
    pdf.heading("Beslut")
    pdf.line_text(decision_sentence(org.name, decision))
    for clause in decision.extra_clauses:
        pdf.line_text(clause)
    pdf.gap(4)
    pdf.heading("Expedieras till")
    for receiver in layout.send_to:
        pdf.line_text(receiver)
    pdf.gap(6)
    if layout.adjusters:
        pdf.line_text("Justerare: " + ", ".join(layout.adjusters), 9)
    pdf.line_text(f"Utdragsbestyrkande: Rätt utdraget intygas, {layout.certifier}", 9)
    out = bytes(pdf.output())
    assert pdf.pages_count == decision.pages, (decision.filename, pdf.pages_count)
    return out


def brochure_pdf() -> bytes:
    pdf = _Pdf(datetime(2024, 2, 1, 8, 0, tzinfo=UTC), "Kungsör – informationsfolder 2024", "Kungsörs kommun")
    pdf.add_page()
    pdf.set_fill_color(0, 94, 110)
    pdf.rect(0, 0, 210, 60, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(25, 20)
    pdf.line_text("Kungsör – mitt i Mälardalen", 22, bold=True, height=10)
    pdf.line_text("Informationsfolder 2024", 13)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(75)
    for title, text in [
        ("Bo och leva", "I Kungsör når du Eskilstuna, Västerås och Arboga på under en halvtimme. "
                        "Här finns nära till Mälaren, Kungsörs kungsgård och ett rikt föreningsliv."),
        ("Förskola och skola", "Kommunen har sex förskolor, tre grundskolor och ett aktivt fritidsgårdsarbete "
                               "för barn och unga."),
        ("Näringsliv", "Företagslotsen hjälper dig som vill starta eller utveckla ett företag i Kungsör. "
                       "Kontakta näringslivsenheten för ett första samtal."),
        ("Evenemang 2024", "Kungsörs marknad 8 juni, Sjöfartsdagen 20 juli och julmarknad på torget "
                           "första advent."),
    ]:
        pdf.line_text(title, 13, bold=True, height=7)
        pdf.line_text(text, 10.5, height=6)
        pdf.gap(5)
    pdf.line_text("Kungsörs kommun · 736 85 Kungsör · kungsor.se", 8)
    return bytes(pdf.output())


def docx_protocol(org: Org, decision: Decision, present: tuple[str, ...], adjuster: str) -> bytes:
    doc = Document()
    props = doc.core_properties
    moment = datetime(decision.day.year, decision.day.month, decision.day.day, 16, 5, 0)
    props.author = present[0]
    props.last_modified_by = present[0]
    props.title = "Styrelseprotokoll"
    props.created = moment
    props.modified = moment + timedelta(days=1)
    props.revision = 3
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    doc.add_heading(f"Protokoll fört vid styrelsemöte i {org.name}", level=1)
    doc.add_paragraph(f"Org.nr {org.org_number}")
    doc.add_paragraph(f"Datum: {sv_date(decision.day, decision.date_style)}\nTid: 15.00–16.30\n"
                      "Plats: Bolagets kontor, Verkstadsgatan 4, Hallstahammar")
    doc.add_paragraph("Närvarande: " + ", ".join(present))
    doc.add_heading(f"{decision.paragraph} Anslutning till {STRATEGY}", level=2)
    doc.add_paragraph(
        "Länsstyrelsen i Västmanlands län uppmuntrar företag i länet att ansluta sig till den regionala "
        "jämställdhetsstrategin. En anslutning innebär inga juridiskt bindande åtaganden utan är en "
        "viljeinriktning att bidra till strategins mål och visionen Ett jämställt Västmanland fritt från våld. "
        "VD redogjorde för bolagets pågående arbete med lika villkor och arbetsmiljö.")
    doc.add_paragraph(decision_sentence(org.name, decision))
    for clause in decision.extra_clauses:
        doc.add_paragraph(clause)
    doc.add_paragraph("Paragrafen förklarades omedelbart justerad.")
    doc.add_paragraph(f"Vid protokollet\n\n{present[-1]}")
    doc.add_paragraph(f"Justeras\n\n{present[0]}, ordförande\t\t{adjuster}")
    doc.add_paragraph("Justerandes signatur: ____________        Utdragsbestyrkande: ____________")
    return stable_docx(doc, moment)


def stable_docx(document, moment: datetime) -> bytes:
    """The document's bytes, the same on every run: python-docx stamps every zip entry with the
    current time, so the archive is rewritten with a fixed one."""
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
