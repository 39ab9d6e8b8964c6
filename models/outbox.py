"""The outbox: replies rendered in the same transaction as the change that causes them."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, intpk, optional_timestamp, str_enum, str_short, timestamp


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"  # waiting to be sent (possibly after a back-off)
    SENDING = "sending"  # claimed by a sender; committed before the SMTP transaction starts
    SENT = "sent"
    FAILED = "failed"  # permanent rejection or too many attempts
    UNCERTAIN = "uncertain"  # a sender died mid-send: never resent automatically, a person decides
    HELD = "held"  # automatic mail a person must approve first (a recipient outside the rules, a cap); never sent as is
    CANCELLED = "cancelled"  # a held reply a person rejected; never sent


class OutgoingMail(Base):
    __tablename__ = "outgoing_mail"

    id: Mapped[intpk]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    cause_message_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    template: Mapped[str] = mapped_column(String(64))
    automatic: Mapped[bool] = mapped_column(default=True)  # False: a person asked for it (booking, --invite)
    recipients: Mapped[list] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(Text)
    references: Mapped[str | None] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[optional_timestamp]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]
    claimed_at: Mapped[optional_timestamp]
    sent_at: Mapped[optional_timestamp]
    transport_detail: Mapped[str_short | None] = mapped_column(String(255), nullable=True)

    attachments: Mapped[list[OutgoingAttachment]] = relationship(order_by="OutgoingAttachment.id", cascade="all, delete-orphan")


class OutgoingAttachment(Base):
    """A file sent with a reply (ICS invitation, digest chart and XLSX), stored with the row so a
    resend after a crash sends the very same bytes. `content_id` set = inline (multipart/related)."""

    __tablename__ = "outgoing_attachments"

    id: Mapped[intpk]
    outgoing_mail_id: Mapped[int] = mapped_column(ForeignKey("outgoing_mail.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_id: Mapped[str | None] = mapped_column(String(255))


class JobRun(Base):
    """One run of a scheduled job (poll, send, digest, reminders): the service's health record."""

    __tablename__ = "job_runs"

    id: Mapped[intpk]
    job: Mapped[str] = mapped_column(String(32), index=True)
    started_at: Mapped[timestamp]
    finished_at: Mapped[optional_timestamp]
    ok: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class Digest(Base):
    """The staff digest of one working day; the unique day makes it go out once even across restarts."""

    __tablename__ = "digests"

    id: Mapped[intpk]
    day: Mapped[date] = mapped_column(Date, unique=True)
    period_start: Mapped[timestamp]
    period_end: Mapped[timestamp]
    outgoing_mail_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_mail.id"))
    skipped_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]
