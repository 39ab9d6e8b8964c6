"""Copies of sent replies in the mailbox, over IMAP: kept after each send, looked up before a resend.

Two places can hold one ([smtp] in config.toml):
* `sent_copy_folder`: the service APPENDs the exact bytes it handed over, right after the SMTP
  server accepted them and before the row is committed as sent. Found there = it left. Not
  found proves nothing: a sender killed between the server's acceptance and the APPEND
  leaves no copy of a delivered reply.
* `sent_folder`: the folder where the mail server itself files what we submit (Exchange Online
  files SMTP-submitted mail in "Sent Items"). Found = it left; not found, once the server had
  time to file it, = it did not (see `absence_proves`).
Both are read through the [source.imap] account. A reply is found by `UID SEARCH HEADER
Message-ID <id>`, and the hit's own Message-ID header is compared, because a server's header
search may match loosely.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from email import policy
from email.parser import BytesHeaderParser

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.config import Settings
from inbox.errors import SentCopyError, SourceError
from ingest.sources.imap import ImapSource
from models import OutboxStatus, OutgoingMail
from replies.compose import identifiers

log = logging.getLogger(__name__)
_MSGID_FIELD = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"
_MSGID_KEY = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


class Keeper:
    """An open IMAP session that APPENDs a copy of each reply the server accepted."""

    def __init__(self, client: IMAPClient, folder: str) -> None:
        self.client, self.folder = client, folder

    def keep(self, data: bytes) -> None:
        try:
            self.client.append(self.folder, data, flags=[b"\\Seen"])
        except (IMAPClientError, OSError) as err:
            raise SentCopyError(f"could not save a copy in {self.folder!r}: {err}") from err


class SentCopies:
    def __init__(self, settings: Settings) -> None:
        self.imap = settings.source.imap
        self.copy_folder = settings.smtp.sent_copy_folder
        self.sent_folder = settings.smtp.sent_folder

    @property
    def folders(self) -> tuple[str, ...]:
        """Where a copy may be, in the order they are searched."""
        return tuple(f for f in (self.copy_folder, self.sent_folder) if f)

    @property
    def enabled(self) -> bool:
        return bool(self.folders)

    @contextmanager
    def _connected(self) -> Iterator[IMAPClient]:
        """A logged-in client; errors of the caller's own work inside pass through unchanged."""
        if not self.imap.host:
            raise SentCopyError("[smtp] sent_copy_folder and sent_folder are read over [source.imap]: set its host and user")
        source = ImapSource(self.imap, account="sent-copies")
        try:
            source.__enter__()  # connects, logs in, selects [source.imap] folder; closes itself on failure
        except SourceError as err:
            raise SentCopyError(f"cannot open the mailbox for sent copies: {err}") from err
        try:
            yield source.client
        finally:
            source.__exit__(None, None, None)

    @contextmanager
    def keeper(self) -> Iterator[Keeper | None]:
        """A Keeper for one send run, or None when no copy is wanted or the mailbox is away.

        Opened before the first SMTP transaction so that, between the server's acceptance and
        our commit, only the APPEND itself is left to happen.
        """
        if not self.copy_folder:
            yield None
            return
        with ExitStack() as stack:
            try:
                client = stack.enter_context(self._connected())
                _ensure_folder(client, self.copy_folder)
            except SentCopyError as err:  # the replies still go; only the evidence for a later check is missing
                log.warning("no sent copies this run: %s", err)
                client = None
            yield Keeper(client, self.copy_folder) if client is not None else None

    def find(self, message_ids: Iterable[str]) -> dict[str, str]:
        """{message_id: folder} for every reply a copy of which is in one of the folders."""
        wanted = list(dict.fromkeys(message_ids))
        found: dict[str, str] = {}
        with self._connected() as client:
            for folder in self.folders:
                rest = [m for m in wanted if m not in found]
                if rest:
                    found.update(dict.fromkeys(_search(client, folder, rest, must_exist=folder == self.sent_folder), folder))
        return found

    def absence_proves(self, session: Session, filed_before: datetime) -> bool:
        """Whether a reply missing from `sent_folder` was not sent: only when that folder is seen to
        hold the last reply we know was accepted before `filed_before` (so the server files there)."""
        if not self.sent_folder:
            return False
        known = session.scalar(
            select(OutgoingMail.message_id).where(OutgoingMail.status == OutboxStatus.SENT, OutgoingMail.sent_at < filed_before)
            .order_by(OutgoingMail.sent_at.desc()).limit(1)
        )
        if known is None:
            return False
        with self._connected() as client:
            return bool(_search(client, self.sent_folder, [known], must_exist=True))


def _ensure_folder(client: IMAPClient, folder: str) -> None:
    try:
        if not client.folder_exists(folder):
            client.create_folder(folder)
    except (IMAPClientError, OSError) as err:
        raise SentCopyError(f"cannot create the folder {folder!r} for sent copies: {err}") from err


def _search(client: IMAPClient, folder: str, message_ids: list[str], *, must_exist: bool) -> list[str]:
    try:
        if not client.folder_exists(folder):
            if must_exist:
                raise SentCopyError(f"the folder {folder!r} does not exist: check [smtp] sent_folder")
            return []  # nothing was ever copied there
        client.select_folder(folder, readonly=True)
        return [m for m in message_ids if _holds(client, m)]
    except (IMAPClientError, OSError) as err:
        raise SentCopyError(f"cannot search {folder!r} for sent copies: {err}") from err


def _holds(client: IMAPClient, message_id: str) -> bool:
    uids = client.search(["HEADER", "Message-ID", message_id])
    if not uids:
        return False
    heads = client.fetch(uids, [_MSGID_FIELD])
    return any(_message_id(head.get(_MSGID_KEY) or b"") == message_id for head in heads.values())


def _message_id(head: bytes) -> str | None:
    value = BytesHeaderParser(policy=policy.compat32).parsebytes(head).get("Message-ID", "")
    found = identifiers(str(value))  # the header may be folded, as some servers write it
    return found[0] if found else None
