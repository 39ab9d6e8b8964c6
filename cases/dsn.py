"""Read a delivery status notification (RFC 3464) strictly: only the structure a mail system writes.

A DSN is a top-level multipart/report with report-type=delivery-status and a
message/delivery-status part among its direct children; the part holds one block of
per-message fields and one block per recipient (Final-Recipient, Original-Recipient,
Action, Status). Python's parser already splits that part into header blocks, so no
regular expression over the raw bytes is needed, and a DSN quoted inside another
message (a forward, an attachment) is not read as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesParser

STATUS = re.compile(r"^\s*([245])\.\d{1,3}\.\d{1,3}\b")


@dataclass(frozen=True)
class RecipientStatus:
    final: str | None  # Final-Recipient, lower-case addr-spec
    original: str | None  # Original-Recipient, when the reporting MTA kept it
    action: str  # failed, delayed, delivered, relayed, expanded
    status: str  # e.g. "5.1.1"; "" when missing or malformed

    @property
    def permanent_failure(self) -> bool:
        return self.action == "failed" and self.status.startswith("5.")

    def names(self, address: str) -> bool:
        return address.lower() in (self.final, self.original)


@dataclass(frozen=True)
class Dsn:
    recipients: tuple[RecipientStatus, ...]
    return_path: str | None  # the topmost Return-Path, as the final delivering MTA wrote it

    @property
    def null_sender(self) -> bool:
        """RFC 5321 4.5.5: a mail system sends notifications with the null reverse-path."""
        return self.return_path is not None and self.return_path.replace(" ", "") == "<>"


def read_dsn(raw: bytes) -> Dsn | None:
    """The DSN in `raw`, or None when `raw` is not structured as one."""
    message = BytesParser(policy=policy.compat32).parsebytes(raw)
    if message.get_content_type() != "multipart/report":
        return None
    report_type = message.get_param("report-type")  # never an RFC 2231 tuple: compat32 decodes no hyphenated name
    if not isinstance(report_type, str) or report_type.lower() != "delivery-status":
        return None
    blocks = _status_blocks(message)
    if blocks is None:
        return None
    recipients = tuple(r for block in blocks if (r := _recipient(block)) is not None)
    return Dsn(recipients=recipients, return_path=_first(message, "Return-Path"))


def _status_blocks(message: Message) -> list[Message] | None:
    """The header blocks of every message/delivery-status child (some MTAs send a malformed one first)."""
    children = _children(message)
    if children is None:
        return None
    parts = [part for part in children if part.get_content_type() == "message/delivery-status"]
    if not parts:
        return None
    return [block for part in parts for block in _children(part) or []]


def _children(message: Message) -> list[Message] | None:
    """The parsed sub-messages (multipart parts, or the header blocks of message/delivery-status); None for a leaf."""
    payload = message.get_payload()
    if not isinstance(payload, list):
        return None
    return [child for child in payload if isinstance(child, Message)]  # the parser puts only Messages in a list payload


def _recipient(block: Message) -> RecipientStatus | None:
    final, original = _address(block.get("Final-Recipient")), _address(block.get("Original-Recipient"))
    if final is None and original is None:
        return None  # the per-message block (Reporting-MTA, Arrival-Date)
    status = STATUS.match(str(block.get("Status", "")))
    return RecipientStatus(final=final, original=original, action=str(block.get("Action", "")).strip().lower(),
                           status=status.group(0).strip() if status else "")


def _address(value) -> str | None:
    """'rfc822; <anna@x.se>' -> 'anna@x.se'; other address types (x400, utf-8 with encoding) are not ours."""
    if value is None:
        return None
    kind, _, address = str(value).partition(";")
    address = address.strip().strip("<>").strip().lower()
    if kind.strip().lower() != "rfc822" or "@" not in address or any(c.isspace() for c in address):
        return None
    return address


def _first(message: Message, name: str) -> str | None:
    values = message.get_all(name)
    return str(values[0]).strip() if values else None
