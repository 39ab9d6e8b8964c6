"""The overview as an Excel workbook, in the house style of exports/xlsx.py: Swedish headings, a frozen header
row, filters, sized columns, and text from mail or the public page written as inert text (exports.xlsx.safe_text:
no control characters, and "=..." never stored as a formula)."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.xlsx import HEADER_FILL, MAX_WIDTH, safe_text
from overview import labels
from overview.collect import AreaOverview, CountyOverview, Work

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATE_COLUMNS = list(labels.STATES.values())

AREA_HEADINGS = ["Problemområde", "Delmål", "Prioriterat", "Finns i strategifilen", "Organisationer som arbetar med "
                 "området i dag", "Organisationer med åtaganden", *STATE_COLUMNS, "Organisationernas egna svar",
                 "Goda exempel", "Utvecklingsområde"]
WORK_HEADINGS = ["Problemområde", "Delmål", "Prioriterat", "Organisation", "Organisationstyp", "Ärende", "Källa",
                 "Gör i dag", "Åtar sig", "Kan bidra med", "Läge", "Uppföljning", "Gott exempel"]
DEVELOPMENT_HEADINGS = ["Problemområde", "Delmål", "Prioriterat"]
TYPE_HEADINGS = ["Organisationstyp", "Anslutna organisationer", "Dialoger genomförda", "Arbetar med minst ett område",
                 "Åtaganden"]


def overview_workbook(overview: CountyOverview) -> bytes:
    book = Workbook()
    sheets = [
        ("Problemområden", AREA_HEADINGS, [_area_row(overview, a) for a in overview.areas]),
        ("Organisationer per område", WORK_HEADINGS,
         [_work_row(overview, a, w) for a in overview.areas for w in (*a.entries, *a.answers)]
         + [_general_row(w) for w in overview.general]),
        ("Utvecklingsområden", DEVELOPMENT_HEADINGS,
         [[a.name, a.subgoal, _priority(overview, a)] for a in overview.development]),
        ("Per organisationstyp", TYPE_HEADINGS,
         [[t.label, t.affiliated, t.dialogues, t.working, t.commitments] for t in overview.by_type]),
    ]
    book.remove(book.active)
    for title, headings, rows in sheets:
        _table(book.create_sheet(title), headings, rows, overview.partial_note)
    _about(book.create_sheet("Om översikten"), overview)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _priority(overview: CountyOverview, area: AreaOverview) -> str | None:
    return labels.prioritised_in(overview.priority_year) if area.prioritised and overview.priority_year else None


def _area_row(overview: CountyOverview, area: AreaOverview) -> list:
    states = dict(area.states)
    return [area.name, area.subgoal, _priority(overview, area), "Ja" if area.known else "Nej", area.today,
            area.committed, *[states.get(word, 0) for word in STATE_COLUMNS], len(area.answers), len(area.examples),
            "Ja" if area.known and area.empty else "Nej"]


def _work_row(overview: CountyOverview, area: AreaOverview, work: Work) -> list:
    return [area.name, area.subgoal, _priority(overview, area), *_work_cells(work)]


def _general_row(work: Work) -> list:
    return [labels.WHOLE_WORK, None, None, *_work_cells(work)]


def _work_cells(work: Work) -> list:
    return [work.org.name, work.org.type_label, work.org.reference, work.source_label, work.does_today, work.commits_to,
            work.could_contribute, work.state_label, work.follow_up_on, work.good_example]


def _table(sheet: Worksheet, headings: list[str], rows: list[list], note: str | None) -> None:
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_cell(value) for value in row])
    _format(sheet, len(headings), len(rows))
    if note:  # below the table, outside the filter's range
        sheet.cell(row=len(rows) + 3, column=1, value=note).font = Font(italic=True)


def _about(sheet: Worksheet, overview: CountyOverview) -> None:
    """Where the numbers come from: the date, the priority year, the totals, and the partial-file note."""
    totals = overview.totals
    lines = [("Samlad bild över de anslutna organisationernas arbete", None),
             ("Sammanställd", overview.generated_at.replace(tzinfo=None)),
             ("Prioriteringar från år", overview.priority_year),
             ("Anslutna organisationer", totals.organisations), ("Dialoger genomförda", totals.dialogues),
             ("Åtaganden", totals.commitments), ("Problemområden i strategifilen", totals.areas),
             ("Problemområden där ingen arbetar ännu", totals.development),
             ("Räknas med", "Ärenden med en organisation som varken är återkallade eller sammanfogade med ett annat ärende."),
             ("Källa", f"{labels.STAFF_SOURCE}: handläggarens anteckningar från dialogmötet. "
                       f"{labels.ORGANISATION_SOURCE}: organisationens egna svar på sin sida före mötet.")]
    if overview.partial_note:
        lines.append(("Obs!", overview.partial_note))
    for key, value in lines:
        sheet.append([key, value])
    sheet["A1"].font = Font(bold=True)
    sheet["B2"].number_format = "yyyy-mm-dd hh:mm"
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 100


def _cell(value):
    return safe_text(value) if isinstance(value, str) else value


def _format(sheet: Worksheet, width: int, count: int) -> None:
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{count + 1}"
    for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=count + 1, max_col=width), start=1):
        for cell in column[1:]:
            if isinstance(cell.value, date) and not isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd"
            if isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        longest = max((len(str(cell.value)) for cell in column if cell.value is not None), default=10)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), MAX_WIDTH)
