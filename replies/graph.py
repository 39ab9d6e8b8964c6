"""Microsoft Graph sendMail: the reply's exact MIME, base64 in a text/plain body, sent as the board's mailbox.

Graph documents MIME sending as `POST /users/{id | userPrincipalName}/sendMail` with
`Content-Type: text/plain` and the whole MIME message, base64-encoded, as the body. It answers
202 Accepted with no body and files the message in the mailbox's Sent Items (saveToSentItems
is true unless a JSON body says otherwise; a MIME body cannot). The app needs Graph's Mail.Send
application permission, or Exchange's "Application Mail.Send" role (RBAC for Applications).

What an answer means, in the transports' terms (inbox/errors.py, TransportError):
* nothing left (no token, no connection, TLS, or 401/403/404: the app or the mailbox is wrong):
  environment; every reply waits, one alarm.
* 429 and 503: Graph throttles or is away, and says so before it does anything: transient;
  this reply is tried again after its back-off (Graph's Retry-After is reported).
* other 4xx: Graph refused this message (malformed MIME, too large, bad recipients): failed.
* the request left and no answer came (a read timeout, a dropped connection), or a 500/502/504
  that may have come after the send: uncertain, settled by looking for the reply in Sent Items
  ([smtp] sent_folder), exactly like an SMTP link lost during DATA. POSTs are never retried.
"""

from __future__ import annotations

import base64
import http.client
import json
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from urllib.parse import quote, urlsplit

from inbox.config import SmtpConfig
from inbox.errors import TransportError
from inbox.network import server_text
from mailauth.login import graph_use
from mailauth.microsoft import access_token, refusal_hint
from mailauth.tokens import TokenError
from replies.compose import wire_bytes
from replies.transports import Delivery

ENVIRONMENT, UNCERTAIN = TransportError.ENVIRONMENT, TransportError.UNCERTAIN
# Graph's error codes that say the mailbox is wrong, whatever the HTTP status.
_MAILBOX_CODES = {"ErrorInvalidUser", "MailboxNotEnabledForRESTAPI", "MailboxNotSupportedForRESTAPI", "ResourceNotFound"}
_ANSWER_BYTES = 65_536  # more than any answer of Graph's to sendMail


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


class GraphTransport:
    def __init__(self, config: SmtpConfig, *, mailbox: str) -> None:
        self.config = config
        self.mailbox = mailbox
        self.use = graph_use(config, mailbox)

    @property
    def url(self) -> str:
        return f"{self.config.graph_base_url.rstrip('/')}/users/{quote(self.mailbox, safe='@')}/sendMail"

    def send(self, message: EmailMessage, recipients: list[str]) -> Delivery:
        _only_listed(message, recipients)
        data = wire_bytes(message)
        token = self._token()
        answer = self._post(token, base64.b64encode(data))
        return self._outcome(answer, token, data)

    def _token(self) -> str:
        try:
            return access_token(self.use)
        except TokenError as err:
            raise TransportError(str(err), kind=ENVIRONMENT) from err

    def _post(self, token: str, body: bytes) -> _Answer:
        """One POST on a connection of its own, in three steps, because each fails with a different meaning:
        connecting (nothing left), sending (an incomplete request, which no server acts on) and waiting for
        the answer (the request had left: it may have been acted on). It is never repeated."""
        cfg, url = self.config, urlsplit(self.url)
        context = ssl.create_default_context(cafile=str(cfg.cafile) if cfg.cafile else None)
        conn = http.client.HTTPSConnection(url.hostname or "", url.port, timeout=cfg.timeout_seconds, context=context)
        try:
            try:
                conn.connect()
                conn.request("POST", url.path, body=body, headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain"})
            except (OSError, http.client.HTTPException) as err:
                raise TransportError(self._unreached(err), kind=ENVIRONMENT) from err
            try:
                response = conn.getresponse()
                return _Answer(response.status, response.reason, dict(response.getheaders()), response.read(_ANSWER_BYTES))
            except (OSError, http.client.HTTPException) as err:
                raise TransportError(f"no answer from Microsoft Graph after the reply was sent ({_why(err, cfg.timeout_seconds)}): "
                                     "it may have left", kind=UNCERTAIN) from err
        finally:
            conn.close()

    def _unreached(self, err: OSError | http.client.HTTPException) -> str:
        where = self.config.graph_base_url
        if isinstance(err, ssl.SSLError):
            reason = getattr(err, "verify_message", None) or err.reason or err
            return f"TLS with Microsoft Graph at {where} failed ({reason}): check [smtp] graph_base_url and cafile"
        return f"cannot reach Microsoft Graph at {where} ({_why(err, self.config.timeout_seconds)}): check [smtp] graph_base_url and the network"

    def _outcome(self, answer: _Answer, token: str, data: bytes) -> Delivery:
        status = answer.status
        if 200 <= status < 300:
            request_id = _header(answer, "request-id")[:80]
            return Delivery(f"{status} accepted by Microsoft Graph" + (f" (request-id {request_id})" if request_id else ""), data=data)
        code, text = _graph_error(answer)
        said = f"{status} {code}: {text}" if code else f"{status} {text}"
        if status in (429, 503):
            raise TransportError(f"Microsoft Graph {'throttles' if status == 429 else 'is unavailable'} ({said}){_retry_after(answer)}")
        if status in (401, 403):
            raise TransportError(f"Microsoft Graph refused the app's token for {self.mailbox} ({said}); {refusal_hint(self.use, token)}",
                                 kind=ENVIRONMENT)
        if status == 404 or code in _MAILBOX_CODES:
            raise TransportError(f"[smtp] user: Microsoft Graph has no mailbox {self.mailbox!r} for the app ({said}): set [smtp] user "
                                 "(or sender_address) to the address of the board's mailbox in Exchange Online", kind=ENVIRONMENT)
        if code == "ErrorSendAsDenied":
            raise TransportError(f"[smtp] sender_address: {self.mailbox} may not send as {self.config.sender_address} ({said}): "
                                 f"Add-RecipientPermission -Identity {self.config.sender_address} -Trustee {self.mailbox} -AccessRights SendAs",
                                 kind=ENVIRONMENT)
        if 300 <= status < 400:
            raise TransportError(f"Microsoft Graph at {self.config.graph_base_url} answered {status} (a redirect): check [smtp] graph_base_url",
                                 kind=ENVIRONMENT)
        if status >= 500:  # the request reached Graph; whether the mail left is unknown
            raise TransportError(f"Microsoft Graph failed after the reply was sent ({said}): it may have left", kind=UNCERTAIN)
        raise TransportError(f"Microsoft Graph refused the reply: {said}", permanent=True)


def _only_listed(message: EmailMessage, recipients: list[str]) -> None:
    """Graph sends to the addresses in the message's own To and Cc; a recipient missing there would not get it."""
    listed = {address.lower() for _name, address in getaddresses([str(value) for value in message.get_all("To", []) + message.get_all("Cc", [])])}
    missing = [r for r in recipients if r.lower() not in listed]
    if missing:
        raise TransportError(f"Microsoft Graph sends to the message's To and Cc only, and {', '.join(missing)} is not there", permanent=True)


def _graph_error(answer: _Answer) -> tuple[str, str]:
    """Graph's error code and message ({"error": {"code", "message"}}), bounded; else the body's start."""
    try:
        error = json.loads(answer.body).get("error")
    except (ValueError, AttributeError):
        error = None
    if isinstance(error, dict):
        return str(error.get("code") or "")[:80], " ".join(str(error.get("message") or "").split())[:300]
    return "", " ".join(answer.body.decode("utf-8", "replace").split())[:200] or answer.reason[:80]


def _header(answer: _Answer, name: str) -> str:
    return next((value for key, value in answer.headers.items() if key.lower() == name.lower()), "")


def _retry_after(answer: _Answer) -> str:
    value = " ".join(_header(answer, "Retry-After").split())[:40]
    if value.isdigit():
        return f"; Graph asks us to wait {int(value)} s"
    return f"; Graph asks us to wait until {value}" if value else ""


def _why(err: OSError | http.client.HTTPException, timeout: float) -> str:
    if isinstance(err, TimeoutError):
        return f"no answer within {timeout:g} s"
    return server_text(err) if isinstance(err, OSError) else (type(err).__name__ + (f": {err}" if str(err) else ""))
