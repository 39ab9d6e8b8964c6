"""After the invitation: the organisation's own page (a personal link), its answers, and the dialogue record.

Problem areas are referred to by their `code` from the strategy data file (data/strategy.toml), not by a
foreign key: an admin edits that file, and a record keeps the code it was written under even if the file
later renames or drops the area (the overview then shows it under "areas no longer in the strategy").
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, intpk, optional_timestamp, str_enum, str_short_opt, timestamp


class PortalLink(Base):
    """A personal link to the organisation's page, sent in the invitation: no account, one case.

    The token in the link is `<id>-<check>`, the check an HMAC of the id and case under the server's key
    (cases/reference.token_key), so nothing secret is stored and the same link can be put in a later mail.
    It stops working at `expires_at`, when staff revoke it, after the meeting, or when the case is withdrawn."""

    __tablename__ = "portal_links"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[timestamp]
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    # The address the link was made for (Case.recipient then): when staff or mail change the contact's address,
    # the link stops working and the next mail to the new address carries a new one.
    recipient: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[timestamp]
    revoked_at: Mapped[optional_timestamp]
    revoked_by: Mapped[str_short_opt]
    last_used_at: Mapped[optional_timestamp]
    # A fixed-window rate limit per link: requests counted since window_started_at ([portal] requests_per_window).
    window_started_at: Mapped[optional_timestamp]
    window_count: Mapped[int] = mapped_column(Integer, default=0)


class DialogueAnswer(Base):
    """What the organisation wrote on its own page about one problem area before the meeting.

    `area_code` "" is the free text about the organisation's work as a whole."""

    __tablename__ = "dialogue_answers"
    __table_args__ = (UniqueConstraint("case_id", "area_code", name="uq_dialogue_answers_case_area"),)

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    area_code: Mapped[str] = mapped_column(String(64), default="")
    does_today: Mapped[str | None] = mapped_column(Text)
    could_contribute: Mapped[str | None] = mapped_column(Text)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("portal_links.id"))
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]


class DialogueRecord(Base):
    """Staff's record of the first dialogue meeting: when, who took part, and notes. One per case."""

    __tablename__ = "dialogue_records"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    held_on: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(120), default="system")
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]


class CommitmentState(str, enum.Enum):
    NONE = "none"  # nothing committed for this area (only "does today" or an example)
    PLANNED = "planned"
    ONGOING = "ongoing"
    DONE = "done"
    DROPPED = "dropped"


class DialogueEntry(Base):
    """Per problem area, what staff learnt in the dialogue: what the organisation does today, what it commits
    to (with a follow-up date and the commitment's state), and good examples worth spreading."""

    __tablename__ = "dialogue_entries"
    __table_args__ = (UniqueConstraint("case_id", "area_code", name="uq_dialogue_entries_case_area"),)

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    area_code: Mapped[str] = mapped_column(String(64))
    does_today: Mapped[str | None] = mapped_column(Text)
    commits_to: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    state: Mapped[CommitmentState] = mapped_column(str_enum(CommitmentState), default=CommitmentState.NONE)
    good_example: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(120), default="system")
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
