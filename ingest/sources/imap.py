"""IMAP source (imapclient): TLS or STARTTLS, password or OAuth2 (XOAUTH2, as Exchange Online requires).

Progress is kept in the database per (account, folder, UIDVALIDITY), never in
the \\Seen flag. Bodies are fetched with BODY.PEEK[] so reading changes nothing
on the server; the optional move or flag runs only after our commit, and by default
only on mail the service handled (the registry staff work from the same inbox).
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from typing import cast

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from inbox.config import ImapConfig, secret
from inbox.db import insert_or_ignore
from inbox.errors import SourceError
from inbox.network import explain_connection_error, server_text
from ingest.sources.base import FetchedMail
from ingest.sources.imap_client import LeanIMAPClient
from ingest.store import Location
from mailauth.login import imap_use
from mailauth.tokens import TokenError, command_token, env_token
from models import Event, MailboxState, MessageLocation, utcnow

log = logging.getLogger(__name__)
BODY = b"BODY[]"
SIZE = b"RFC822.SIZE"
SIZE_CHUNK = 1000  # UIDs per size FETCH: a command line well under servers' limits (Dovecot: 64 KB)
SECTION = "source.imap"


class ImapSource:
    """readonly: EXAMINE instead of SELECT (the IDLE watcher only listens; a poll moves and flags)."""

    def __init__(self, config: ImapConfig, account: str, *, readonly: bool = False) -> None:
        self.config = config
        self.account = account
        self.readonly = readonly
        self.name = f"imap:{config.user}@{config.host}/{config.folder}"
        self.client: IMAPClient | None = None
        self.uidvalidity = 0
        self.uidnext: int | None = None  # from SELECT; None when the server does not say (RFC 3501 requires it)
        self.post_actions = bool(config.processed_folder or config.flag_processed)

    # -- connection -------------------------------------------------------
    def __enter__(self) -> ImapSource:
        try:
            self.client = self._connect()
            self._login(self.client)
            selected = self._select(self.client)
        except BaseException:
            self.__exit__()
            raise
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        self.uidnext = int(selected[b"UIDNEXT"]) if b"UIDNEXT" in selected else None
        return self

    @property
    def imap(self) -> IMAPClient:
        if self.client is None:
            raise SourceError(f"{self.name}: not connected (use the source in a `with` block)")
        return self.client

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            try:
                self.client.logout()
            except (IMAPClientError, OSError):
                self.client.shutdown()  # not logged in, or the server went away: close the socket
            self.client = None

    def _ssl_context(self) -> ssl.SSLContext:
        cafile = str(self.config.cafile) if self.config.cafile else None
        return ssl.create_default_context(cafile=cafile)

    def _connect(self) -> IMAPClient:
        cfg = self.config
        if not cfg.host:
            raise SourceError(f"[{SECTION}] host is empty: set the IMAP server in the config file")
        use_ssl = cfg.tls == "ssl"
        try:
            client = LeanIMAPClient(
                cfg.host, port=cfg.port, ssl=use_ssl, timeout=cfg.timeout_seconds,
                ssl_context=self._ssl_context() if use_ssl else None,
            )
            if cfg.tls == "starttls":
                client.starttls(self._ssl_context())
        except OSError as err:
            raise SourceError(explain_connection_error(err, section=SECTION, host=cfg.host, port=cfg.port, timeout=cfg.timeout_seconds)) from err
        except IMAPClientError as err:  # e.g. STARTTLS offered by no one
            raise SourceError(f"[{SECTION}] tls: {cfg.host}:{cfg.port}: {server_text(err)}") from err
        return client

    def _login(self, client: IMAPClient) -> None:
        cfg = self.config
        token = ""
        try:
            if cfg.auth != "password":  # SASL XOAUTH2, with a token of our own (microsoft) or the admin's (oauth2)
                token = self._oauth2_token()
                client.oauth2_login(cfg.user, token)
                return
            password = secret(cfg.password_env)
            if password is None:
                raise SourceError(f"no IMAP password: set the environment variable {cfg.password_env} ([{SECTION}] password_env)")
            client.login(cfg.user, password)
        except LoginError as err:
            raise SourceError(f"[{SECTION}] user: {cfg.host} refused the login of {cfg.user!r}: {server_text(err)}; "
                              f"{self._login_hint(token)}") from err
        except (IMAPClientError, OSError) as err:
            raise SourceError(f"{self.name}: the login failed: {server_text(err)}") from err

    def _login_hint(self, token: str) -> str:
        """What to check after a refused login; for the Entra ID app, read from the token it was refused."""
        cfg = self.config
        if cfg.auth == "microsoft":  # Exchange says only "AUTHENTICATE failed", whatever is missing
            from mailauth.microsoft import refusal_hint

            return refusal_hint(imap_use(cfg, cfg.user), token)
        if cfg.auth == "oauth2":
            return f"check user and the token ([{SECTION}] oauth2_token_command or ${cfg.oauth2_token_env})"
        return f"check user and the password in ${cfg.password_env}"

    def _select(self, client: IMAPClient) -> dict:
        try:
            return client.select_folder(self.config.folder, readonly=self.readonly)
        except (IMAPClientError, OSError) as err:
            raise SourceError(f"[{SECTION}] folder: cannot open {self.config.folder!r} on {self.config.host}: {server_text(err)}") from err

    def _oauth2_token(self) -> str:
        """A bearer token: the Entra ID app's (auth = "microsoft"), a command's or the environment's (auth = "oauth2")."""
        cfg = self.config
        try:
            if cfg.auth == "microsoft":
                from mailauth.microsoft import access_token  # msal and requests: 0.3 s of start-up, for this auth only

                return access_token(imap_use(cfg, cfg.user))
            if cfg.oauth2_token_command:
                return command_token(cfg.oauth2_token_command, key=f"[{SECTION}] oauth2_token_command")
            return env_token(cfg.oauth2_token_env, key=f"[{SECTION}] oauth2_token_env", alternative=f"[{SECTION}] oauth2_token_command")
        except TokenError as err:
            raise SourceError(str(err)) from err

    # -- state --------------------------------------------------------------
    def _state(self, session: Session) -> MailboxState:
        """This folder's progress row; insert-or-ignore, so two pollers may both create it."""
        mine = (MailboxState.account == self.account, MailboxState.folder == self.config.folder)
        query = select(MailboxState).where(*mine).execution_options(populate_existing=True)
        state = session.scalars(query).one_or_none()
        if state is None:  # the first poll of this folder (read first: an idle poll then writes no INSERT)
            insert_or_ignore(session, MailboxState, {"account": self.account, "folder": self.config.folder,
                                                     "uidvalidity": self.uidvalidity, "last_uid": 0}, ["account", "folder"])
            state = session.scalars(query).one()
        if state.uidvalidity != self.uidvalidity:
            # The server renumbered the folder: old UIDs mean nothing now. Start again from UID 1;
            # what we already have is recognised by its content hash and not processed twice.
            # Conditional on the old value, so of two pollers only one resets and reports it.
            old = state.uidvalidity
            reset = cast(CursorResult, session.execute(update(MailboxState).where(*mine, MailboxState.uidvalidity == old)
                                                       .values(uidvalidity=self.uidvalidity, last_uid=0)))
            if reset.rowcount:
                session.add(Event(action="uidvalidity_changed", detail=f"{self.name}: {old} -> {self.uidvalidity}"))
                log.warning("%s: UIDVALIDITY changed %s -> %s", self.name, old, self.uidvalidity)
            session.refresh(state)
        state.last_poll_at = utcnow()
        session.flush()
        return state

    def mark_stored(self, session: Session, batch: list[FetchedMail]) -> None:
        uids = [fetched.location.uid for fetched in batch if fetched.location is not None]
        if uids:
            self._advance(session, max(uids))

    def _advance(self, session: Session, uid: int) -> None:
        """last_uid only grows, whichever poller commits last (an UPDATE, not read-modify-write)."""
        session.execute(
            update(MailboxState)
            .where(MailboxState.account == self.account, MailboxState.folder == self.config.folder,
                   MailboxState.uidvalidity == self.uidvalidity, MailboxState.last_uid < uid)
            .values(last_uid=uid)
        )

    # -- fetching -----------------------------------------------------------
    def fetch_batches(self, session: Session) -> Iterator[list[FetchedMail]]:
        """New mail in batches of at most batch_size messages and batch_megabytes (one message may exceed it).

        Nothing new by SELECT's UIDNEXT: no further command, however full the folder. Otherwise
        UID SEARCH names the new UIDs, UID FETCH RFC822.SIZE sizes them (SIZE_CHUNK at a time, to
        keep command lines short), and one BODY.PEEK[] FETCH per batch downloads them. The caller
        commits each batch (mark_stored); after the last one, last_uid moves to UIDNEXT - 1, past
        UIDs that were expunged before we saw them, so the next idle poll stops at SELECT again."""
        state = self._state(session)
        session.commit()
        if self.uidnext is not None and self.uidnext <= state.last_uid + 1:
            return
        found = self._ask("search", lambda: self.imap.search(["UID", f"{state.last_uid + 1}:*"]))
        uids = sorted(uid for uid in found if uid > state.last_uid)  # n:* names the last message even when older
        for batch in self._batches(self._sizes(uids)):
            yield list(self._fetch_batch(session, batch))
        if self.uidnext is not None:
            self._advance(session, self.uidnext - 1)  # UIDs below UIDNEXT that were not listed are gone for good

    def _sizes(self, uids: list[int]) -> Iterator[tuple[int, int]]:
        """(UID, RFC822.SIZE) of each UID still there, in order."""
        for start in range(0, len(uids), SIZE_CHUNK):
            chunk = uids[start:start + SIZE_CHUNK]
            found = self._ask("fetch", lambda chunk=chunk: self.imap.fetch(chunk, ["RFC822.SIZE"]))
            yield from ((uid, int(found[uid].get(SIZE, 0))) for uid in chunk if uid in found)

    def _batches(self, sizes: Iterator[tuple[int, int]]) -> Iterator[list[int]]:
        limit_count, limit_bytes = self.config.batch_size, int(self.config.batch_megabytes * 1024 * 1024)
        batch: list[int] = []
        total = 0
        for uid, size in sizes:
            if batch and (len(batch) >= limit_count or total + size > limit_bytes):
                yield batch
                batch, total = [], 0
            batch.append(uid)
            total += size
        if batch:
            yield batch

    def _fetch_batch(self, session: Session, uids: list[int]) -> Iterator[FetchedMail]:
        # Only a recorded location (account, folder, UIDVALIDITY, UID) saves a download: a known
        # Message-ID does not, because a different message may carry it (see ingest/store.py).
        known = self._recorded(session, uids)
        wanted = [uid for uid in uids if uid not in known]
        bodies = self._ask("fetch", lambda: self.imap.fetch(wanted, ["BODY.PEEK[]"])) if wanted else {}
        if known:
            self._advance(session, max(known))  # another poller stored them; nothing to fetch
        for uid in wanted:
            raw = bodies.pop(uid, {}).get(BODY)  # popped: the batch's bytes are held once, by the caller
            if raw is None:
                log.warning("%s: UID %s vanished before it could be fetched", self.name, uid)
                continue
            location = Location(self.account, self.config.folder, self.uidvalidity, uid)
            yield FetchedMail(raw=raw, label=f"{self.config.folder} uid {uid}", location=location)

    def _ask(self, what: str, command):
        """One IMAP command; a server that goes away mid-poll is one line, and what was stored stays."""
        try:
            return command()
        except (IMAPClientError, OSError) as err:
            raise SourceError(f"{self.name}: {what} failed: {server_text(err)}; the next poll continues from here") from err

    def _recorded(self, session: Session, uids: list[int]) -> set[int]:
        return set(session.scalars(select(MessageLocation.uid).where(
            MessageLocation.account == self.account, MessageLocation.folder == self.config.folder,
            MessageLocation.uidvalidity == self.uidvalidity, MessageLocation.uid.in_(uids),
        )))

    # -- post actions ---------------------------------------------------------
    def after_commit(self, fetched: FetchedMail, *, handled: bool) -> None:
        """Move or flag the message once it is safely stored and processed.

        With post_action = "handled" (the default) only mail the service dealt with is touched;
        everything else stays where the registry staff expect it.
        """
        cfg = self.config
        if fetched.location is None or not (cfg.processed_folder or cfg.flag_processed):
            return
        if cfg.post_action == "handled" and not handled:
            return
        uid = fetched.location.uid
        try:
            if cfg.flag_processed:
                self.imap.add_flags([uid], [b"$Processed"])
            if cfg.processed_folder:
                self._move(uid, cfg.processed_folder)
        except (IMAPClientError, OSError) as err:
            # The mail is safely stored; a failed move only means it stays in the folder.
            log.warning("%s: post-action for UID %s failed: %s", self.name, uid, server_text(err))

    def _move(self, uid: int, folder: str) -> None:
        imap = self.imap
        if not imap.folder_exists(folder):
            imap.create_folder(folder)
        if imap.has_capability("MOVE"):
            imap.move([uid], folder)
        else:
            imap.copy([uid], folder)
            imap.delete_messages([uid])
            if imap.has_capability("UIDPLUS"):
                imap.uid_expunge([uid])
            else:
                imap.expunge()
