"""IMAP source (imapclient): TLS or STARTTLS, password or OAuth2 (XOAUTH2, as Exchange Online requires).

Progress is kept in the database per (account, folder, UIDVALIDITY), never in
the \\Seen flag. Bodies are fetched with BODY.PEEK[] so reading changes nothing
on the server; the optional move or flag runs only after our commit, and by default
only on mail the service handled (the registry staff work from the same inbox).
"""

from __future__ import annotations

import logging
import shlex
import ssl
import subprocess
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
from ingest.store import Location
from models import Event, MailboxState, MessageLocation, utcnow

log = logging.getLogger(__name__)
BODY = b"BODY[]"
SECTION = "source.imap"


class ImapSource:
    def __init__(self, config: ImapConfig, account: str) -> None:
        self.config = config
        self.account = account
        self.name = f"imap:{config.user}@{config.host}/{config.folder}"
        self.client: IMAPClient | None = None
        self.uidvalidity = 0

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
            client = IMAPClient(
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
        try:
            if cfg.auth == "oauth2":
                client.oauth2_login(cfg.user, self._oauth2_token())
                return
            password = secret(cfg.password_env)
            if password is None:
                raise SourceError(f"no IMAP password: set the environment variable {cfg.password_env} ([{SECTION}] password_env)")
            client.login(cfg.user, password)
        except LoginError as err:
            credential = f"the token ([{SECTION}] oauth2_token_command or ${cfg.oauth2_token_env})" if cfg.auth == "oauth2" \
                else f"the password in ${cfg.password_env}"
            raise SourceError(f"[{SECTION}] user: {cfg.host} refused the login of {cfg.user!r}: {server_text(err)}; "
                              f"check user and {credential}") from err
        except (IMAPClientError, OSError) as err:
            raise SourceError(f"{self.name}: the login failed: {server_text(err)}") from err

    def _select(self, client: IMAPClient) -> dict:
        try:
            return client.select_folder(self.config.folder)
        except (IMAPClientError, OSError) as err:
            raise SourceError(f"[{SECTION}] folder: cannot open {self.config.folder!r} on {self.config.host}: {server_text(err)}") from err

    def _oauth2_token(self) -> str:
        """A bearer token from a command (e.g. one that runs MSAL's client-credentials flow) or the environment."""
        cfg = self.config
        if cfg.oauth2_token_command:
            done = subprocess.run(shlex.split(cfg.oauth2_token_command), capture_output=True, text=True, timeout=60)
            if done.returncode != 0 or not done.stdout.strip():
                raise SourceError(f"[{SECTION}] oauth2_token_command failed ({done.returncode}): {done.stderr.strip()[:200]}")
            return done.stdout.strip()
        token = secret(cfg.oauth2_token_env)
        if token is None:
            raise SourceError(f"no OAuth2 token: set {cfg.oauth2_token_env} or [{SECTION}] oauth2_token_command")
        return token

    # -- state --------------------------------------------------------------
    def _state(self, session: Session) -> MailboxState:
        """This folder's progress row; insert-or-ignore, so two pollers may both create it."""
        insert_or_ignore(session, MailboxState, {"account": self.account, "folder": self.config.folder,
                                                 "uidvalidity": self.uidvalidity, "last_uid": 0}, ["account", "folder"])
        mine = (MailboxState.account == self.account, MailboxState.folder == self.config.folder)
        state = session.scalars(select(MailboxState).where(*mine).execution_options(populate_existing=True)).one()
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

    def mark_stored(self, session: Session, fetched: FetchedMail) -> None:
        if fetched.location is not None:
            self._advance(session, fetched.location.uid)

    def _advance(self, session: Session, uid: int) -> None:
        """last_uid only grows, whichever poller commits last (an UPDATE, not read-modify-write)."""
        session.execute(
            update(MailboxState)
            .where(MailboxState.account == self.account, MailboxState.folder == self.config.folder,
                   MailboxState.uidvalidity == self.uidvalidity, MailboxState.last_uid < uid)
            .values(last_uid=uid)
        )

    # -- fetching -----------------------------------------------------------
    def fetch_new(self, session: Session) -> Iterator[FetchedMail]:
        state = self._state(session)
        session.commit()
        found = self._ask("search", lambda: self.imap.search(["UID", f"{state.last_uid + 1}:*"]))
        uids = sorted(uid for uid in found if uid > state.last_uid)
        size = self.config.batch_size
        for start in range(0, len(uids), size):
            yield from self._fetch_batch(session, uids[start:start + size])

    def _fetch_batch(self, session: Session, uids: list[int]) -> Iterator[FetchedMail]:
        # Only a recorded location (account, folder, UIDVALIDITY, UID) saves a download: a known
        # Message-ID does not, because a different message may carry it (see ingest/store.py).
        known = self._recorded(session, uids)
        wanted = [uid for uid in uids if uid not in known]
        bodies = self._ask("fetch", lambda: self.imap.fetch(wanted, ["BODY.PEEK[]"])) if wanted else {}
        for uid in uids:
            if uid in known:
                self._advance(session, uid)  # another poller stored it; nothing to fetch
                continue
            raw = bodies.get(uid, {}).get(BODY)
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
