"""Organisations, their cases, and what was extracted for each case."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, intpk, mail_text, optional_timestamp, str_enum, str_short, str_short_opt, timestamp


class CaseStatus(str, enum.Enum):
    RECEIVED = "received"
    INCOMPLETE = "incomplete"
    COMPLETE = "complete"
    INVITED = "invited"
    BOOKED = "booked"
    DIALOGUE_HELD = "dialogue_held"
    WITHDRAWN = "withdrawn"
    NEEDS_REVIEW = "needs_review"

class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(Text)
    org_number: Mapped[str | None] = mapped_column(String(11), unique=True)
    type: Mapped[str | None] = mapped_column(String(32))
    domain: Mapped[mail_text]
    created_at: Mapped[timestamp]

    cases: Mapped[list[Case]] = relationship(back_populates="organisation")

class Case(Base):
    __tablename__ = "cases"

    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    sender: Mapped[mail_text]
    missing: Mapped[list] = mapped_column(JSON, default=list)
    # Per-field confidence (0..1) of the latest extraction, and what needs a person's look:
    # [{"field": "contact.phone", "reason": "..."}].
    confidence: Mapped[dict] = mapped_column(JSON, default=dict)
    review: Mapped[list] = mapped_column(JSON, default=list)
    # Staff corrections ({"contact.email": "..."}); they win over any later re-extraction.
    overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    status_since: Mapped[optional_timestamp]
    # Set when staff merged this case into another (`inbox case REF --merge OTHER`).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminder_at: Mapped[optional_timestamp]
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    organisation: Mapped[Organisation | None] = relationship(back_populates="cases")
    contacts: Mapped[list[Contact]] = relationship(back_populates="case", order_by="Contact.id")
    decisions: Mapped[list[Decision]] = relationship(back_populates="case", order_by="Decision.id")

    @property
    def contact(self) -> Contact | None:
        """The newest active contact; candidates wait for a person, superseded rows are history.
        A row not yet flushed has no status: it was just made active."""
        active = [c for c in self.contacts if (c.status or "active") == "active"]
        return active[-1] if active else None

    @property
    def recipient(self) -> str | None:
        """Whom mail about the case goes to: the contact person's address, else the sender's."""
        contact = self.contact
        return (contact.email if contact else None) or self.sender

    @property
    def decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None

class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[mail_text]
    title: Mapped[mail_text]
    email: Mapped[mail_text]
    phone: Mapped[mail_text]
    source: Mapped[str | None] = mapped_column(String(32))
    # "active": the case's contact may be the newest active row; "candidate": named by mail a
    # person must confirm (an unknown domain, a conflicting name); "superseded"/"rejected": history.
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    from_message_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[timestamp]

    case: Mapped[Case] = relationship(back_populates="contacts")

class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_message_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    filename: Mapped[mail_text]
    decided_by: Mapped[mail_text]
    decision_date: Mapped[date | None] = mapped_column(Date)
    paragraph: Mapped[mail_text]
    case_number: Mapped[mail_text]
    text_source: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[timestamp]

    case: Mapped[Case] = relationship(back_populates="decisions")

class Event(Base):
    """The audit log: who or what did what, when and why."""

    __tablename__ = "events"

    id: Mapped[intpk]
    at: Mapped[timestamp]
    actor: Mapped[str] = mapped_column(String(64), default="system")
    action: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    message_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    detail: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)

class Slot(Base):
    """A free time that staff offer for a first dialogue meeting (`inbox slots add`)."""

    __tablename__ = "slots"

    id: Mapped[intpk]
    starts_at: Mapped[timestamp]
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    place: Mapped[str_short_opt]
    link: Mapped[str | None] = mapped_column(String(1000))
    offered_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    offered_at: Mapped[optional_timestamp]
    booked_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    created_at: Mapped[timestamp]


class Meeting(Base):
    """A booked dialogue meeting; `sequence` counts ICS updates (RFC 5545 SEQUENCE)."""

    __tablename__ = "meetings"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True)
    starts_at: Mapped[timestamp]
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    place: Mapped[str_short_opt]
    link: Mapped[str | None] = mapped_column(String(1000))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]


class UndeliverableAddress(Base):
    """An address one of our replies bounced from; no automatic mail goes there again."""

    __tablename__ = "undeliverable_addresses"

    id: Mapped[intpk]
    address: Mapped[str] = mapped_column(String(255), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    message_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]


str_short = str_short  # re-exported for symmetry with models.mail
