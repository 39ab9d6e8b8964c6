"""A loopback OpenID Connect provider over HTTPS, shaped like Entra ID's v2.0 endpoints, for the workspace's sign-in.

It does what a provider must for the authorization-code flow with PKCE: discovery at
`<issuer>/.well-known/openid-configuration`, `/authorize` that signs in one configured person without asking
(auto-approve) and redirects back with a code and the state, `/token` that redeems a code once, only for the
client that asked for it, with the client secret, the same redirect URI and the PKCE verifier (S256), and
answers with an RS256-signed ID token (PyJWT + cryptography: not the library the workspace verifies with),
whose key is published at `/jwks`. Refusals use the OAuth error JSON with Entra ID's AADSTS wording.

Knobs for the refusal tests: `person` (the claims of who signs in), `tamper` (ID token claims to override;
None removes one), `signing_key` (sign with another key under the published key id), `algorithm` ("none" for
an unsigned token), `metadata_issuer` (a discovery document naming another issuer)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.servers.microsoft import _Handler, _HttpsServer

TENANT = "3f6c1b2a-9d4e-4c8b-a1f0-5e7d2c9b8a61"


@dataclass
class Grant:
    """An issued authorization code and what it was issued for."""

    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    person: dict[str, Any]


@dataclass
class Refusal:
    endpoint: str
    error: str


class OidcProvider(_HttpsServer):
    """One tenant, one registered web app (client ID, secret, redirect URI), one person who is signed in."""

    def __init__(self, *, client_id: str, secret: str, redirect_uri: str, person: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.client_id, self.secret, self.redirect_uri = client_id, secret, redirect_uri
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "entra-key-1"
        self.handler = _ProviderHandler
        self.reset(person)

    def reset(self, person: dict[str, Any] | None = None) -> OidcProvider:
        """Forget every code and request and undo every knob (tests share one: a key and a certificate take seconds)."""
        self.person: dict[str, Any] = dict(person or {})
        self.signing_key: rsa.RSAPrivateKey | None = None
        self.algorithm = "RS256"
        self.tamper: dict[str, Any] = {}
        self.metadata_issuer: str | None = None
        self.grants: dict[str, Grant] = {}
        self.redeemed: set[str] = set()
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.refusals: list[Refusal] = []
        if self._server is None and self._port:  # stopped by a test: serve again (on a new port)
            self.start()
        return self

    @property
    def issuer(self) -> str:
        return f"{self.url}/{TENANT}/v2.0"

    def metadata(self) -> dict[str, Any]:
        return {"issuer": self.metadata_issuer or self.issuer, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code", "id_token", "code id_token"], "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"], "scopes_supported": ["openid", "profile", "email"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"]}

    def jwks(self) -> dict[str, Any]:
        key = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**key, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """(302, where to) back to the client, or (400, why) when it cannot safely redirect (RFC 6749 4.1.2.1)."""
        self.authorize_requests.append(query)
        if query.get("client_id") != self.client_id:
            return 400, "AADSTS700016: Application not found in the directory."
        if query.get("redirect_uri") != self.redirect_uri:
            return 400, "AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application."
        back = {"state": query["state"]} if "state" in query else {}
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return 302, self._back({"error": "invalid_request", **back})
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 302, self._back({"error": "invalid_request", "error_description": "AADSTS501491: Invalid code_challenge.", **back})
        code = secrets.token_urlsafe(32)
        self.grants[code] = Grant(self.client_id, query["redirect_uri"], query["code_challenge"], query.get("nonce"), dict(self.person))
        return 302, self._back({"code": code, **back})

    def _back(self, params: dict[str, str]) -> str:
        return f"{self.redirect_uri}?{urlencode(params)}"

    def redeem(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        client_id, secret = _client_credentials(form, authorization)
        if client_id != self.client_id or secret != self.secret:
            return self._refuse(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
        if form.get("grant_type") != "authorization_code":
            return self._refuse(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
        code = form.get("code", "")
        grant = self.grants.pop(code, None)
        if grant is None:
            already = code in self.redeemed
            return self._refuse(400, "invalid_grant", "AADSTS54005: OAuth2 Authorization code was already redeemed." if already
                                else "AADSTS70000: The provided authorization code is invalid or has expired.")
        self.redeemed.add(code)
        if form.get("redirect_uri") != grant.redirect_uri:
            return self._refuse(400, "invalid_grant", "AADSTS500112: The reply address does not match the reply address of the code.")
        if _s256(form.get("code_verifier", "")) != grant.challenge:
            return self._refuse(400, "invalid_grant", "AADSTS501481: The Code_Verifier does not match the code_challenge.")
        return 200, {"token_type": "Bearer", "scope": "openid profile email", "expires_in": 3599,
                     "access_token": secrets.token_urlsafe(32), "id_token": self.id_token(grant)}

    def _refuse(self, status: int, error: str, description: str) -> tuple[int, dict[str, Any]]:
        self.refusals.append(Refusal("token", error))
        return status, {"error": error, "error_description": description}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {"ver": "2.0", "iss": self.issuer, "aud": grant.client_id, "iat": now, "nbf": now, "exp": now + 3600,
                                  "tid": TENANT, "oid": "6b1f0e2d-0000-4000-8000-00000000a001", "sub": "q8a9SUBJECT-pairwise",
                                  "nonce": grant.nonce, **grant.person}
        claims.update(self.tamper)
        claims = {name: value for name, value in claims.items() if value is not None}
        if self.algorithm == "none":
            return jwt.encode(claims, None, algorithm="none", headers={"kid": self.kid})
        return jwt.encode(claims, self.signing_key or self.key, algorithm="RS256", headers={"kid": self.kid})


def _client_credentials(form: dict[str, str], authorization: str | None) -> tuple[str | None, str | None]:
    """client_secret_post (in the form) or client_secret_basic (the Authorization header)."""
    if authorization and authorization.startswith("Basic "):
        client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        return client_id, secret
    return form.get("client_id"), form.get("client_secret")


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class _ProviderHandler(_Handler):
    owner: OidcProvider

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if parts.path == f"/{TENANT}/v2.0/.well-known/openid-configuration":
            self.answer(200, self.owner.metadata())
        elif parts.path == "/jwks":
            self.answer(200, self.owner.jwks())
        elif parts.path == "/authorize":
            status, text = self.owner.authorize(query)
            if status == 302:
                self.answer(302, None, {"Location": text})
            else:
                self.answer(status, {"error": "invalid_request", "error_description": text})
        else:
            self.answer(404, {"error": "not_found"})

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/token":
            self.answer(404, {"error": "not_found"})
            return
        form = {key: values[0] for key, values in parse_qs(self.body().decode()).items()}
        status, payload = self.owner.redeem(form, self.headers.get("Authorization"))
        self.answer(status, payload, {"Cache-Control": "no-store"})
