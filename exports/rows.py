"""One record per case: nested for JSON (the shape a web view or API would use), flat for tables.

The keys are stable: scripts and spreadsheets depend on them. Add new ones at the end;
never rename one. Times are local (the configured zone), dates are dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Attachment, Case

# (stable key, Swedish column heading for people)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "Ärende"),
    ("status", "Status"),
    ("status_since", "Status sedan"),
    ("organisation_name", "Organisation"),
    ("organisation_type", "Organisationstyp"),
    ("org_number", "Organisationsnummer"),
    ("decided_by", "Beslutande organ"),
    ("decision_date", "Beslutsdatum"),
    ("paragraph", "Paragraf"),
    ("case_number", "Diarienummer"),
    ("decision_file", "Beslutsfil"),
    ("decision_stored_file", "Sparad fil"),
    ("decision_text_source", "Textkälla"),
    ("contact_name", "Kontaktperson"),
    ("contact_title", "Titel"),
    ("contact_email", "E-post"),
    ("contact_phone", "Telefon"),
    ("missing", "Saknas"),
    ("review", "Att kontrollera"),
    ("sender", "Avsändare"),
    ("created_at", "Inkom"),
    ("updated_at", "Senast ändrad"),
)
KEYS = tuple(key for key, _ in COLUMNS)


def load_cases(session: Session, statuses: Iterable[str] = ()) -> list[Case]:
    query = select(Case).options(
        selectinload(Case.organisation), selectinload(Case.contacts), selectinload(Case.decisions)
    ).order_by(Case.reference)
    if statuses := list(statuses):
        query = query.where(Case.status.in_(statuses))
    return list(session.scalars(query))


def stored_paths(session: Session, cases: list[Case]) -> dict[int, str]:
    """Attachment id -> the stored file (relative to data_dir) for every case's latest decision."""
    ids = [c.decision.attachment_id for c in cases if c.decision and c.decision.attachment_id]
    if not ids:
        return {}
    return {row.id: row.path for row in session.execute(select(Attachment.id, Attachment.path).where(Attachment.id.in_(ids)))}


def case_record(case: Case, zone: ZoneInfo, stored: dict[int, str]) -> dict:
    org, decision, contact = case.organisation, case.decision, case.contact
    return {
        "reference": case.reference,
        "status": case.status.value,
        "status_since": _local(case.status_since, zone),
        "organisation": {"name": org.name, "org_number": org.org_number, "type": org.type} if org else None,
        "decision": {
            "decided_by": decision.decided_by, "date": decision.decision_date, "paragraph": decision.paragraph,
            "case_number": decision.case_number, "file": decision.filename,
            "stored_file": stored.get(decision.attachment_id) if decision.attachment_id is not None else None,
            "text_source": decision.text_source,
        } if decision else None,
        "contact": {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone} if contact else None,
        "missing": list(case.missing or []),
        "review": [dict(item) for item in case.review or []],
        "confidence": dict(case.confidence or {}),
        "sender": case.sender,
        "created_at": _local(case.created_at, zone),
        "updated_at": _local(case.updated_at, zone),
    }


def flat_row(record: dict) -> dict:
    org = record["organisation"] or {}
    decision = record["decision"] or {}
    contact = record["contact"] or {}
    return {
        "reference": record["reference"], "status": record["status"], "status_since": record["status_since"],
        "organisation_name": org.get("name"), "organisation_type": org.get("type"), "org_number": org.get("org_number"),
        "decided_by": decision.get("decided_by"), "decision_date": decision.get("date"), "paragraph": decision.get("paragraph"),
        "case_number": decision.get("case_number"), "decision_file": decision.get("file"),
        "decision_stored_file": decision.get("stored_file"), "decision_text_source": decision.get("text_source"),
        "contact_name": contact.get("name"), "contact_title": contact.get("title"),
        "contact_email": contact.get("email"), "contact_phone": contact.get("phone"),
        "missing": ", ".join(record["missing"]) or None,
        "review": "; ".join(f"{item['field']}: {item['reason']}" for item in record["review"]) or None,
        "sender": record["sender"], "created_at": record["created_at"], "updated_at": record["updated_at"],
    }


def records(session: Session, zone: ZoneInfo, statuses: Iterable[str] = ()) -> list[dict]:
    cases = load_cases(session, statuses)
    stored = stored_paths(session, cases)
    return [case_record(case, zone, stored) for case in cases]


def _local(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    # SQLite hands some times back without their zone; they were stored in UTC.
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).astimezone(zone)
