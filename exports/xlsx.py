"""Cases as an Excel workbook (openpyxl): Swedish headings, frozen header row, filters, sized columns."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from digest import labels
from exports.rows import COLUMNS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", start_color="FFDCE6F2", end_color="FFDCE6F2")
MAX_WIDTH = 60


def workbook_bytes(rows: list[dict], title: str = "Ärenden") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([heading for _, heading in COLUMNS])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row in rows:
        sheet.append([_cell(value) for value in _in_swedish(row)])
    _format(sheet, len(rows))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _in_swedish(row: dict) -> list:
    """Staff read the workbook: status and type in words (the CSV and JSON keep the stable codes)."""
    shown = dict(row)
    shown["status"] = labels.status(row["status"]) if row.get("status") else None
    shown["organisation_type"] = labels.organisation_type(row["organisation_type"]) if row.get("organisation_type") else None
    if row.get("missing"):
        shown["missing"] = ", ".join(labels.field(part.strip()) for part in row["missing"].split(","))
    return [shown[key] for key, _ in COLUMNS]


def _cell(value):
    # Excel has no time zones: write the local wall-clock time the row already carries.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return safe_text(value) if isinstance(value, str) else value


def safe_text(text: str) -> str:
    """Text from mail as inert text: no control characters (openpyxl refuses them) and no formula
    (a name like '=HYPERLINK(...)' from an attachment must not run in a staff member's Excel)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith("=") else text  # openpyxl stores only "=..." as a formula


def _format(sheet, count: int) -> None:
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=count + 1), start=1):
        letter = get_column_letter(index)
        for cell in column[1:]:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
        longest = max((len(_shown(cell.value)) for cell in column), default=10)
        sheet.column_dimensions[letter].width = min(max(longest + 2, 10), MAX_WIDTH)


def _shown(value) -> str:
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm"
    return "" if value is None else str(value)
