"""The outbox: replies rendered in the same transaction as the change that causes them."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, intpk, optional_timestamp, str_enum, str_short, timestamp


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"  # waiting to be sent (possibly after a back-off)
    SENDING = "sending"  # claimed by a sender; committed before the SMTP transaction starts
    SENT = "sent"
    FAILED = "failed"  # permanent rejection or too many attempts
    UNCERTAIN = "uncertain"  # a sender died mid-send: never resent automatically, a person decides


class OutgoingMail(Base):
    __tablename__ = "outgoing_mail"

    id: Mapped[intpk]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    cause_message_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    template: Mapped[str] = mapped_column(String(64))
    recipients: Mapped[list] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[str | None] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[optional_timestamp]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]
    claimed_at: Mapped[optional_timestamp]
    sent_at: Mapped[optional_timestamp]
    transport_detail: Mapped[str_short | None] = mapped_column(String(255), nullable=True)
