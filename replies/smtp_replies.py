"""What an SMTP answer means for us: trouble of the service (every message would get it) or of one message.

The enhanced status code (RFC 3463, "5.7.8") names the subject of a refusal: X.1 addresses,
X.2 mailboxes, X.3 the mail system, X.5 the protocol, X.6 the content, X.7 security and policy.
Only a refusal about this message or its recipients is the reply's failure; one about our login,
our sender address or the server itself would hit every reply, so it is the service's.
"""

from __future__ import annotations

import re

_ENHANCED = re.compile(rb"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_LOGIN = "check [smtp] user, tls and the environment variable named by [smtp] password_env"
_SENDER = "check [smtp] sender_address and user (the login must be allowed to send as that address)"
_SERVER = "the server has trouble of its own; sending resumes when it recovers"
# (class, subject, detail) -> what a person should check; "*" = 4 or 5
_ENVIRONMENT = {
    ("*", "1", "7"): _SENDER,  # bad sender mailbox address syntax
    ("*", "1", "8"): _SENDER,  # bad sender's system address
    ("5", "7", "0"): _LOGIN,  # authentication required (4.7.0 is mostly greylisting: this message, later)
    ("*", "7", "8"): _LOGIN,  # authentication credentials invalid
    ("*", "7", "57"): _LOGIN,  # Exchange Online: client not authenticated to send mail
}


def environment_reply(code: int, reply: bytes | str) -> str | None:
    """What to check when `code reply` means the service cannot send at all; None when it is about one message."""
    text = reply.encode("utf-8", "replace") if isinstance(reply, str) else reply
    if code == 421:  # RFC 5321 4.2.3: the service is not available and closes the channel
        return _SERVER
    if b"SendAsDenied" in text:  # Exchange: 554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException
        return _SENDER
    match = _ENHANCED.match(text)
    if match is None:
        return None
    kind, subject, detail = (part.decode() for part in match.groups())
    if subject == "3":  # mail system status: full, not accepting, system not capable
        return _SERVER
    return _ENVIRONMENT.get((kind, subject, detail)) or _ENVIRONMENT.get(("*", subject, detail))
