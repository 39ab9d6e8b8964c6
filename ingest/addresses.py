"""Addresses from header fields, read the one safe way.

The addr-spec comes from the parsed address header (the parser behind
email.headerregistry), never from decoded display-name text: in
`From: =?utf-8?q?Eva=0D=0ABcc:=20victim@example.com?= <eva@x.se>` the mailbox is
eva@x.se, and "Eva / Bcc: victim@example.com" is only its display name.

Which header names the sender: the first mailbox of the first From field. Sender, then
Return-Path, are read only when the message has no From field at all. A From field
that yields no sound mailbox (an empty group, a lone comment, a missing ">", text
around the address) or whose addr-spec is not a plausible address (no domain, a quoted
local part, a special-use domain such as .local, over 254 characters...) gives no
sender: the other fields are then not consulted, so a From that the receiving server
(and its DMARC check) reads one way cannot steer our answer to an address in a field
no one sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email.errors import HeaderParseError, InvalidHeaderDefect
from email.headerregistry import AddressHeader

from email_validator import EmailNotValidError, validate_email

from ingest.clean import clean_optional

# The stdlib parser is quadratic on some inputs (1,000 double quotes take 0.07 s, 20,000 take
# 4 s) and recursive on nested comments; a From field of a real mail is far below the first
# bound. Address lists such as To are read up to the second, in total.
MAX_ADDRESS_FIELD = 1000
MAX_ADDRESS_LIST = 4000
# What the stdlib parser raises on malformed input besides HeaderParseError (found by fuzzing).
_PARSER_ERRORS = (HeaderParseError, ValueError, IndexError, AttributeError, TypeError, RecursionError)
SENDER_FIELDS = ("from", "sender", "return-path")


@dataclass(frozen=True)
class Mailbox:
    name: str | None  # display name, control characters removed; never read for an address
    address: str | None  # lower-case addr-spec, None when it is not a plausible address


def mailboxes(value: str) -> list[Mailbox]:
    """Every mailbox of one address field value (groups flattened), in order; invalid ones too."""
    try:
        found = AddressHeader.value_parser(value[:MAX_ADDRESS_FIELD]).all_mailboxes
        return [Mailbox(_display_name(token), plausible(_sound_addr_spec(token))) for token in found]
    except _PARSER_ERRORS:
        return [Mailbox(None, None)] if value.strip() else []


def _sound_addr_spec(mailbox) -> str | None:
    """The addr-spec of a mailbox that is exactly one `name <addr>` or one bare addr, with no defect in
    the address part. A defect in the display name alone (an encoded word inside quotes, as many
    clients write) does not matter; anything left over (`victim@example.com <eva@x.se>`) does:
    which of the two is meant is ambiguous, and other programs may read the other one."""
    if len(mailbox) != 1:
        return None
    part = mailbox[0]
    if part.token_type == "name-addr":
        part = part[-1]
    if part.token_type not in ("angle-addr", "addr-spec"):
        return None
    if any(isinstance(defect, InvalidHeaderDefect) for defect in part.all_defects):
        return None
    return part.addr_spec


def _display_name(mailbox) -> str | None:
    try:
        return clean_optional(mailbox.display_name)
    except _PARSER_ERRORS:  # e.g. "John Doe.<john@example.com>": the parser trips over its own tokens
        return None


def plausible(addr_spec: str | None) -> str | None:
    """The addr-spec in lower case when it is a syntactically valid, deliverable-looking address (no DNS)."""
    if not addr_spec or any(c.isspace() for c in addr_spec):
        return None
    try:
        validate_email(addr_spec, check_deliverability=False)
    except EmailNotValidError:
        return None
    return addr_spec.lower()


def sender(fields: dict[str, tuple[str, ...]]) -> Mailbox:
    """The sender's mailbox from raw (undecoded) field values; Mailbox(None, None) when there is none."""
    name = next((name for name in SENDER_FIELDS if fields.get(name)), None)
    found = mailboxes(fields[name][0]) if name else []
    return found[0] if found else Mailbox(None, None)


def addresses(values: Iterable[str]) -> tuple[str, ...]:
    """The plausible addresses of address fields such as To, in order, within MAX_ADDRESS_LIST characters."""
    found: list[str] = []
    budget = MAX_ADDRESS_LIST
    for value in values:
        if budget <= 0:
            break
        found += [mb.address for mb in mailboxes(value[:budget]) if mb.address]
        budget -= len(value)
    return tuple(found)
