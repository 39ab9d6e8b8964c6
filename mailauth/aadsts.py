"""What Entra ID's refusals mean: one line that names the key to change and how, never a raw AADSTS dump.

Entra ID answers a refused token request with JSON: `error` (OAuth2's word, e.g. invalid_client),
`error_description` ("AADSTS7000215: Invalid client secret provided. ...", followed by trace and
correlation IDs) and `error_codes` ([7000215]). The codes below are the ones an admin meets when
setting up an app for a mailbox; any other keeps the first sentence of Entra ID's own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import requests

from mailauth.login import MicrosoftLogin

_CODE = re.compile(r"AADSTS(\d+)")
_OVERVIEW = "on the app registration's Overview page in Entra ID"
_CONSENT = "in Entra ID, open the app's API permissions and choose \"Grant admin consent\""


def codes(result: Mapping[str, Any]) -> list[int]:
    """The AADSTS numbers of a refusal, from error_codes or else from the description."""
    listed = result.get("error_codes")
    if isinstance(listed, list) and all(isinstance(code, int) for code in listed) and listed:
        return listed
    return [int(code) for code in _CODE.findall(str(result.get("error_description", "")))[:3]]


def refusal(result: Mapping[str, Any], login: MicrosoftLogin, scope: str) -> str:
    """A refused token request (MSAL's result without access_token) as what to change."""
    for code in codes(result):
        if explain := _EXPLAINED.get(code):
            return f"{explain(login, scope)} (Entra ID: AADSTS{code})"
    if result.get("error") == "invalid_scope":
        return _scope(login, scope)
    return f"{login.key('tenant_id', 'client_id')}: Entra ID refused the sign-in: {first_sentence(result)}"


def first_sentence(result: Mapping[str, Any]) -> str:
    """Entra ID's own words, without the trace and correlation IDs that follow them."""
    description = str(result.get("error_description") or result.get("error") or "no reason given")
    line = description.strip().splitlines()[0] if description.strip() else description
    return line[:240]


def unreachable(err: OSError, login: MicrosoftLogin) -> str:
    """The sign-in could not be asked: the network, TLS or the authority address."""
    where = login.authority_url
    if isinstance(err, requests.exceptions.SSLError):
        return (f"{login.key('authority_cafile')}: TLS with the Microsoft sign-in at {where} failed ({network_reason(err)}); "
                "behind a proxy that inspects TLS, set authority_cafile to its CA")
    if isinstance(err, requests.exceptions.Timeout):
        return (f"{login.key('authority')}: the Microsoft sign-in at {where} did not answer within {login.timeout:g} s; "
                "check the network, the firewall and any proxy (HTTPS to the authority)")
    return (f"{login.key('authority')}: cannot reach the Microsoft sign-in at {where} ({network_reason(err)}); "
            "check the network, the firewall and any proxy (HTTPS to the authority)")


def setup_failure(err: ValueError, login: MicrosoftLogin) -> str:
    """MSAL could not read the tenant's configuration when the app was built: mostly an unknown tenant."""
    text = f"{err} {err.__context__ or ''}"
    if "AADSTS90002" in text or "invalid_tenant" in text:
        return f"{_tenant(login, '')} (Entra ID: AADSTS90002)"
    if "AADSTS900023" in text:
        return f"{_tenant(login, '')} (Entra ID: AADSTS900023)"
    return (f"{login.key('authority', 'tenant_id')}: {login.authority_url} does not describe an Entra ID tenant "
            f"({' '.join(str(err).split())[:200]}); check both")


def network_reason(err: OSError) -> str:
    """The innermost cause, without requests' and urllib3's wrapping (MaxRetryError, the connection's repr)."""
    cause = err.args[0] if err.args and isinstance(err.args[0], BaseException) else err
    cause = getattr(cause, "reason", None) or cause  # urllib3's MaxRetryError carries the real error as .reason
    text = " ".join(str(cause).split())
    return re.sub(r"^\w+Connection\([^)]*\): ", "", text)[:200]


def _unknown_app(login: MicrosoftLogin, scope: str) -> str:
    return (f"{login.key('client_id', 'tenant_id')}: Entra ID knows no app {login.client_id} in tenant {login.tenant_id}: "
            f"copy the Application (client) ID and the Directory (tenant) ID {_OVERVIEW}")


def _bad_secret(login: MicrosoftLogin, scope: str) -> str:
    return (f"{login.key('client_secret_env')}: Entra ID refused the client secret in ${login.client_secret_env}: put the "
            "secret's Value there (shown once, when it was made), not its Secret ID; a lost value means a new secret "
            "under Certificates & secrets")


def _expired_secret(login: MicrosoftLogin, scope: str) -> str:
    return (f"{login.key('client_secret_env')}: the client secret in ${login.client_secret_env} has expired: make a new "
            "one under Certificates & secrets and put its Value there")


def _tenant(login: MicrosoftLogin, scope: str) -> str:
    return f"{login.key('tenant_id')}: Entra ID has no tenant {login.tenant_id!r}: write the Directory (tenant) ID {_OVERVIEW}"


def _consent(login: MicrosoftLogin, scope: str) -> str:
    return f"{login.key('client_id')}: an administrator has not consented to the app's permissions: {_CONSENT}"


def _no_resource(login: MicrosoftLogin, scope: str) -> str:
    resource = scope.removesuffix("/.default")
    return (f"{login.key('scope')}: the tenant has no {resource} for this app (no licence, or no consent yet): "
            f"check the scope, then {_CONSENT}")


def _scope(login: MicrosoftLogin, scope: str) -> str:
    return f"{login.key('scope')}: Entra ID does not accept the scope {scope!r}: leave scope empty for the service's default"


def _certificate(login: MicrosoftLogin, scope: str) -> str:
    return (f"{login.key('certificate_thumbprint', 'private_key_file')}: Entra ID could not verify the signed request: "
            "upload the certificate (its public part) to the app under Certificates & secrets, and check that "
            "the thumbprint and the private key belong to it")


def _clock(login: MicrosoftLogin, scope: str) -> str:
    return f"{login.key('certificate_thumbprint')}: the signed request is outside its valid time: check this machine's clock (NTP)"


def _disabled(login: MicrosoftLogin, scope: str) -> str:
    return (f"{login.key('client_id')}: the app is disabled in Entra ID: enable it (Enterprise applications, the app, "
            "Properties, \"Enabled for users to sign-in?\")")


_EXPLAINED: dict[int, Callable[[MicrosoftLogin, str], str]] = {
    700016: _unknown_app,      # application not found in the directory
    7000215: _bad_secret,      # invalid client secret
    7000222: _expired_secret,  # client secret expired
    90002: _tenant,            # tenant not found
    900023: _tenant,           # tenant is neither a GUID nor a domain
    90023: _tenant,
    65001: _consent,           # consent not granted
    7000229: _consent,         # the app has no service principal in this tenant (never consented)
    500011: _no_resource,      # resource principal not found in the tenant
    70011: _scope,             # invalid scope
    1002012: _scope,
    700027: _certificate,      # assertion signature does not match a registered certificate
    700023: _certificate,
    700024: _clock,            # assertion not within its valid time range
    7000112: _disabled,        # application is disabled
}
