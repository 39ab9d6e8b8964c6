"""Sign-in with the board's identity provider: OpenID Connect (Entra ID) through authlib's Starlette client.

`/logga-in/oidc` sends the browser to the provider with an authorization-code request (PKCE S256, state and
nonce, all three kept by authlib in our signed session cookie). `/logga-in/oidc/svar` is the redirect URI:
authlib checks the state, redeems the code with the PKCE verifier and the client secret, and validates the ID
token's signature against the provider's JWKS. What authlib leaves loose we pin: the discovery document must
name the configured issuer, only RS256 signatures count (Entra ID's), and the token's `aud` must contain our
client ID (authlib alone accepts a foreign audience when `azp` names us). The name in the configured claim must
then be an existing, active account (accounts/oidc.py); the sign-in is then the same as with a password."""

from __future__ import annotations

import logging
import ssl
from typing import Any

import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from joserfc.errors import JoseError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accounts.oidc import NotAnAccount, sign_in_vouched
from accounts.users import SignedIn
from inbox.config import WebConfig, secret
from inbox.context import AppContext
from inbox.errors import ConfigError
from web.render import render
from web.routes.auth import _safe_next

log = logging.getLogger(__name__)

CALLBACK = "/logga-in/oidc/svar"
SCOPE = "openid profile email"  # profile: Entra ID puts preferred_username (the UPN) in the ID token only with it
ALGORITHMS = ["RS256"]
TIMEOUT_SECONDS = 10
NEXT_KEY = "oidc_next"

UNREACHABLE = ("Inloggningstjänsten svarar inte", "Länsstyrelsens inloggning gick inte att nå just nu. Försök igen om en "
               "stund, eller logga in med lösenord om du har ett.")
MISCONFIGURED = ("Inloggningen är inte rätt inställd", "Inloggning med Länsstyrelsens konto är inte rätt inställd i arbetsytan. "
                 "Kontakta en administratör.")
REFUSED = ("Inloggningen kunde inte bekräftas", "Svaret från Länsstyrelsens inloggning gick inte att bekräfta. Börja om "
           "från inloggningssidan.")


class ProviderMismatch(ConfigError):
    """The provider's discovery document does not match [web] oidc_issuer."""


def configured(web: WebConfig) -> bool:
    return web.oidc_issuer is not None


async def start(request: Request) -> Response:
    ctx: AppContext = request.app.state.ctx
    web = ctx.settings.web
    if not configured(web):
        raise HTTPException(404)
    try:
        client = await _ready(ctx)
        response = await client.authorize_redirect(request, web.base_url + CALLBACK)
    except httpx2.HTTPError as err:
        log.warning("the identity provider did not answer the discovery request: %s", type(err).__name__)
        return _page(request, 502, UNREACHABLE)
    except ConfigError as err:
        log.error("%s", err)
        return _page(request, 500, MISCONFIGURED)
    request.session[NEXT_KEY] = _safe_next(request.query_params.get("next"))
    return response


async def callback(request: Request) -> Response:
    ctx: AppContext = request.app.state.ctx
    web = ctx.settings.web
    if web.oidc_issuer is None or web.oidc_client_id is None:  # not configured
        raise HTTPException(404)
    try:
        client = await _ready(ctx)
        token = await client.authorize_access_token(request, claims_options=_claims_options(web.oidc_issuer, web.oidc_client_id))
    except httpx2.HTTPError as err:
        log.warning("the identity provider did not answer the token request: %s", type(err).__name__)
        return _page(request, 502, UNREACHABLE)
    except ConfigError as err:
        log.error("%s", err)
        return _page(request, 500, MISCONFIGURED)
    except (AuthlibBaseError, JoseError, ValueError) as err:
        # A wrong or replayed state, a refused code, a bad signature or claim: say nothing the attacker can use.
        log.warning("an OpenID Connect sign-in was refused: %s", _reason(err))
        return _page(request, 401, REFUSED)
    name = (token.get("userinfo") or {}).get(web.oidc_username_claim)
    if not isinstance(name, str) or not name:
        log.warning("the ID token has no %s claim: set [web] oidc_username_claim to the claim that names the person",
                    web.oidc_username_claim)
        return _page(request, 401, REFUSED)
    outcome = await run_in_threadpool(_vouched, ctx, name, web.oidc_issuer)
    if isinstance(outcome, str):
        return render(request, "error.html", 403, title="Inget konto i arbetsytan", text=outcome)
    target = _safe_next(request.session.get(NEXT_KEY))
    request.session.clear()  # as with a password: nothing from before the sign-in carries over
    request.session["uid"] = outcome.id
    request.session["at"] = ctx.clock().timestamp()
    return RedirectResponse(target, status_code=303)


def _claims_options(issuer: str, client_id: str) -> dict[str, Any]:
    """What the ID token must say (authlib's default checks `iss` only); built per call: authlib pops from it."""
    return {"iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": client_id},
            "exp": {"essential": True}, "iat": {"essential": True}, "nonce": {"essential": True}}


async def _ready(ctx: AppContext) -> StarletteOAuth2App:
    """The provider's client with its discovery document loaded and checked (once per process)."""
    client = ctx.memo("web.oidc", lambda: _register(ctx))
    metadata = await client.load_server_metadata()
    issuer = ctx.settings.web.oidc_issuer
    if metadata.get("issuer") != issuer:
        raise ProviderMismatch(f"[web] oidc_issuer: the provider calls itself {metadata.get('issuer')!r}, not {issuer!r}; "
                               "write the tenant's own issuer (a Directory (tenant) ID, not 'common' or a domain)")
    metadata["id_token_signing_alg_values_supported"] = ALGORITHMS  # never what the document offers beyond it
    return client


def _register(ctx: AppContext) -> StarletteOAuth2App:
    web = ctx.settings.web
    client_secret = secret(web.oidc_client_secret_env or "")
    if client_secret is None:
        raise ConfigError(f"[web] oidc_client_secret_env: the environment variable {web.oidc_client_secret_env} is not set; "
                          "put the client secret's value from the app registration in it")
    verify: ssl.SSLContext | bool = True
    if web.oidc_cafile is not None:
        verify = ssl.create_default_context(cafile=str(ctx.settings.path(web.oidc_cafile)))
    client = OAuth().register(
        "entra", client_id=web.oidc_client_id, client_secret=client_secret,
        server_metadata_url=f"{web.oidc_issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "token_endpoint_auth_method": "client_secret_post",
                       "verify": verify, "timeout": TIMEOUT_SECONDS})
    assert isinstance(client, StarletteOAuth2App)
    return client


def _vouched(ctx: AppContext, name: str, issuer: str) -> SignedIn | str:
    with ctx.sessions() as session:
        try:
            user = sign_in_vouched(session, name, ctx.clock(), issuer=issuer)
        except NotAnAccount as refused:
            session.commit()  # a disabled account's attempt is audited
            log.warning("the identity provider vouched for a person without an active account")
            return str(refused)
        session.commit()
        return user


def _reason(err: Exception) -> str:
    """The error code only: an ID token or a description may carry personal data."""
    return getattr(err, "error", None) or type(err).__name__


def _page(request: Request, status: int, words: tuple[str, str]) -> Response:
    return render(request, "error.html", status, title=words[0], text=words[1])


ROUTES = [
    Route("/logga-in/oidc", start, methods=["GET"]),
    Route(CALLBACK, callback, methods=["GET"]),
]
