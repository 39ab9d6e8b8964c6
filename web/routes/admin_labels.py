"""Swedish words for /admin: roles, and the check JSON (README "The check JSON") laid out field by field."""

from __future__ import annotations

from dataclasses import dataclass

from digest import labels
from models import Role

ROLE_NAMES = {Role.STAFF: "Handläggare", Role.ADMIN: "Administratör"}
KINDS = {
    "affiliation": "Anslutning",
    "auto_reply": "Autosvar",
    "bounce": "Studsat meddelande",
    "other": "Övrig post",
}
GROUPS = (("organisation", "Organisation"), ("decision", "Beslut"), ("contact", "Kontaktperson"))
# The check JSON's keys that the digest's labels do not name.
EXTRA_FIELDS = {
    "organisation.source": "hittat av",
    "decision.present": "beslut finns",
    "decision.filename": "beslutets fil",
    "decision.text_source": "texten lästes från",
    "contact.source": "varifrån",
}


@dataclass(frozen=True)
class CheckRow:
    key: str  # "contact.name"
    label: str  # "kontaktpersonens namn"
    value: str
    confidence: str  # "90 %", or "" when the extraction gave none


def kind(value: str) -> str:
    return KINDS.get(value, value)


def check_groups(result: dict) -> list[tuple[str, list[CheckRow]]]:
    """(Swedish heading, rows) for organisation, decision and contact, each field with its confidence."""
    confidence: dict = result.get("confidence") or {}
    return [(heading, [_row(f"{group}.{key}", value, confidence.get(f"{group}.{key}"))
                       for key, value in (result.get(group) or {}).items()])
            for group, heading in GROUPS]


def _row(key: str, value: object, score: object) -> CheckRow:
    label = EXTRA_FIELDS.get(key) or labels.field(key)
    return CheckRow(key, label, _shown(key, value), f"{round(float(score) * 100)} %" if isinstance(score, int | float) else "")


def _shown(key: str, value: object) -> str:
    if value is None or value == "":
        return "–"
    if key == "decision.text_source":
        return labels.text_source(str(value))
    if key == "contact.source":
        return labels.contact_source(str(value))
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, str) and value in labels.ORGANISATION_TYPES:
        return labels.organisation_type(value)
    return str(value)


def field_name(key: str) -> str:
    return EXTRA_FIELDS.get(key) or labels.field(key)
