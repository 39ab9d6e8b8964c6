"""Deleting a stored message (row, locations, attachment rows) and then the files no row needs.

Rows go in the caller's transaction; files only after it committed (`remove_files`), and only
those no remaining row names: attachments are content-addressed, so two messages with the same
attachment share one file. A crash between the commit and the unlink leaves an orphan file,
never a row without its file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from models import Attachment, Contact, Decision, Digest, Event, Message, MessageLocation, OutgoingMail, UndeliverableAddress


@dataclass
class RemovedFiles:
    removed: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)  # still named by another row: kept
    missing: list[str] = field(default_factory=list)  # already gone


def case_linked(message_pk_column):
    """SQL: the message is linked to a case in a way the `case_id` column does not show."""
    return or_(
        select(Contact.id).where(Contact.from_message_pk == message_pk_column).exists(),
        select(Decision.id).where(Decision.from_message_pk == message_pk_column).exists(),
        select(Event.id).where(Event.message_pk == message_pk_column, Event.case_id.is_not(None)).exists(),
        select(OutgoingMail.id).where(OutgoingMail.cause_message_pk == message_pk_column, OutgoingMail.case_id.is_not(None)).exists(),
    )


def message_files(message: Message) -> list[str]:
    return [message.raw_path, *(a.path for a in message.attachments)]


def delete_messages(session: Session, messages: list[Message]) -> list[str]:
    """Delete the messages' rows in a few statements per batch; return their file paths (relative
    to data_dir) for `remove_files`. Pending changes in the session are flushed first."""
    paths = [path for message in messages for path in message_files(message)]
    loaded = [row for message in messages for row in (*message.attachments, *message.locations, message)]
    session.flush()
    for batch in _batches([m.id for m in messages]):
        # History and flags stay; they only lose their pointer to the deleted message.
        for referrer, pointer in ((Event, Event.message_pk), (UndeliverableAddress, UndeliverableAddress.message_pk),
                                  (OutgoingMail, OutgoingMail.cause_message_pk)):
            session.execute(update(referrer).where(pointer.in_(batch)).values({pointer.key: None}))
        for model, column in ((Attachment, Attachment.message_pk), (MessageLocation, MessageLocation.message_pk), (Message, Message.id)):
            session.execute(delete(model).where(column.in_(batch)), execution_options={"synchronize_session": False})
    for row in loaded:  # gone from the database: the session forgets them too
        if row in session:
            session.expunge(row)
    return paths


def _batches(items: list, size: int = 500) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def delete_outgoing(session: Session, row: OutgoingMail) -> None:
    session.execute(update(Digest).where(Digest.outgoing_mail_id == row.id).values(outgoing_mail_id=None))
    session.delete(row)  # its attachments go with it (delete-orphan)


def still_named(session: Session, paths: Iterable[str], *, ignoring: Collection[int] = frozenset()) -> set[str]:
    """The paths some message or attachment row other than `ignoring` (message ids) names."""
    named = set()
    for batch in _batches(sorted(set(paths))):
        rows = list(session.execute(select(Message.raw_path, Message.id).where(Message.raw_path.in_(batch))).all())
        rows += session.execute(select(Attachment.path, Attachment.message_pk).where(Attachment.path.in_(batch))).all()
        named |= {path for path, owner in rows if owner not in ignoring}
    return named


def remove_files(session: Session, data_dir: Path, paths: Iterable[str]) -> RemovedFiles:
    """After the commit: unlink each file no row names (checked again now, so a message stored
    meanwhile with the same attachment keeps its file)."""
    paths = sorted(set(paths))
    named = still_named(session, paths)
    result = RemovedFiles(shared=[p for p in paths if p in named])
    for relative in paths:
        if relative in named:
            continue
        try:
            (data_dir / relative).unlink()
        except FileNotFoundError:
            result.missing.append(relative)
        else:
            result.removed.append(relative)
    return result
