"""Entra ID's refusals become one line naming the key and the fix; tokens, XOAUTH2 and the sign-in keys' validation."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest

from inbox.config import load_settings
from inbox.errors import ConfigError
from mailauth import aadsts
from mailauth.login import MicrosoftLogin
from mailauth.microsoft import _private_key, token_roles
from mailauth.tokens import TokenError, command_token, env_token, xoauth2

TENANT = "3f1c1e2a-1111-4222-8333-444455556666"
CLIENT = "9a8b7c6d-aaaa-4bbb-8ccc-ddddeeeeffff"
LOGIN = MicrosoftLogin(section="smtp", tenant_id=TENANT, client_id=CLIENT, client_secret_env="INBOX_MS_CLIENT_SECRET",
                       certificate_thumbprint="", private_key_file=None, authority="https://login.microsoftonline.com",
                       authority_cafile=None, timeout=30)
SCOPE = "https://outlook.office365.com/.default"
TRAIL = ("\r\nTrace ID: 0f5e4a1b-aaaa-4bbb-8ccc-1234567890ab\r\nCorrelation ID: 7d1c2b3a-dddd-4eee-8fff-0987654321fe"
         "\r\nTimestamp: 2026-12-01 08:00:00Z")


def entra(error: str, code: int, text: str, *, listed: bool = True) -> dict:
    """Entra ID's refusal, as MSAL hands it over."""
    result = {"error": error, "error_description": f"AADSTS{code}: {text}{TRAIL}", "timestamp": "2026-12-01 08:00:00Z",
              "trace_id": "0f5e4a1b-aaaa-4bbb-8ccc-1234567890ab", "correlation_id": "7d1c2b3a-dddd-4eee-8fff-0987654321fe"}
    return {**result, "error_codes": [code]} if listed else result


@pytest.mark.parametrize(
    ("result", "starts", "contains"),
    [
        (entra("unauthorized_client", 700016, f"Application with identifier '{CLIENT}' was not found in the directory 'Contoso'."),
         "[smtp] client_id, tenant_id: Entra ID knows no app", "Application (client) ID and the Directory (tenant) ID"),
        (entra("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value."),
         "[smtp] client_secret_env: Entra ID refused the client secret in $INBOX_MS_CLIENT_SECRET", "not its Secret ID"),
        (entra("invalid_client", 7000222, "The provided client secret keys for app are expired."),
         "[smtp] client_secret_env: the client secret in $INBOX_MS_CLIENT_SECRET has expired", "Certificates & secrets"),
        (entra("invalid_request", 90002, f"Tenant '{TENANT}' not found."), "[smtp] tenant_id: Entra ID has no tenant", "Directory (tenant) ID"),
        (entra("invalid_grant", 65001, "The user or administrator has not consented to use the application."),
         "[smtp] client_id: an administrator has not consented", "Grant admin consent"),
        (entra("invalid_client", 7000229, "The client application is missing service principal in the tenant."),
         "[smtp] client_id: an administrator has not consented", "Grant admin consent"),
        (entra("invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid."),
         "[smtp] scope: Entra ID does not accept the scope 'https://outlook.office365.com/.default'", "leave scope empty"),
        (entra("invalid_resource", 500011, "The resource principal named https://outlook.office365.com was not found in the tenant."),
         "[smtp] scope: the tenant has no https://outlook.office365.com for this app", "Grant admin consent"),
        (entra("invalid_client", 700027, "Client assertion failed signature validation."),
         "[smtp] certificate_thumbprint, private_key_file: Entra ID could not verify the signed request", "upload the certificate"),
        (entra("invalid_client", 700024, "Client assertion is not within its valid time range."),
         "[smtp] certificate_thumbprint: the signed request is outside its valid time", "clock"),
        (entra("unauthorized_client", 7000112, "Application is disabled."), "[smtp] client_id: the app is disabled", "Enterprise applications"),
    ],
    ids=lambda value: str(value.get("error_codes") or "") if isinstance(value, dict) else None,
)
def test_each_refusal_names_the_key_and_the_fix(result, starts, contains):
    message = aadsts.refusal(result, LOGIN, SCOPE)
    assert message.startswith(starts)
    assert contains in message
    assert message.endswith(f"(Entra ID: AADSTS{result['error_codes'][0]})")
    assert "Trace ID" not in message and "Correlation ID" not in message and "\n" not in message and "\r" not in message


def test_the_code_is_read_from_the_description_when_error_codes_is_missing():
    result = entra("invalid_client", 7000215, "Invalid client secret provided.", listed=False)
    assert aadsts.codes(result) == [7000215]
    assert aadsts.refusal(result, LOGIN, SCOPE).startswith("[smtp] client_secret_env:")


def test_an_unknown_code_keeps_the_first_sentence_of_entra_ids_own_words():
    result = entra("invalid_request", 50011, "The redirect URI specified in the request does not match.")
    message = aadsts.refusal(result, LOGIN, SCOPE)
    assert message == "[smtp] tenant_id, client_id: Entra ID refused the sign-in: AADSTS50011: The redirect URI specified in the request does not match."


def test_an_invalid_scope_without_a_code_still_names_scope():
    assert aadsts.refusal({"error": "invalid_scope"}, LOGIN, SCOPE).startswith("[smtp] scope:")


def test_a_refusal_without_any_text_is_still_one_line():
    assert aadsts.refusal({}, LOGIN, SCOPE) == "[smtp] tenant_id, client_id: Entra ID refused the sign-in: no reason given"


def test_an_unknown_tenant_at_discovery_names_tenant_id():
    """MSAL reads the tenant's endpoints when the app is built and, for an unknown tenant, raises a ValueError of
    its own while handling the one that holds Entra ID's answer."""
    err = ValueError("Unable to get authority configuration for https://login.microsoftonline.com/x. Also please double check your tenant name.")
    err.__context__ = ValueError('OIDC Discovery failed. HTTP status: 400, Error: {"error":"invalid_tenant",'
                                 '"error_description":"AADSTS90002: Tenant not found."}')
    message = aadsts.setup_failure(err, LOGIN)
    assert message.startswith("[smtp] tenant_id: Entra ID has no tenant") and message.endswith("(Entra ID: AADSTS90002)")


# -- tokens --------------------------------------------------------------------------------------------

def jwt_with(claims: object) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{body}.c2ln"


def test_the_roles_of_an_entra_token_are_read_without_trusting_it():
    assert token_roles(jwt_with({"aud": "https://outlook.office365.com", "roles": ["IMAP.AccessAsApp", "SMTP.SendAsApp"]})) == \
        frozenset({"IMAP.AccessAsApp", "SMTP.SendAsApp"})
    assert token_roles(jwt_with({"aud": "x"})) == frozenset()  # no application permission at all


@pytest.mark.parametrize("token", ["secret-token-123", "a.b", "a.!!!.c", jwt_with(["roles"]), jwt_with({"roles": "Mail.Send"}),
                                   "a." + "A" * 30_000 + ".c"])
def test_a_token_that_is_no_readable_jwt_has_unknown_roles(token):
    assert token_roles(token) is None


def test_xoauth2_is_the_sasl_string_exchange_expects():
    assert xoauth2("vastmanland@lansstyrelsen.se", "tok") == "user=vastmanland@lansstyrelsen.se\x01auth=Bearer tok\x01\x01"


def test_a_token_command_prints_the_token():
    assert command_token(f"{sys.executable} -c \"print('  tok-123  ')\"", key="[source.imap] oauth2_token_command") == "tok-123"


@pytest.mark.parametrize(("command", "expected"), [
    (f"{sys.executable} -c \"import sys; sys.stderr.write('no consent'); sys.exit(3)\"", "[source.imap] oauth2_token_command failed (3): no consent"),
    ("/no/such/token-helper", "[source.imap] oauth2_token_command: cannot run '/no/such/token-helper'"),
    ("'unbalanced", "[source.imap] oauth2_token_command: cannot run"),
])
def test_a_failing_token_command_is_one_line_naming_the_key(command, expected):
    with pytest.raises(TokenError) as caught:
        command_token(command, key="[source.imap] oauth2_token_command")
    assert str(caught.value).startswith(expected)


def test_a_missing_token_variable_names_it_and_the_alternative(monkeypatch):
    monkeypatch.delenv("T_NO_TOKEN", raising=False)
    with pytest.raises(TokenError, match=r"set T_NO_TOKEN \(\[source.imap\] oauth2_token_env\) or \[source.imap\] oauth2_token_command"):
        env_token("T_NO_TOKEN", key="[source.imap] oauth2_token_env", alternative="[source.imap] oauth2_token_command")


@pytest.mark.parametrize(("content", "expected"), [
    ("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n", "is encrypted"),
    ("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "holds no PEM private key"),
])
def test_a_key_file_the_sign_in_cannot_use_is_named(tmp_path, content, expected):
    key = tmp_path / "app.pem"
    key.write_text(content)
    login = MicrosoftLogin(**{**LOGIN.__dict__, "certificate_thumbprint": "A" * 40, "private_key_file": key})
    with pytest.raises(TokenError, match=f"^\\[smtp\\] private_key_file: {key} {expected}"):
        _private_key(login)


# -- the sign-in keys in config.toml ---------------------------------------------------------------------

def config_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return str(caught.value)


IMAP = '[source.imap]\nuser = "vastmanland@lansstyrelsen.se"\nauth = "microsoft"\n'
APP = f'tenant_id = "{TENANT}"\nclient_id = "{CLIENT}"\n'


@pytest.mark.parametrize(("text", "expected"), [
    (IMAP + f'client_id = "{CLIENT}"\n', '[source.imap] tenant_id: needed with auth = "microsoft": the Directory (tenant) ID'),
    (IMAP + f'tenant_id = "{TENANT}"\nclient_id = "my-app"\n',
     '[source.imap] client_id: auth = "microsoft" needs the Application (client) ID (a GUID)'),
    (IMAP + f'tenant_id = "common"\nclient_id = "{CLIENT}"\n', "[source.imap] tenant_id: an app signs in to the board's own tenant"),
    (IMAP + f'tenant_id = "not a tenant"\nclient_id = "{CLIENT}"\n', "[source.imap] tenant_id: not a tenant"),
    (IMAP + APP + 'certificate_thumbprint = "12:AB"\n', "[source.imap] certificate_thumbprint: not a certificate thumbprint"),
    (IMAP + APP + f'certificate_thumbprint = "{"ab" * 20}"\n', "[source.imap] private_key_file: needed with certificate_thumbprint"),
    (IMAP + APP + 'private_key_file = "/etc/strategy-inbox/app.pem"\n', "[source.imap] private_key_file: goes with certificate_thumbprint"),
    (IMAP + APP + f'certificate_thumbprint = "{"ab" * 20}"\nprivate_key_file = "app.pem"\n', "[source.imap] private_key_file: write the full path"),
    (IMAP + APP + 'client_secret_env = ""\n', "[source.imap] private_key_file: the app needs a credential"),
    (IMAP + APP + 'scope = "https://outlook.office365.com/IMAP.AccessAsApp"\n', "[source.imap] scope: an app asks for a resource's '/.default' scope"),
    (IMAP + APP + 'authority = "http://login.microsoftonline.com"\n', "[source.imap] authority: String should match pattern"),
    ('[smtp]\ntransport = "smtp"\nauth = "microsoft"\n' + APP, '[smtp] auth: "microsoft" signs in as [smtp] user'),
    ('[smtp]\ntransport = "graph"\n', '[smtp] tenant_id: needed with transport = "graph"'),
    ('[smtp]\ntransport = "graph"\nsent_copy_folder = "Skickat"\n' + APP,
     "[smtp] sent_copy_folder: Microsoft Graph files each reply in Sent Items itself"),
])
def test_a_wrong_sign_in_key_is_named_with_what_to_write(tmp_path, text, expected):
    assert expected in config_error(tmp_path, text)


def test_a_complete_sign_in_is_accepted_and_the_thumbprint_normalised(tmp_path):
    path = tmp_path / "config.toml"
    thumbprint = ":".join(["ab"] * 20)
    path.write_text(IMAP + APP + f'certificate_thumbprint = "{thumbprint}"\nprivate_key_file = "/etc/strategy-inbox/app.pem"\n'
                    '[smtp]\ntransport = "graph"\nsent_folder = "Sent Items"\n' + APP, encoding="utf-8")
    settings = load_settings(path)
    assert settings.source.imap.certificate_thumbprint == "AB" * 20
    assert settings.smtp.client_secret_env == "INBOX_MS_CLIENT_SECRET"


def test_the_sign_in_keys_are_not_checked_when_nothing_signs_in_with_them(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[source.imap]\nclient_id = "not checked"\n[smtp]\ntransport = "smtp"\nsent_copy_folder = "Skickat"\n', encoding="utf-8")
    assert load_settings(path).source.imap.client_id == "not checked"
