"""Mail sources: where raw messages come from."""

from __future__ import annotations

from inbox.config import Settings
from ingest.sources.base import FetchedMail, MailSource
from ingest.sources.directory import DirectorySource
from ingest.sources.imap import ImapSource


def make_source(settings: Settings) -> MailSource:
    source = settings.source
    if source.kind == "imap":
        return ImapSource(source.imap, account=source.account)
    return DirectorySource(settings.path(source.directory.path))


__all__ = ["DirectorySource", "FetchedMail", "ImapSource", "MailSource", "make_source"]
