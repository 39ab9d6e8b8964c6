"""An IMAPClient that asks for the server's capabilities only when the server has not said them.

RFC 3501 (7.1) lets a server list its capabilities in the greeting and in the tagged OK of
LOGIN/AUTHENTICATE (Dovecot does both). imaplib nevertheless sends CAPABILITY right after
connecting, and its parser drops a capability list carried by a tagged OK, so imapclient
asks again after the login when anything needs has_capability (IDLE, MOVE, UIDPLUS). Here
the greeting's list stands in for the first CAPABILITY, and the list a login returned
becomes imapclient's cached capabilities. After STARTTLS the
capabilities are asked for as before (RFC 2595 3.1: what came before TLS is not trusted).
A server that says nothing unasked (Exchange Online) is asked, as imaplib always did.
"""

from __future__ import annotations

import imaplib
import re

from imapclient import IMAPClient, imap4, tls

_CAPABILITY_CODE = re.compile(rb"\[CAPABILITY ([^\]]*)\]", re.IGNORECASE)
_LOGINS = ("LOGIN", "AUTHENTICATE")


class _TakesCapabilitiesOffered(imaplib.IMAP4):
    _greeting_read = False
    offered_after_login: tuple[bytes, ...] = ()

    def _get_capabilities(self) -> None:  # imaplib calls it after the greeting and after STARTTLS
        offered = None if self._greeting_read else _last_bytes(self.untagged_responses.pop("CAPABILITY", None))
        self._greeting_read = True  # from here on (after STARTTLS), ask
        if offered is None:
            typ, data = self.capability()  # what imaplib's own _get_capabilities does
            offered = _last_bytes(data)
            if typ != "OK" or offered is None:
                raise self.error("no CAPABILITY response from server")
        self.capabilities = tuple(offered.decode("ascii", "replace").upper().split())

    def _command_complete(self, name, tag):  # imaplib's hook for every tagged reply
        typ, data = super()._command_complete(name, tag)
        if name in _LOGINS and typ == "OK":
            in_reply = _CAPABILITY_CODE.search(_last_bytes(data) or b"")
            untagged = _last_bytes(self.untagged_responses.pop("CAPABILITY", None))
            offered = in_reply.group(1) if in_reply else untagged
            if offered:
                self.offered_after_login = tuple(offered.upper().split())
        return typ, data


def _last_bytes(data) -> bytes | None:
    """The last line of an imaplib response list, when it is a plain line."""
    return data[-1] if data and isinstance(data[-1], bytes) else None


class _Plain(_TakesCapabilitiesOffered, imap4.IMAP4WithTimeout):
    pass


class _Tls(_TakesCapabilitiesOffered, tls.IMAP4_TLS):
    pass


class LeanIMAPClient(IMAPClient):
    """IMAPClient that uses the capabilities a server offers unasked (see the module)."""

    def _create_IMAP4(self):  # imapclient's factory for the imaplib connection
        if self.stream:
            return super()._create_IMAP4()
        connect_timeout = getattr(self._timeout, "connect", None)
        if self.ssl:
            return _Tls(self.host, self.port, self.ssl_context, connect_timeout)
        return _Plain(self.host, self.port, connect_timeout)

    def capabilities(self):
        offered = getattr(self._imap, "offered_after_login", ())
        if offered and not self._cached_capabilities and self._imap.state in ("AUTH", "SELECTED"):
            self._cached_capabilities = offered
        return super().capabilities()
