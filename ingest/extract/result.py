"""What extraction returns: the typed form of `inbox check --json`.

The JSON shape is a public contract (README, "The check JSON"): keep the
field names; extra keys are allowed, unknown values are None.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

OrgType = Literal["kommun", "region", "statlig_myndighet", "naringsliv", "civilsamhalle"]
TextSource = Literal["pdf_text", "ocr", "docx", "odt", "body"]


class OrganisationInfo(BaseModel):
    name: str | None = None
    org_number: str | None = None  # "NNNNNN-NNNN", Luhn-checked
    type: OrgType | None = None
    source: str | None = None  # which step found the name


class DecisionInfo(BaseModel):
    present: bool = False
    filename: str | None = None
    decided_by: str | None = None
    date: dt.date | None = None
    paragraph: str | None = None  # "§ 45"
    case_number: str | None = None  # "KS 2024/123"
    text_source: TextSource | None = None


class ContactInfo(BaseModel):
    name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None  # E.164, "+46..."
    source: str | None = None  # "labelled", "signature", "sender"


class ReviewItem(BaseModel):
    """Something a person should look at: a field (e.g. "contact.phone", "decision") and why."""

    field: str
    reason: str


class Extraction(BaseModel):
    organisation: OrganisationInfo = Field(default_factory=OrganisationInfo)
    decision: DecisionInfo = Field(default_factory=DecisionInfo)
    contact: ContactInfo = Field(default_factory=ContactInfo)
    missing: list[Literal["decision", "contact"]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # which step found or rejected what
    # Per-field confidence 0..1, keyed like "decision.date"; fields not found are absent.
    confidence: dict[str, float] = Field(default_factory=dict)
    review: list[ReviewItem] = Field(default_factory=list)

    def flag(self, field: str, reason: str) -> None:
        """Ask for a person's look (limits exceeded, low confidence, invalid org number, ...)."""
        if not any(item.field == field and item.reason == reason for item in self.review):
            self.review.append(ReviewItem(field=field, reason=reason))
