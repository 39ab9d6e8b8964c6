"""What every mail source yields, and the interface the poll runner drives."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from ingest.store import Location


@dataclass(frozen=True)
class FetchedMail:
    raw: bytes
    label: str  # for logs and errors: "INBOX uid 42", "examples/mail/01.eml"
    location: Location | None = None


class MailSource(Protocol):
    """A place mail comes from. Used as a context manager around one poll."""

    name: str
    post_actions: bool  # after_commit may change something on the server (then it needs each message's outcome)

    def __enter__(self) -> MailSource: ...

    def __exit__(self, *exc) -> None: ...

    def fetch_batches(self, session: Session) -> Iterator[list[FetchedMail]]:
        """Yield mail not yet stored, a batch at a time (the caller stores and commits each batch
        before asking for the next); may read and update its own state rows in `session`."""

    def mark_stored(self, session: Session, batch: list[FetchedMail]) -> None:
        """Record progress in the same transaction that stored the batch."""

    def after_commit(self, fetched: FetchedMail, *, handled: bool) -> None:
        """Optional server-side action (move, flag), called only after the database commit.

        handled: the service dealt with this mail (an affiliation, a follow-up of a case, a
        bounce or auto-reply to our mail); a shared inbox keeps everything else in place.
        """
