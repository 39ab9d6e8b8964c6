"""CSV and JSON writers for the case records (XLSX is in xlsx.py)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime

from exports.rows import KEYS, flat_row


def to_json(records: list[dict]) -> str:
    return json.dumps({"cases": records}, ensure_ascii=False, indent=2, default=_iso) + "\n"


def to_csv(records: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=KEYS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: _inert(_text(value)) for key, value in flat_row(record).items()})
    return buffer.getvalue()


def _inert(text):
    """A value from mail never starts a formula when the CSV is opened in a spreadsheet."""
    if not isinstance(text, str) or text[:1] not in ("=", "+", "-", "@") or re.fullmatch(r"\+\d{6,15}", text):
        return text  # an E.164 phone number stays as it is
    return "'" + text


def _iso(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
