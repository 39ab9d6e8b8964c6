"""Sign-in with the board's identity provider (OpenID Connect), against a real provider on loopback over HTTPS.

Starlette's TestClient talks only to the app; the hop to the provider's /authorize is a real HTTPS request
(httpx2, trusting the provider's CA), whose redirect is then followed back into the app's callback. The app
itself fetches the provider's discovery document, token and JWKS over the network, as in production."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx2
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from accounts.oidc import DISABLED, NO_ACCOUNT
from accounts.users import add_user, set_active
from inbox.config import WebConfig, load_settings
from inbox.context import AppContext
from inbox.errors import ConfigError
from models import Event, Role
from tests.servers.oidc import OidcProvider
from tests.web.conftest import PASSWORD
from web.app import create_app

CLIENT_ID = "8d2f7c41-5b3a-4e6d-9c0b-1a2b3c4d5e6f"
SECRET = "kz8Q~hemlig.klienthemlighet-från-entra"
SECRET_ENV = "INBOX_TEST_OIDC_SECRET"
APP = "https://testserver"
ANNA = {"preferred_username": "Anna.Andersson@lansstyrelsen.se", "name": "Anna Andersson", "email": "anna.andersson@lansstyrelsen.se"}
REFUSED = "Svaret från Länsstyrelsens inloggning gick inte att bekräfta."


@dataclass
class Oidc:
    ctx: AppContext
    provider: OidcProvider
    clients: list[TestClient]
    app: Starlette

    def client(self) -> TestClient:
        made = TestClient(self.app, base_url=APP)
        self.clients.append(made)
        return made

    def events(self, action: str) -> list[Event]:
        with self.ctx.sessions() as session:
            return list(session.scalars(select(Event).where(Event.action == action)))


@pytest.fixture(scope="module")
def provider_server() -> Iterator[OidcProvider]:
    server = OidcProvider(client_id=CLIENT_ID, secret=SECRET, redirect_uri=f"{APP}/logga-in/oidc/svar").start()
    yield server
    server.stop()


@pytest.fixture
def provider(provider_server: OidcProvider) -> OidcProvider:
    return provider_server.reset(ANNA)


@pytest.fixture
def oidc(make_app, provider: OidcProvider, monkeypatch) -> Iterator[Oidc]:
    monkeypatch.setenv(SECRET_ENV, SECRET)
    ctx = make_app(web={"base_url": APP, "oidc_issuer": provider.issuer, "oidc_client_id": CLIENT_ID,
                        "oidc_client_secret_env": SECRET_ENV, "oidc_cafile": str(provider.cafile)})
    with ctx.sessions() as session:
        add_user(session, "anna.andersson@lansstyrelsen.se", "Anna Andersson", Role.STAFF, None, actor="test")
        session.commit()
    made = Oidc(ctx, provider, [], create_app(ctx))
    yield made
    for client in made.clients:
        client.close()


def to_provider(oidc: Oidc, client: TestClient, start: str = "/logga-in/oidc") -> str:
    """Start the sign-in and take the browser's hop to the provider for real; the app's callback URL it returns."""
    go = client.get(start, follow_redirects=False)
    assert go.status_code == 302, go.text
    assert go.headers["location"].startswith(oidc.provider.url + "/authorize?")
    back = httpx2.get(go.headers["location"], verify=ssl.create_default_context(cafile=str(oidc.provider.cafile)),
                      follow_redirects=False)
    assert back.status_code == 302, back.text
    location = urlsplit(back.headers["location"])
    assert f"{location.scheme}://{location.netloc}" == APP
    return f"{location.path}?{location.query}"


def sign_in(oidc: Oidc, client: TestClient, start: str = "/logga-in/oidc"):
    return client.get(to_provider(oidc, client, start), follow_redirects=False)


def signed_in(client: TestClient) -> bool:
    return client.get("/", follow_redirects=False).status_code == 200


# -- the happy path ----------------------------------------------------------------------------------

def test_a_person_with_an_account_signs_in_through_the_provider(oidc):
    client = oidc.client()
    answer = sign_in(oidc, client, "/logga-in/oidc?next=/arenden")
    assert answer.status_code == 303 and answer.headers["location"] == "/arenden"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    assert "Anna Andersson" in client.get("/").text
    [event] = oidc.events("sign_in_oidc")
    assert event.actor == "anna.andersson@lansstyrelsen.se" and event.detail == oidc.provider.issuer
    # the request was an authorization-code request with PKCE, state and nonce, and the code was redeemed with them
    [asked] = oidc.provider.authorize_requests
    assert asked["response_type"] == "code" and asked["code_challenge_method"] == "S256"
    assert asked["state"] and asked["nonce"] and "openid" in asked["scope"].split()
    [redeemed] = oidc.provider.token_requests
    assert redeemed["code_verifier"] and redeemed["client_secret"] == SECRET and not oidc.provider.refusals


def test_the_session_starts_afresh_and_the_state_is_spent(oidc):
    client = oidc.client()
    client.get("/logga-in")  # a session with a CSRF token from before the sign-in
    before = client.cookies.get("inbox_session")
    callback = to_provider(oidc, client)
    assert client.get(callback, follow_redirects=False).status_code == 303
    assert client.cookies.get("inbox_session") != before
    assert client.get(callback, follow_redirects=False).status_code == 401  # the state went with the old session
    assert len(oidc.provider.token_requests) == 1  # refused before the code was sent anywhere


def test_the_login_page_offers_the_provider_only_when_configured(oidc):
    page = oidc.client().get("/logga-in?next=/tider").text
    assert "Logga in med Länsstyrelsens konto" in page and 'href="/logga-in/oidc?next=/tider"' in page
    settings = oidc.ctx.settings.model_copy(update={"web": WebConfig(base_url=APP)})
    plain = TestClient(create_app(AppContext(settings, oidc.ctx.engine, oidc.ctx.sessions, oidc.ctx.clock)), base_url=APP)
    oidc.clients.append(plain)
    assert "Länsstyrelsens konto" not in plain.get("/logga-in").text
    assert plain.get("/logga-in/oidc", follow_redirects=False).status_code == 404
    assert plain.get("/logga-in/oidc/svar?code=x&state=y", follow_redirects=False).status_code == 404


# -- refusals: who the person is --------------------------------------------------------------------------

def test_a_person_without_an_account_is_refused_in_swedish(oidc):
    oidc.provider.person = {**ANNA, "preferred_username": "okand.person@lansstyrelsen.se"}
    client = oidc.client()
    answer = sign_in(oidc, client)
    assert answer.status_code == 403
    assert NO_ACCOUNT == "Du har inget konto i arbetsytan; be en administratör lägga till dig."
    assert NO_ACCOUNT in answer.text
    assert not signed_in(client)
    with oidc.ctx.sessions() as session:  # no account was made for them
        assert session.scalar(select(Event).where(Event.action == "user_added", Event.detail.contains("okand"))) is None


def test_a_disabled_account_is_refused(oidc):
    with oidc.ctx.sessions() as session:
        set_active(session, "anna.andersson@lansstyrelsen.se", False, actor="test")
        session.commit()
    client = oidc.client()
    answer = sign_in(oidc, client)
    assert answer.status_code == 403 and DISABLED in answer.text
    assert not signed_in(client)
    assert [e.actor for e in oidc.events("sign_in_oidc_refused")] == ["anna.andersson@lansstyrelsen.se"]
    assert not oidc.events("sign_in_oidc")


def test_a_token_without_the_username_claim_is_refused(oidc):
    oidc.provider.person = {"name": "Anna Andersson"}
    client = oidc.client()
    assert sign_in(oidc, client).status_code == 401
    assert not signed_in(client)


# -- refusals: the protocol --------------------------------------------------------------------------------

def test_a_tampered_state_is_refused(oidc):
    client = oidc.client()
    callback = urlsplit(to_provider(oidc, client))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query["state"] = query["state"][:-2] + ("AA" if not query["state"].endswith("AA") else "BB")
    answer = client.get(f"{callback.path}?{urlencode(query)}", follow_redirects=False)
    assert answer.status_code == 401 and REFUSED in answer.text
    assert not signed_in(client)
    assert not oidc.provider.token_requests  # the code never left the app


def test_an_id_token_signed_by_another_key_is_refused(oidc):
    oidc.provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # same key id, wrong key
    client = oidc.client()
    answer = sign_in(oidc, client)
    assert answer.status_code == 401 and REFUSED in answer.text
    assert not signed_in(client) and len(oidc.provider.token_requests) == 1
    assert not oidc.events("sign_in_oidc")


def test_an_unsigned_id_token_is_refused(oidc):
    oidc.provider.algorithm = "none"
    client = oidc.client()
    assert sign_in(oidc, client).status_code == 401
    assert not signed_in(client)


@pytest.mark.parametrize("audience", [{"aud": "0f0e0d0c-another-app"},
                                      # authlib alone lets this one through: the authorized party names us
                                      {"aud": "0f0e0d0c-another-app", "azp": CLIENT_ID}])
def test_an_id_token_for_another_audience_is_refused(oidc, audience):
    oidc.provider.tamper = audience
    client = oidc.client()
    assert sign_in(oidc, client).status_code == 401
    assert not signed_in(client)


def test_a_replayed_code_is_refused_by_the_provider(oidc):
    client = oidc.client()
    callback = to_provider(oidc, client)
    captured = client.cookies.get("inbox_session")  # the state, nonce and verifier as they were before the callback
    assert client.get(callback, follow_redirects=False).status_code == 303
    thief = oidc.client()
    thief.cookies.set("inbox_session", captured)
    answer = thief.get(callback, follow_redirects=False)
    assert answer.status_code == 401 and REFUSED in answer.text
    assert not signed_in(thief)
    assert [(r.endpoint, r.error) for r in oidc.provider.refusals] == [("token", "invalid_grant")]
    assert len(oidc.events("sign_in_oidc")) == 1


@pytest.mark.parametrize("nonce", ["en-annan-nonce", None])
def test_a_nonce_that_does_not_match_is_refused(oidc, nonce):
    oidc.provider.tamper = {"nonce": nonce}
    client = oidc.client()
    assert sign_in(oidc, client).status_code == 401
    assert not signed_in(client)


def test_an_expired_id_token_is_refused(oidc):
    import time

    now = int(time.time())
    oidc.provider.tamper = {"iat": now - 7200, "nbf": now - 7200, "exp": now - 3600}
    client = oidc.client()
    assert sign_in(oidc, client).status_code == 401
    assert not signed_in(client)


def test_an_id_token_from_another_issuer_is_refused(oidc):
    oidc.provider.tamper = {"iss": "https://login.microsoftonline.com/another-tenant/v2.0"}
    client = oidc.client()
    assert sign_in(oidc, client).status_code == 401
    assert not signed_in(client)


def test_a_wrong_client_secret_is_refused_by_the_provider(oidc, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "fel-hemlighet")
    client = oidc.client()
    assert sign_in(oidc, client).status_code == 401
    assert [r.error for r in oidc.provider.refusals] == ["invalid_client"]


def test_a_person_who_cancels_at_the_provider_is_not_signed_in(oidc):
    client = oidc.client()
    callback = urlsplit(to_provider(oidc, client))
    state = parse_qs(callback.query)["state"][0]
    answer = client.get(f"{callback.path}?{urlencode({'error': 'access_denied', 'state': state})}", follow_redirects=False)
    assert answer.status_code == 401 and not signed_in(client)


# -- refusals: the provider itself ----------------------------------------------------------------------

def test_a_discovery_document_naming_another_issuer_is_refused(oidc):
    oidc.provider.metadata_issuer = "https://login.microsoftonline.com/{tenantid}/v2.0"
    answer = oidc.client().get("/logga-in/oidc", follow_redirects=False)
    assert answer.status_code == 500 and "inte rätt inställd" in answer.text
    assert not oidc.provider.authorize_requests


def test_an_unreachable_provider_gets_a_swedish_page(oidc):
    oidc.provider.stop()
    answer = oidc.client().get("/logga-in/oidc", follow_redirects=False)
    assert answer.status_code == 502 and "Inloggningstjänsten svarar inte" in answer.text


def test_a_missing_client_secret_is_named_in_the_log(oidc, monkeypatch, caplog):
    monkeypatch.delenv(SECRET_ENV)
    answer = oidc.client().get("/logga-in/oidc", follow_redirects=False)
    assert answer.status_code == 500 and "inte rätt inställd" in answer.text
    assert f"[web] oidc_client_secret_env: the environment variable {SECRET_ENV} is not set" in caplog.text


def test_a_password_account_still_signs_in_with_its_password(oidc):
    from tests.web.conftest import sign_in as password_sign_in

    with oidc.ctx.sessions() as session:
        add_user(session, "admin", "Adam Admin", Role.ADMIN, PASSWORD, actor="test")
        session.commit()
    client = oidc.client()
    assert password_sign_in(client, "admin", PASSWORD).status_code == 303
    assert password_sign_in(oidc.client(), "anna.andersson@lansstyrelsen.se", "").status_code != 303  # no password to match
    assert signed_in(client)


# -- configuration ------------------------------------------------------------------------------------------

def _load(tmp_path: Path, web: str):
    path = tmp_path / "config.toml"
    path.write_text(f"[web]\n{web}\n", encoding="utf-8")
    return load_settings(path)


@pytest.mark.parametrize(("web", "message"), [
    ('oidc_issuer = "http://login.example.org/t/v2.0"\noidc_client_id = "a"\noidc_client_secret_env = "S"',
     "[web] oidc_issuer: must start with https://"),
    ('oidc_issuer = "https://login.microsoftonline.com/t/v2.0"\noidc_client_secret_env = "S"',
     "[web] oidc_client_id: needed with oidc_issuer"),
    ('oidc_issuer = "https://login.microsoftonline.com/t/v2.0"\noidc_client_id = "a"',
     "[web] oidc_client_secret_env: needed with oidc_issuer"),
    ('oidc_client_id = "a"', "[web] oidc_client_id: goes with oidc_issuer"),
    ('oidc_cafile = "/etc/ca.pem"', "[web] oidc_cafile: goes with oidc_issuer"),
])
def test_the_oidc_keys_are_checked_together(tmp_path, web, message):
    with pytest.raises(ConfigError) as refused:
        _load(tmp_path, web)
    assert message in str(refused.value) and str(tmp_path / "config.toml") in str(refused.value)


def test_an_issuer_on_this_machine_may_use_plain_http(tmp_path):
    settings = _load(tmp_path, 'oidc_issuer = "http://127.0.0.1:8443/t/v2.0/"\noidc_client_id = "a"\noidc_client_secret_env = "S"')
    assert settings.web.oidc_issuer == "http://127.0.0.1:8443/t/v2.0"
    assert settings.web.oidc_username_claim == "preferred_username"
