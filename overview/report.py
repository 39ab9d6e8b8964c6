"""The overview as a PDF report (fpdf2), A4, fit to attach to the board's annual follow-up.

The same sections as the printable page (web/templates/overview_report.html), each from a new page. Text is set
in DejaVu Sans, which has å, ä, ö, – and §: Debian's copy (package fonts-dejavu-core), else the copy matplotlib
ships. Without either, a core font is used and only the characters it lacks are transliterated ("–" as "-").
Free text is written with multi_cell, never in a table cell: a table row may not outgrow a page, a text may."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from digest import labels as digest_labels
from overview import labels
from overview.chart import area_chart, chart_text
from overview.collect import AreaOverview, CountyOverview, Work

SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
TITLE = "Samlad bild över de anslutna organisationernas arbete"
SUBTITLE = "Jämställdhetsstrategi för Västmanlands län 2024–2027"
# C0/C1 control characters (line breaks and tabs kept) and bidirectional controls: never in a report.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TRANSLITERATIONS = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "€": "EUR", "•": "*"}
MAX_TEXT = 4000  # characters of one free text in the report; the workbook has it whole


@dataclass(frozen=True)
class Fonts:
    family: str
    unicode: bool


def find_fonts() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold: the system's, else matplotlib's own copy; None when neither is there."""
    import matplotlib

    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for folder in (SYSTEM_FONTS, bundled):
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Report(FPDF):
    def __init__(self, overview: CountyOverview, fonts: tuple[Path, Path] | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.overview = overview
        if fonts:
            self.add_font("DejaVu", "", fonts[0])
            self.add_font("DejaVu", "B", fonts[1])
        self.typeface = Fonts("DejaVu", True) if fonts else Fonts("helvetica", False)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(TITLE)
        self.set_lang("sv")
        self.set_creator("Anslutningar till jämställdhetsstrategin")
        self.set_creation_date(overview.generated_at)

    def footer(self) -> None:
        self.set_y(-12)
        self.font(8)
        self.cell(0, 5, self.clean(f"{TITLE} · {digest_labels.long_date(self.overview.generated_at.date())} · "
                                   f"sida {self.page_no()} av {{nb}}"), align="C")

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.typeface.family, "B" if bold else "", size)

    def clean(self, text: str) -> str:
        text = UNPRINTABLE.sub("", text)
        return text if self.typeface.unicode else transliterate(text)

    def text_block(self, text: str, size: float = 10, bold: bool = False, gap: float = 1) -> None:
        self.font(size, bold)
        self.multi_cell(0, size * 0.5, self.clean(_bounded(text)), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def heading(self, text: str, size: float = 15) -> None:
        self.text_block(text, size, bold=True, gap=2)


def transliterate(text: str) -> str:
    """Only what Latin-1 (the core fonts) lacks: å, ä, ö and § stay, '–' becomes '-', others their base letter."""
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        plain = TRANSLITERATIONS.get(ch) or unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(plain or "?")
    return "".join(out)


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + " […]"


def overview_pdf(overview: CountyOverview, *, unicode_font: bool = True) -> bytes:
    """The report in DejaVu Sans (find_fonts); in a core font when `unicode_font` is false or none is found."""
    pdf = _Report(overview, find_fonts() if unicode_font else None)
    _summary(pdf, overview)
    _areas(pdf, overview)
    _development(pdf, overview)
    _examples(pdf, overview)
    _types(pdf, overview)
    if overview.general:
        _general(pdf, overview)
    return bytes(pdf.output())


def _summary(pdf: _Report, overview: CountyOverview) -> None:
    pdf.add_page()
    pdf.heading(TITLE, 17)
    pdf.text_block(SUBTITLE, 11)
    pdf.text_block(f"Sammanställd {digest_labels.dated_moment(overview.generated_at.replace(tzinfo=None))}.", 10, gap=3)
    if overview.partial_note:
        pdf.text_block(overview.partial_note, 10, bold=True, gap=3)
    t = overview.totals
    for line in (f"Anslutna organisationer: {t.organisations}", f"Dialoger genomförda: {t.dialogues}",
                 f"Åtaganden: {t.commitments}", f"Problemområden i strategifilen: {t.areas}",
                 f"Problemområden där ingen arbetar ännu: {t.development}"):
        pdf.text_block(line, 11, gap=0.5)
    pdf.ln(3)
    pdf.text_block("Diagram: organisationer per problemområde", 12, bold=True)
    pdf.image(io.BytesIO(area_chart(overview)), w=pdf.epw)
    pdf.ln(2)
    pdf.text_block(chart_text(overview), 9)


def _areas(pdf: _Report, overview: CountyOverview) -> None:
    pdf.add_page()
    pdf.heading("Per problemområde")
    for group in overview.groups:
        pdf.text_block(group.title, 13, bold=True, gap=2)
        for area in group.areas:
            _area(pdf, overview, area)


def _area(pdf: _Report, overview: CountyOverview, area: AreaOverview) -> None:
    pdf.text_block(area.name, 11.5, bold=True)
    facts = [f"Delmål: {area.subgoal}" if area.subgoal else "Finns inte längre i strategifilen"]
    if area.prioritised and overview.priority_year:
        facts.append(labels.prioritised_in(overview.priority_year))
    facts += [f"{area.today} organisationer arbetar med området i dag", f"{area.committed} med åtaganden"]
    pdf.text_block(" · ".join(facts), 9)
    if area.states:
        pdf.text_block("Åtagandenas läge: " + ", ".join(f"{word} {n}" for word, n in area.states), 9)
    if area.by_type:
        pdf.text_block("Per organisationstyp: " + ", ".join(f"{word} {n}" for word, n in area.by_type), 9)
    if area.empty:
        pdf.text_block("Ingen ansluten organisation arbetar med området ännu.", 10, gap=3)
        return
    for work in (*area.entries, *area.answers):
        _work(pdf, work)
    pdf.ln(3)


def _work(pdf: _Report, work: Work) -> None:
    pdf.text_block(f"{work.org.name} ({work.org.type_label}) – {work.source_label}", 10, bold=True, gap=0.3)
    lines = [("Gör i dag", work.does_today), ("Åtar sig", work.commits_to), ("Kan bidra med", work.could_contribute)]
    if work.is_commitment:
        follow = f", uppföljning {work.follow_up_on.isoformat()}" if work.follow_up_on else ""
        lines.append(("Läge", f"{work.state_label}{follow}"))
    lines.append(("Gott exempel", work.good_example))
    for name, text in lines:
        if text:
            pdf.text_block(f"{name}: {text}", 9.5, gap=0.3)
    pdf.ln(1.5)


def _development(pdf: _Report, overview: CountyOverview) -> None:
    pdf.add_page()
    pdf.heading(labels.DEVELOPMENT_AREAS)
    pdf.text_block("Problemområden där ingen ansluten organisation arbetar ännu, varken enligt dialogerna eller "
                   "enligt organisationernas egna svar.", 10, gap=2)
    if not overview.development:
        pdf.text_block("Alla problemområden i strategifilen har minst en organisation som arbetar med dem.", 10)
    for area in overview.development:
        priority = f" ({labels.prioritised_in(overview.priority_year)})" if area.prioritised and overview.priority_year else ""
        pdf.text_block(f"• {area.name}{priority}" + (f" – delmål: {area.subgoal}" if area.subgoal else ""), 10)


def _examples(pdf: _Report, overview: CountyOverview) -> None:
    pdf.add_page()
    pdf.heading("Goda exempel att sprida")
    if not overview.examples:
        pdf.text_block("Inga goda exempel är antecknade ännu.", 10)
    for example in overview.examples:
        pdf.text_block(f"{example.work.org.name} ({example.work.org.type_label}) – {example.area}", 10, bold=True, gap=0.3)
        pdf.text_block(example.work.good_example or "", 9.5, gap=2)


def _types(pdf: _Report, overview: CountyOverview) -> None:
    pdf.add_page()
    pdf.heading("Per organisationstyp")
    pdf.font(9.5)
    with pdf.table(col_widths=(34, 22, 22, 26, 20), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
                   line_height=5) as table:
        header = table.row()
        for word in ("Organisationstyp", "Anslutna", "Dialoger genomförda", "Arbetar med minst ett område", "Åtaganden"):
            header.cell(pdf.clean(word))
        for count in overview.by_type:
            row = table.row()
            for value in (count.label, count.affiliated, count.dialogues, count.working, count.commitments):
                row.cell(pdf.clean(str(value)))


def _general(pdf: _Report, overview: CountyOverview) -> None:
    pdf.add_page()
    pdf.heading(f"{labels.WHOLE_WORK} – {labels.ORGANISATION_SOURCE.lower()}")
    for work in overview.general:
        _work(pdf, work)
