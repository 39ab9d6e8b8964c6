"""Who signs in, and how: an Entra ID app's keys as one config section ([source.imap] or [smtp]) holds them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# The resources an app asks a token for, with client credentials always "<resource>/.default".
MAIL_SCOPE = "https://outlook.office365.com/.default"  # IMAP and SMTP (Office 365 Exchange Online)
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


class MicrosoftKeys(Protocol):
    """The sign-in keys of a config section (inbox/config.py); read-only, as the sections are frozen."""

    @property
    def tenant_id(self) -> str: ...
    @property
    def client_id(self) -> str: ...
    @property
    def client_secret_env(self) -> str: ...
    @property
    def certificate_thumbprint(self) -> str: ...
    @property
    def private_key_file(self) -> Path | None: ...
    @property
    def authority(self) -> str: ...
    @property
    def authority_cafile(self) -> Path | None: ...
    @property
    def scope(self) -> str: ...
    @property
    def timeout_seconds(self) -> float: ...


@dataclass(frozen=True)
class MicrosoftLogin:
    """One app's client-credentials sign-in, and the section its keys came from (for messages)."""

    section: str  # "source.imap" or "smtp"
    tenant_id: str
    client_id: str
    client_secret_env: str
    certificate_thumbprint: str
    private_key_file: Path | None
    authority: str
    authority_cafile: Path | None
    timeout: float

    @classmethod
    def of(cls, keys: MicrosoftKeys, section: str) -> MicrosoftLogin:
        return cls(section=section, tenant_id=keys.tenant_id, client_id=keys.client_id, client_secret_env=keys.client_secret_env,
                   certificate_thumbprint=keys.certificate_thumbprint, private_key_file=keys.private_key_file,
                   authority=keys.authority, authority_cafile=keys.authority_cafile, timeout=keys.timeout_seconds)

    @property
    def authority_url(self) -> str:
        """The tenant's authority, e.g. https://login.microsoftonline.com/<tenant>."""
        return f"{self.authority.rstrip('/')}/{self.tenant_id}"

    @property
    def uses_certificate(self) -> bool:
        return bool(self.certificate_thumbprint)

    def key(self, *names: str) -> str:
        """'[smtp] client_id, tenant_id': the keys a message tells a person to check."""
        return f"[{self.section}] {', '.join(names)}"


@dataclass(frozen=True)
class Use:
    """What a token is for: the service, its scope, and the application permission the token should carry."""

    service: str  # "IMAP", "SMTP", "Microsoft Graph"
    login: MicrosoftLogin
    scope: str
    role: str  # IMAP.AccessAsApp, SMTP.SendAsApp, Mail.Send
    mailbox: str  # the mailbox the app acts on


def imap_use(keys: MicrosoftKeys, mailbox: str) -> Use:
    return Use("IMAP", MicrosoftLogin.of(keys, "source.imap"), keys.scope or MAIL_SCOPE, "IMAP.AccessAsApp", mailbox)


def smtp_use(keys: MicrosoftKeys, mailbox: str) -> Use:
    return Use("SMTP", MicrosoftLogin.of(keys, "smtp"), keys.scope or MAIL_SCOPE, "SMTP.SendAsApp", mailbox)


def graph_use(keys: MicrosoftKeys, mailbox: str) -> Use:
    return Use("Microsoft Graph", MicrosoftLogin.of(keys, "smtp"), keys.scope or GRAPH_SCOPE, "Mail.Send", mailbox)
