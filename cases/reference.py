"""Human case references: PREFIX-YEAR-NNNN, e.g. JS-2026-0007."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Case

REFERENCE_IN_TEXT = re.compile(r"\b([A-Z]{1,6}-\d{4}-\d{4,})\b")


def next_reference(session: Session, prefix: str, now: datetime) -> str:
    stem = f"{prefix}-{now.year}-"
    last = session.scalar(select(func.max(Case.reference)).where(Case.reference.like(f"{stem}%")))
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{number:04d}"


def references_in(text: str, prefix: str) -> list[str]:
    return [ref for ref in REFERENCE_IN_TEXT.findall(text or "") if ref.startswith(prefix + "-")]
