"""Loopback stand-ins for Entra ID's token endpoint and Microsoft Graph's sendMail, over HTTPS.

Both check requests the way the real services document them, so MSAL's own code path and our
Graph transport are exercised end to end: tenant discovery (GET .well-known/openid-configuration),
the client-credentials grant with a client secret or a signed client assertion (RFC 7523, the
certificate's SHA-1 thumbprint in `x5t`), and POST /users/{mailbox}/sendMail with a base64 MIME
body. Refusals carry Entra ID's and Graph's own JSON shapes. The certificate is self-signed
(`openssl`); clients trust it through `cafile`.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import hashlib
import json
import socket
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

import jwt
from cryptography.x509 import load_pem_x509_certificate

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def self_signed(folder: Path, name: str = "server") -> tuple[Path, Path]:
    """(certificate, key) for CN=localhost and 127.0.0.1, made by openssl."""
    cert, key = folder / f"{name}-cert.pem", folder / f"{name}-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def sha1_thumbprint(cert: Path) -> str:
    """The thumbprint Entra ID shows for an uploaded certificate: SHA-1 of its DER form, upper-case hex."""
    return hashlib.sha1(ssl.PEM_cert_to_DER_cert(cert.read_text())).hexdigest().upper()


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hung up, or a connection dropped on purpose: nothing to print


class _HttpsServer:
    """A threaded HTTPS server on 127.0.0.1 whose handler class gets `self` as `.owner`."""

    handler: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ms-"))
        self.cafile, self._key = self_signed(self.dir)
        self._server: ThreadingHTTPServer | None = None
        self._port = 0
        self._release = threading.Event()  # wakes handlers told to hang

    @property
    def port(self) -> int:
        """The port it listens on (kept after stop: a test may point a client at the closed port)."""
        assert self._port, "not started"
        return self._port

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cafile, self._key)
        handler = type("Handler", (self.handler,), {"owner": self})
        server = _QuietServer(("127.0.0.1", 0), handler)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server, self._port = server, server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _Handler(BaseHTTPRequestHandler):
    owner: _HttpsServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: the tests assert on what was recorded

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self, status: int, payload: dict | None = None, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        for name, value in {**({"Content-Type": "application/json"} if payload is not None else {}), **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


# -- Entra ID --------------------------------------------------------------------------------------

@dataclass
class TokenRequest:
    tenant: str
    form: dict[str, str]


class TokenServer(_HttpsServer):
    """Entra ID's v2.0 endpoints for one tenant and one app. `tokens` maps a scope to the access token issued for it."""

    def __init__(self, *, tenant: str, client_id: str, secret: str | None = None, certificate: Path | None = None,
                 tokens: dict[str, str] | None = None, expires_in: int = 3599) -> None:
        super().__init__()
        self.tenant, self.client_id, self.secret = tenant, client_id, secret
        self.certificate = certificate
        self.tokens = dict(tokens or {})
        self.expires_in = expires_in
        self.requests: list[TokenRequest] = []
        self.handler = _EntraHandler

    def endpoint(self, tenant: str) -> str:
        return f"{self.url}/{tenant}/oauth2/v2.0/token"

    def refusal(self, form: dict[str, str], tenant: str) -> tuple[int, str, int, str] | None:
        """(status, error, AADSTS code, description) for a request Entra ID would refuse, else None."""
        if form.get("grant_type") != "client_credentials":
            return 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
        if form.get("client_id") != self.client_id:
            return (400, "unauthorized_client", 700016, f"Application with identifier '{form.get('client_id')}' was not found in the "
                    f"directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant.")
        if "client_assertion" in form:
            if not self._assertion_holds(form, tenant):
                return 401, "invalid_client", 700027, "Client assertion failed signature validation."
        elif self.secret is None or form.get("client_secret") != self.secret:
            return (401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request "
                    f"is the client secret value, not the client secret ID, for a secret added to app '{self.client_id}'.")
        if form.get("scope") not in self.tokens:
            return 400, "invalid_scope", 70011, f"The provided value for the input parameter 'scope' is not valid. The scope {form.get('scope')} is not valid."
        return None

    def _assertion_holds(self, form: dict[str, str], tenant: str) -> bool:
        """RFC 7523: RS256 over the certificate's key, x5t = its SHA-1 thumbprint, aud = the token endpoint, iss = sub = the app."""
        if self.certificate is None or form.get("client_assertion_type") != ASSERTION_TYPE:
            return False
        assertion = form["client_assertion"]
        cert = load_pem_x509_certificate(self.certificate.read_bytes())
        expected_x5t = base64.urlsafe_b64encode(bytes.fromhex(sha1_thumbprint(self.certificate))).rstrip(b"=").decode()
        try:
            if str(jwt.get_unverified_header(assertion).get("x5t", "")).rstrip("=") != expected_x5t:  # MSAL keeps the padding
                return False
            claims = jwt.decode(assertion, cert.public_key(), algorithms=["RS256"], audience=self.endpoint(tenant),
                                issuer=self.client_id, options={"require": ["exp", "iat", "jti", "sub"]})
        except jwt.PyJWTError:
            return False
        return claims["sub"] == self.client_id


def _entra_error(error: str, code: int, description: str) -> dict:
    """Entra ID's error JSON, trace and correlation IDs included (they must not reach a person's screen)."""
    return {"error": error, "error_description": f"AADSTS{code}: {description} Trace ID: 0f5e4a1b-aaaa-4bbb-8ccc-1234567890ab "
            "Correlation ID: 7d1c2b3a-dddd-4eee-8fff-0987654321fe Timestamp: 2026-12-01 08:00:00Z",
            "error_codes": [code], "timestamp": "2026-12-01 08:00:00Z", "trace_id": "0f5e4a1b-aaaa-4bbb-8ccc-1234567890ab",
            "correlation_id": "7d1c2b3a-dddd-4eee-8fff-0987654321fe"}


class _EntraHandler(_Handler):
    owner: TokenServer

    def do_GET(self) -> None:
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[1:] != ["v2.0", ".well-known", "openid-configuration"]:
            self.answer(404, {"error": "not_found"})
        elif parts[0] != self.owner.tenant:
            self.answer(400, _entra_error("invalid_tenant", 90002, f"Tenant '{parts[0]}' not found. Check to make sure you have "
                                          "the correct tenant ID and are signing into the correct cloud."))
        else:
            base = f"{self.owner.url}/{parts[0]}"
            self.answer(200, {"token_endpoint": f"{base}/oauth2/v2.0/token", "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                              "issuer": f"{base}/v2.0", "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"]})

    def do_POST(self) -> None:
        parts = self.path.strip("/").split("/")
        form = {key: values[0] for key, values in parse_qs(self.body().decode()).items()}
        if parts[1:] != ["oauth2", "v2.0", "token"] or parts[0] != self.owner.tenant:
            self.answer(400, _entra_error("invalid_tenant", 90002, f"Tenant '{parts[0]}' not found."))
            return
        self.owner.requests.append(TokenRequest(parts[0], form))
        if refused := self.owner.refusal(form, parts[0]):
            status, error, code, description = refused
            self.answer(status, _entra_error(error, code, description))
            return
        self.answer(200, {"token_type": "Bearer", "expires_in": self.owner.expires_in, "ext_expires_in": self.owner.expires_in,
                          "access_token": self.owner.tokens[form["scope"]]})


def fake_jwt(**claims) -> str:
    """An access token shaped like Entra ID's (header.claims.signature); no server here checks its signature."""
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    return f"{part({'typ': 'JWT', 'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


# -- Microsoft Graph ---------------------------------------------------------------------------------

@dataclass
class GraphRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class GraphMail:
    mailbox: str
    data: bytes  # the MIME, decoded from the base64 body
    message: email.message.EmailMessage


@dataclass
class Answer:
    """How Graph treats the next sendMail: whether it sends the mail (by default only with a 202), then
    what it says: `status` with Graph's error JSON, or nothing at all ("drop": the connection closes;
    "hang": no answer until the server stops)."""

    status: int = 202
    error: tuple[str, str] | None = None  # (code, message)
    headers: dict[str, str] = field(default_factory=dict)
    sends: bool | None = None  # None: it sends exactly when status is 202
    then: str = "answer"  # "answer", "drop" or "hang"


class GraphServer(_HttpsServer):
    """POST {url}/v1.0/users/{mailbox}/sendMail, checked as Graph documents it; `file` gets each accepted MIME (Sent Items)."""

    def __init__(self, *, token: str, mailbox: str, file: Callable[[bytes], None] | None = None) -> None:
        super().__init__()
        self.token, self.mailbox, self.file = token, mailbox, file
        self.requests: list[GraphRequest] = []
        self.mails: list[GraphMail] = []
        self.answers: list[Answer] = []  # consumed one per request; empty = 202
        self.handler = _GraphHandler

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1.0"

    def check(self, method: str, path: str, headers, body: bytes) -> tuple[int, str, str] | bytes:
        """(status, Graph error code, message) for a request Graph would refuse, else the decoded MIME."""
        if method != "POST":
            return 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."
        if unquote(path) != f"/v1.0/users/{self.mailbox}/sendMail":
            return 404, "ErrorInvalidUser", f"The requested user '{unquote(path)}' is invalid."
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience."
        if (headers.get("Content-Type") or "").split(";")[0].strip() != "text/plain":
            return 415, "RequestBodyRead", "A supported MIME type could not be found that matches the content type of the response."
        try:
            return base64.b64decode(body, validate=True)
        except binascii.Error:
            return 400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content."


class _GraphHandler(_Handler):
    owner: GraphServer

    def do_POST(self) -> None:
        self.handle_request("POST")

    def do_GET(self) -> None:
        self.handle_request("GET")

    def handle_request(self, method: str) -> None:
        owner, body = self.owner, self.body()
        owner.requests.append(GraphRequest(method, self.path, dict(self.headers.items()), body))
        checked = owner.check(method, self.path, self.headers, body)
        if not isinstance(checked, bytes):
            status, code, message = checked
            self.answer(status, {"error": {"code": code, "message": message}})
            return
        answer = owner.answers.pop(0) if owner.answers else Answer()
        if answer.sends if answer.sends is not None else answer.status == 202:
            owner.mails.append(GraphMail(owner.mailbox, checked, email.message_from_bytes(checked, policy=email.policy.default)))
            if owner.file is not None:
                owner.file(checked)
        if answer.then == "hang":
            owner._release.wait(30)
        if answer.then in ("hang", "drop"):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if answer.status == 202:
            self.answer(202, None, {"request-id": f"req-{len(owner.mails)}", **answer.headers})
        else:
            self.answer(answer.status, {"error": {"code": answer.error[0], "message": answer.error[1]}} if answer.error else None, answer.headers)
