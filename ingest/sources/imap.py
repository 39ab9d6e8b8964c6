"""IMAP source (imapclient): TLS or STARTTLS, password or OAuth2 (XOAUTH2, as Exchange Online requires).

Progress is kept in the database per (account, folder, UIDVALIDITY), never in
the \\Seen flag. Bodies are fetched with BODY.PEEK[] so reading changes nothing
on the server; the optional move or flag runs only after our commit.
"""

from __future__ import annotations

import logging
import shlex
import ssl
import subprocess
from collections.abc import Iterator

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.config import ImapConfig, secret
from inbox.errors import SourceError
from ingest.sources.base import FetchedMail
from ingest.store import Location, header_message_id
from models import Event, MailboxState, Message, message_id_key, utcnow

log = logging.getLogger(__name__)
BODY = b"BODY[]"
MSGID_FIELD = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"
MSGID_KEY = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


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
            selected = self.client.select_folder(self.config.folder)
        except (IMAPClientError, OSError, ssl.SSLError) as err:
            self.__exit__()
            raise SourceError(f"{self.name}: {err}") from err
        except SourceError:
            self.__exit__()
            raise
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        return self

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
            raise SourceError("[source.imap] host is empty: set the IMAP server in the config file")
        use_ssl = cfg.tls == "ssl"
        client = IMAPClient(
            cfg.host, port=cfg.port, ssl=use_ssl, timeout=cfg.timeout_seconds,
            ssl_context=self._ssl_context() if use_ssl else None,
        )
        if cfg.tls == "starttls":
            client.starttls(self._ssl_context())
        return client

    def _login(self, client: IMAPClient) -> None:
        cfg = self.config
        if cfg.auth == "oauth2":
            client.oauth2_login(cfg.user, self._oauth2_token())
            return
        password = secret(cfg.password_env)
        if password is None:
            raise SourceError(f"no IMAP password: set the environment variable {cfg.password_env}")
        client.login(cfg.user, password)

    def _oauth2_token(self) -> str:
        """A bearer token from a command (e.g. one that runs MSAL's client-credentials flow) or the environment."""
        cfg = self.config
        if cfg.oauth2_token_command:
            done = subprocess.run(shlex.split(cfg.oauth2_token_command), capture_output=True, text=True, timeout=60)
            if done.returncode != 0 or not done.stdout.strip():
                raise SourceError(f"oauth2_token_command failed ({done.returncode}): {done.stderr.strip()[:200]}")
            return done.stdout.strip()
        token = secret(cfg.oauth2_token_env)
        if token is None:
            raise SourceError(f"no OAuth2 token: set {cfg.oauth2_token_env} or [source.imap] oauth2_token_command")
        return token

    # -- state --------------------------------------------------------------
    def _state(self, session: Session) -> MailboxState:
        state = session.scalar(
            select(MailboxState).where(MailboxState.account == self.account, MailboxState.folder == self.config.folder)
        )
        if state is None:
            state = MailboxState(account=self.account, folder=self.config.folder, uidvalidity=self.uidvalidity, last_uid=0)
            session.add(state)
        elif state.uidvalidity != self.uidvalidity:
            # The server renumbered the folder: old UIDs mean nothing now. Start again from UID 1;
            # what we already have is recognised by Message-ID and hash and not processed twice.
            session.add(Event(action="uidvalidity_changed", detail=f"{self.name}: {state.uidvalidity} -> {self.uidvalidity}"))
            log.warning("%s: UIDVALIDITY changed %s -> %s", self.name, state.uidvalidity, self.uidvalidity)
            state.uidvalidity, state.last_uid = self.uidvalidity, 0
        state.last_poll_at = utcnow()
        session.flush()
        return state

    def mark_stored(self, session: Session, fetched: FetchedMail) -> None:
        state = self._state(session)
        state.last_uid = max(state.last_uid, fetched.location.uid)

    # -- fetching -----------------------------------------------------------
    def fetch_new(self, session: Session) -> Iterator[FetchedMail]:
        state = self._state(session)
        session.commit()
        uids = [uid for uid in self.client.search(["UID", f"{state.last_uid + 1}:*"]) if uid > state.last_uid]
        size = self.config.batch_size
        for start in range(0, len(uids), size):
            yield from self._fetch_batch(session, sorted(uids)[start:start + size])

    def _fetch_batch(self, session: Session, uids: list[int]) -> Iterator[FetchedMail]:
        heads = self.client.fetch(uids, [MSGID_FIELD])
        wanted = [uid for uid in uids if not self._already_stored(session, uid, heads.get(uid, {}).get(MSGID_KEY))]
        bodies = self.client.fetch(wanted, ["BODY.PEEK[]"]) if wanted else {}
        for uid in uids:
            location = Location(self.account, self.config.folder, self.uidvalidity, uid)
            raw = bodies.get(uid, {}).get(BODY)
            if uid in wanted and raw is None:
                log.warning("%s: UID %s vanished before it could be fetched", self.name, uid)
                continue
            # A message known by Message-ID is yielded with its header only: the store records the
            # new location against the stored copy without downloading the body again.
            yield FetchedMail(raw=raw if raw is not None else heads[uid][MSGID_KEY], label=f"{self.config.folder} uid {uid}", location=location)

    def _already_stored(self, session: Session, uid: int, head: bytes | None) -> bool:
        message_id = header_message_id(head or b"")
        if not message_id:
            return False
        return session.scalar(select(Message.id).where(Message.message_id_hash == message_id_key(message_id)).limit(1)) is not None

    # -- post actions ---------------------------------------------------------
    def after_commit(self, fetched: FetchedMail) -> None:
        cfg = self.config
        if fetched.location is None or not (cfg.processed_folder or cfg.flag_processed):
            return
        uid = fetched.location.uid
        try:
            if cfg.flag_processed:
                self.client.add_flags([uid], [b"$Processed"])
            if cfg.processed_folder:
                self._move(uid, cfg.processed_folder)
        except IMAPClientError as err:
            # The mail is safely stored; a failed move only means it stays in the folder.
            log.warning("%s: post-action for UID %s failed: %s", self.name, uid, err)

    def _move(self, uid: int, folder: str) -> None:
        if not self.client.folder_exists(folder):
            self.client.create_folder(folder)
        if self.client.has_capability("MOVE"):
            self.client.move([uid], folder)
        else:
            self.client.copy([uid], folder)
            self.client.delete_messages([uid])
            if self.client.has_capability("UIDPLUS"):
                self.client.uid_expunge([uid])
            else:
                self.client.expunge()

