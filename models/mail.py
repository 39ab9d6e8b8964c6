"""Incoming mail as stored: the raw message, where it was seen, and its attachments."""

from __future__ import annotations

import enum
import hashlib

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from models.base import Base, intpk, mail_text, optional_timestamp, str_enum, str_short, timestamp


class MessageStatus(str, enum.Enum):
    STORED = "stored"  # raw bytes committed, not yet processed
    PROCESSED = "processed"
    QUARANTINED = "quarantined"  # processing failed; see reason/traceback; `inbox replay`


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[intpk]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # Any length a sender chooses; looked up through its hash (message_id_key), which is indexed.
    message_id: Mapped[mail_text]
    message_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    raw_path: Mapped[str] = mapped_column(String(512))
    size: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[timestamp]
    subject: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[mail_text]
    # Authentication-Results from the board's own servers: {"spf", "dkim", "dmarc", "authserv_id", ...}.
    auth: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[MessageStatus] = mapped_column(str_enum(MessageStatus), default=MessageStatus.STORED, index=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    reasons: Mapped[list | None] = mapped_column(JSON)
    extraction: Mapped[dict | None] = mapped_column(JSON)
    quarantine_reason: Mapped[str | None] = mapped_column(Text)
    quarantine_traceback: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[optional_timestamp]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)

    attachments: Mapped[list[Attachment]] = relationship(back_populates="message", order_by="Attachment.id")
    locations: Mapped[list[MessageLocation]] = relationship(back_populates="message")

    @validates("message_id")
    def _keep_hash(self, _key: str, value: str | None) -> str | None:
        self.message_id_hash = message_id_key(value)
        return value


def message_id_key(message_id: str | None) -> str | None:
    """The indexed form of a Message-ID: its SHA-256, so an ID of any length can be looked up."""
    return hashlib.sha256(message_id.encode("utf-8", "surrogatepass")).hexdigest() if message_id else None


class MessageLocation(Base):
    """Where a message was seen on a server: (account, folder, UIDVALIDITY, UID)."""

    __tablename__ = "message_locations"
    __table_args__ = (UniqueConstraint("account", "folder", "uidvalidity", "uid"),)

    id: Mapped[intpk]
    account: Mapped[str_short]
    folder: Mapped[str_short]
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    seen_at: Mapped[timestamp]
    post_action_done: Mapped[bool] = mapped_column(default=False)

    message: Mapped[Message] = relationship(back_populates="locations")


class MailboxState(Base):
    """The highest UID stored for a folder under its current UIDVALIDITY."""

    __tablename__ = "mailbox_states"
    __table_args__ = (UniqueConstraint("account", "folder"),)

    id: Mapped[intpk]
    account: Mapped[str_short]
    folder: Mapped[str_short]
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_poll_at: Mapped[optional_timestamp]


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[intpk]
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[mail_text]
    declared_type: Mapped[str] = mapped_column(Text)
    sniffed_type: Mapped[str_short]
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(512))
    content_id: Mapped[mail_text]
    is_inline: Mapped[bool] = mapped_column(default=False)

    message: Mapped[Message] = relationship(back_populates="attachments")
