"""The mailbox: sign in, open the folder, read UIDVALIDITY and the message count (or, for a
directory source, the folder). The IMAP source's own connection code does the work, so the
doctor signs in exactly as the service does."""

from __future__ import annotations

from imapclient.exceptions import IMAPClientError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from inbox.config import ImapConfig
from inbox.errors import SourceError
from inbox.network import server_text
from ingest.sources import DirectorySource, ImapSource
from models import MailboxState
from ops.doctor import CheckFailed, Checkup, split_advice

SECTION = "[source.imap]"
SHOWN_FOLDERS = 20
TLS = {"ssl": "TLS", "starttls": "STARTTLS", "none": "no TLS"}
SIGN_IN = {"password": "password", "oauth2": "OAuth2 token", "microsoft": "Entra ID app"}


def check_mailbox(checkup: Checkup) -> str:
    source = checkup.settings.source
    if source.kind == "directory":
        return _directory(checkup)
    return _imap(checkup, source.imap)


def _directory(checkup: Checkup) -> str:
    folder = checkup.settings.path(checkup.settings.source.directory.path)
    try:
        with DirectorySource(folder) as source:
            count = len(source.files())
    except (SourceError, OSError) as err:
        raise CheckFailed(f"[source.directory] path: {err}", "create the folder, or set [source.directory] path "
                                                             "(or [source] kind = \"imap\" to read a mailbox)") from err
    return f"[source] kind = \"directory\": {folder} holds {count} message file(s); no mailbox is read"


def _imap(checkup: Checkup, cfg: ImapConfig) -> str:
    try:
        with ImapSource(cfg, account=checkup.settings.source.account, readonly=True) as source:
            messages = _ask(cfg, lambda: source.imap.folder_status(cfg.folder, [b"MESSAGES"])[b"MESSAGES"])
            idle = _ask(cfg, lambda: source.imap.has_capability("IDLE"))
            uidvalidity = source.uidvalidity
    except SourceError as err:
        problem, fix = split_advice(str(err), "check the [source.imap] settings against the mail server")
        if problem.startswith(f"{SECTION} folder"):
            fix = _folder_fix(checkup, cfg)
        raise CheckFailed(problem, fix) from err
    push = "IDLE offered" if idle else "no IDLE: mail is read every [schedule] poll_minutes"
    return (f"{cfg.user} at {cfg.host}:{cfg.port} ({TLS[cfg.tls]}, {SIGN_IN[cfg.auth]}): folder {cfg.folder!r}, "
            f"UIDVALIDITY {uidvalidity}, {messages} message(s), {push}{_recorded(checkup, cfg, uidvalidity)}")


def _ask(cfg: ImapConfig, command):
    try:
        return command()
    except (IMAPClientError, OSError) as err:
        raise SourceError(f"{SECTION} folder: {cfg.folder!r} on {cfg.host}: {server_text(err)}") from err


def _folder_fix(checkup: Checkup, cfg: ImapConfig) -> str:
    """Name the folders the server has: signed in once more, at INBOX, which every server has."""
    try:
        with ImapSource(cfg.model_copy(update={"folder": "INBOX"}), account=checkup.settings.source.account, readonly=True) as source:
            names = [str(name) for _flags, _delimiter, name in source.imap.list_folders()]
    except (SourceError, IMAPClientError, OSError):
        return f"set {SECTION} folder to a folder that exists on {cfg.host}"
    shown = ", ".join(repr(name) for name in names[:SHOWN_FOLDERS]) + (", ..." if len(names) > SHOWN_FOLDERS else "")
    return f"set {SECTION} folder to one of the folders on {cfg.host}: {shown}"


def _recorded(checkup: Checkup, cfg: ImapConfig, uidvalidity: int) -> str:
    """A UIDVALIDITY other than the one the database holds is news (the server renumbered the folder)."""
    if checkup.database_file_missing:
        return ""
    try:
        with checkup.ctx.sessions() as session:
            known = session.scalar(select(MailboxState.uidvalidity).where(
                MailboxState.account == checkup.settings.source.account, MailboxState.folder == cfg.folder))
    except SQLAlchemyError:  # the database check reports that
        return ""
    if known is None or known == uidvalidity:
        return ""
    return f" (the database has UIDVALIDITY {known}: the next poll reads the folder again from UID 1 and skips stored mail)"
