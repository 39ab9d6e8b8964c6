"""Human case references: PREFIX-YEAR-NNNN, e.g. JS-2026-0007."""

from __future__ import annotations

import hashlib
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


# A token hidden in every reply's HTML body, so a reply still joins its case when a server
# rewrote the Message-IDs and the person deleted the reference from the subject.
TOKEN_IN_TEXT = re.compile(r"strategy-inbox-token:([A-Z]{1,6}-\d{4}-\d{4,})\.([0-9a-f]{8})")


def case_token(reference: str, secret: str) -> str:
    return f"strategy-inbox-token:{reference}.{_check(reference, secret)}"


def references_in_tokens(text: str, secret: str) -> list[str]:
    """References from intact tokens; a token with a wrong check part (edited, forged) is ignored."""
    return [ref for ref, check in TOKEN_IN_TEXT.findall(text or "") if check == _check(ref, secret)]


def _check(reference: str, secret: str) -> str:
    return hashlib.sha256(f"{secret}:{reference}".encode()).hexdigest()[:8]
