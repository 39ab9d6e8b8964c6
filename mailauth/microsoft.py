"""Tokens of an Entra ID app (MSAL's client-credentials flow), kept in memory and renewed before they run out.

MSAL keeps an app's tokens in its in-memory cache. Since msal 1.23 `acquire_token_for_client`
looks there first and asks Entra ID again only when the cached token has less than five minutes
left, or has passed the `refresh_in` Entra ID gave it: a token is renewed before it expires, and
a login never waits for a round trip to Entra ID while a good token is at hand. That cache lives
in the app object, so apps are kept here for the life of the process, one per sign-in (login keys
and credential), not one per connection: the IMAP source is built anew for every poll.

A server's refusal of a token Entra ID just issued is explained from the token itself: its
`roles` claim lists the application permissions the app was granted (IMAP.AccessAsApp,
SMTP.SendAsApp, Mail.Send), so a missing permission and a missing mailbox grant read differently.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any

import msal
import requests

from inbox.config import Settings, secret
from mailauth import aadsts
from mailauth.login import MicrosoftLogin, Use, graph_use, imap_use, smtp_use
from mailauth.tokens import TokenError

GUIDE = 'README, "Connecting to Exchange Online"'


@dataclass(frozen=True)
class Token:
    value: str
    expires_in: int  # seconds left
    from_cache: bool  # MSAL answered from its cache, without asking Entra ID


class MicrosoftTokens:
    """One app's tokens. The MSAL app is built on first use: building it asks Entra ID for the tenant's endpoints."""

    def __init__(self, login: MicrosoftLogin, credential: str | dict[str, str]) -> None:
        self.login = login
        self._credential = credential
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = threading.Lock()  # the poll and the sender may ask at once

    def token(self, scope: str) -> Token:
        """A token for `scope`, from the cache while it has more than five minutes left. Raises TokenError."""
        app = self._application()
        try:
            result = app.acquire_token_for_client(scopes=[scope])
        except requests.RequestException as err:
            raise TokenError(aadsts.unreachable(err, self.login)) from err
        except ValueError as err:  # a key PyJWT cannot sign with, or an answer that is not JSON
            raise TokenError(f"{self.login.key('authority', 'private_key_file')}: the sign-in failed: {' '.join(str(err).split())[:200]}") from err
        if not isinstance(result, dict) or "access_token" not in result:
            raise TokenError(aadsts.refusal(result or {}, self.login, scope))
        return Token(str(result["access_token"]), int(result.get("expires_in") or 0), result.get("token_source") == "cache")

    def forget(self) -> None:
        """Drop the cached tokens: the next one is fresh (and carries permissions granted meanwhile)."""
        with self._lock:
            if self._app is not None:
                self._app.remove_tokens_for_client()

    def _application(self) -> msal.ConfidentialClientApplication:
        with self._lock:
            if self._app is None:
                self._app = self._build()
            return self._app

    def _build(self) -> msal.ConfidentialClientApplication:
        login = self.login
        try:
            return msal.ConfidentialClientApplication(
                login.client_id, client_credential=self._credential, authority=login.authority_url,
                # The authority is the admin's choice (a sovereign cloud, a test server): no look-up at
                # login.microsoftonline.com to validate it.
                instance_discovery=False, http_client=_session(login),
            )
        except requests.RequestException as err:
            raise TokenError(aadsts.unreachable(err, login)) from err
        except ValueError as err:
            raise TokenError(aadsts.setup_failure(err, login)) from err


class _SignInAdapter(requests.adapters.HTTPAdapter):
    """How MSAL's requests go out: with the sign-in's timeout, one retry of a failed connection (as MSAL's
    own default), and authority_cafile honoured even where REQUESTS_CA_BUNDLE is set (requests lets that
    variable override a session's CA file; an adapter sees the final value)."""

    def __init__(self, login: MicrosoftLogin) -> None:
        super().__init__(max_retries=1)
        self.timeout = login.timeout
        self.cafile = str(login.authority_cafile) if login.authority_cafile else None

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None, verify: Any = True,
             cert: Any = None, proxies: dict[str, str] | None = None) -> requests.Response:
        return super().send(request, stream=stream, timeout=self.timeout if timeout is None else timeout,
                            verify=self.cafile or verify, cert=cert, proxies=proxies)


def _session(login: MicrosoftLogin) -> requests.Session:
    session = requests.Session()
    session.mount("https://", _SignInAdapter(login))
    return session


_apps: dict[tuple[MicrosoftLogin, str], MicrosoftTokens] = {}
_apps_lock = threading.Lock()


def tokens_for(login: MicrosoftLogin) -> MicrosoftTokens:
    """The process's one MicrosoftTokens for this sign-in (a new secret or key is a new sign-in)."""
    credential, fingerprint = _credential(login)
    with _apps_lock:
        if (login, fingerprint) not in _apps:
            _apps[login, fingerprint] = MicrosoftTokens(login, credential)
        return _apps[login, fingerprint]


def access_token(use: Use) -> str:
    """A bearer token for `use` (raises TokenError naming what to change)."""
    return tokens_for(use.login).token(use.scope).value


def _credential(login: MicrosoftLogin) -> tuple[str | dict[str, str], str]:
    """MSAL's client_credential and a fingerprint of it (so a changed secret gets a new app)."""
    if login.uses_certificate:
        pem = _private_key(login)
        return {"private_key": pem, "thumbprint": login.certificate_thumbprint}, hashlib.sha256(pem.encode()).hexdigest()
    value = secret(login.client_secret_env)
    if value is None:
        raise TokenError(f"no client secret for the Microsoft sign-in: set the environment variable {login.client_secret_env} "
                         f"({login.key('client_secret_env')}), or use a certificate (certificate_thumbprint, private_key_file)")
    return value, hashlib.sha256(value.encode()).hexdigest()


def _private_key(login: MicrosoftLogin) -> str:
    path = login.private_key_file
    assert path is not None, "the config requires private_key_file with certificate_thumbprint"
    try:
        pem = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as err:
        raise TokenError(f"{login.key('private_key_file')}: cannot read {path}: {getattr(err, 'strerror', None) or err}") from err
    if "ENCRYPTED PRIVATE KEY" in pem or "Proc-Type: 4,ENCRYPTED" in pem:
        raise TokenError(f"{login.key('private_key_file')}: {path} is encrypted: store the key without a passphrase "
                         "(`openssl pkey -in key.pem -out plain.pem`) in a file only the service can read")
    if "-----BEGIN" not in pem or "PRIVATE KEY-----" not in pem:
        raise TokenError(f"{login.key('private_key_file')}: {path} holds no PEM private key (from a .pfx: "
                         "`openssl pkcs12 -in app.pfx -nocerts -nodes -out key.pem`)")
    return pem


# -- why a server refused a good token -------------------------------------------------------------

def token_roles(token: str) -> frozenset[str] | None:
    """The application permissions an Entra ID access token carries; None when it is no readable JWT.

    Read without checking the signature: only to explain a refusal, never to grant anything."""
    parts = token.split(".")
    if len(parts) != 3 or len(parts[1]) > 20_000:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return None
    roles = claims.get("roles", []) if isinstance(claims, dict) else None
    return frozenset(str(role) for role in roles) if isinstance(roles, list) else None


def refusal_hint(use: Use, token: str) -> str:
    """What to change when `use.service` refused a token Entra ID had just issued.

    Forgets the app's cached tokens too: permissions granted to fix this reach only new tokens."""
    tokens_for(use.login).forget()
    roles = token_roles(token)
    if roles is not None and use.role not in roles:
        return _missing_role(use)
    if use.service == "Microsoft Graph":
        return _graph_scope(use, roles is None)
    return _mailbox_grant(use, roles is None)


def _missing_role(use: Use) -> str:
    where = f"{use.login.key('client_id')}: the app's token carries no {use.role}"
    if use.service == "Microsoft Graph":
        return (f"{where}: grant it (API permissions, Microsoft Graph, Application permissions, Mail.Send) with admin "
                f"consent, or assign the Exchange role \"Application Mail.Send\" scoped to {use.mailbox} ({GUIDE})")
    return (f"{where}: add it (API permissions, APIs my organization uses, Office 365 Exchange Online, Application "
            f"permissions, {use.role}) and grant admin consent ({GUIDE})")


def _mailbox_grant(use: Use, unsure: bool) -> str:
    client = use.login.client_id
    grant = (f"give the app's service principal the mailbox {use.mailbox}: in Exchange Online PowerShell run "
             f"New-ServicePrincipal -AppId {client} -ObjectId <Object ID of the Enterprise application>, then "
             f"Add-MailboxPermission -Identity {use.mailbox} -User <that Object ID> -AccessRights FullAccess")
    if use.service == "SMTP":
        grant += f", and turn SMTP AUTH on for it (Set-CASMailbox -Identity {use.mailbox} -SmtpClientAuthenticationDisabled $false)"
    lead = f"check that the app has {use.role} with admin consent, and " if unsure else f"the token carries {use.role}, so "
    return f"{lead}{grant} ({GUIDE})"


def _graph_scope(use: Use, unsure: bool) -> str:
    client = use.login.client_id
    lead = "check that the app has Mail.Send, and whether " if unsure else ""
    return (f"{lead}an application access policy or an RBAC for Applications scope leaves {use.mailbox} out: check with "
            f"Test-ServicePrincipalAuthorization -Identity {client} -Resource {use.mailbox} "
            f"or Test-ApplicationAccessPolicy -Identity {use.mailbox} -AppId {client} ({GUIDE})")


# -- for `inbox doctor` ---------------------------------------------------------------------------------

def uses(settings: Settings) -> list[Use]:
    """Where the configuration signs in with an Entra ID app: IMAP, SMTP, Graph (in that order)."""
    found = []
    imap, smtp = settings.source.imap, settings.smtp
    if imap.auth == "microsoft":
        found.append(imap_use(imap, imap.user))
    if smtp.transport == "smtp" and smtp.auth == "microsoft":
        found.append(smtp_use(smtp, smtp.user))
    if smtp.transport == "graph":
        found.append(graph_use(smtp, graph_mailbox(settings)))
    return found


def graph_mailbox(settings: Settings) -> str:
    """The mailbox Graph sends from: [smtp] user, else sender_address."""
    return settings.smtp.user or settings.smtp.sender_address


def check(use: Use) -> str:
    """One line for `inbox doctor` when the app signs in for `use`; raises TokenError (what to change) when not.

    IMAP and SMTP accept only a token that carries their permission; Graph may also be allowed by
    Exchange's RBAC for Applications, which a token does not show."""
    tokens = tokens_for(use.login)
    token = tokens.token(use.scope)
    roles = token_roles(token.value)
    if roles is not None and use.role not in roles and use.service != "Microsoft Graph":
        tokens.forget()
        raise TokenError(_missing_role(use))
    carries = "a token that is no JWT" if roles is None else \
        (f"a token with {use.role}" if use.role in roles else f"a token without {use.role} (RBAC for Applications must allow it)")
    return (f"{use.service}: app {use.login.client_id} signed in to tenant {use.login.tenant_id} "
            f"({'certificate' if use.login.uses_certificate else 'client secret'}); {carries}, valid {token.expires_in // 60} min")
