"""A stored message as a person reads it: its header fields decoded, its text, never its HTML as HTML.

Read in the process that shows it (the workspace), so every step is bounded: the header block is
read up to MAX_HEADER_BYTES, the body only of a message up to MAX_PARSE_BYTES, at most MAX_PARTS
parts are walked, and the text is cut at MAX_TEXT_CHARS. The stdlib parser (compat32) is used,
not mail-parser: it only splits the message and decodes the one part shown. An HTML-only body is
turned into text (ingest.message.html_to_text); the HTML itself is never handed on. Addresses come
from the parsed address fields (ingest.addresses), the display names are only text.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message as MimePart
from email.parser import BytesParser
from pathlib import Path

from ingest.addresses import mailboxes
from ingest.clean import clean_line, clean_text
from ingest.message import html_to_text
from models import Message

MAX_HEADER_BYTES = 256 * 1024
MAX_PARSE_BYTES = 25 * 1024 * 1024
MAX_PARTS = 500
MAX_TEXT_CHARS = 200_000
MAX_HTML_CHARS = 2_000_000
MAX_VALUE_CHARS = 2000
SHOWN_FIELDS = ("from", "sender", "reply-to", "to", "cc", "date", "subject", "message-id", "in-reply-to")
ADDRESS_FIELDS = frozenset({"from", "sender", "reply-to", "to", "cc"})
_HEADER_END = re.compile(rb"\r?\n\r?\n")


@dataclass(frozen=True)
class Readable:
    """What the page shows. `problem`: None, "gone" (the stored original cannot be read), "too_large"
    (only the header fields were read) or "unreadable" (the body could not be split into parts)."""

    fields: list[tuple[str, str]] = field(default_factory=list)  # (lower-case name, value on one line), in order
    date: datetime | None = None
    text: str = ""
    from_html: bool = False  # the text was taken from the HTML part (there was no plain-text part)
    cut: bool = False  # the text was longer than MAX_TEXT_CHARS
    problem: str | None = None


def read_message(data_dir: Path, message: Message) -> Readable:
    path = data_dir / message.raw_path
    try:
        if path.stat().st_size > MAX_PARSE_BYTES:
            with path.open("rb") as handle:
                fields, date = header_fields(handle.read(MAX_HEADER_BYTES))
            return Readable(fields, date, problem="too_large")
        raw = path.read_bytes()
    except OSError:
        return Readable(problem="gone")
    fields, date = header_fields(raw)
    try:
        parsed = BytesParser(policy=policy.compat32).parsebytes(raw)
        text, from_html = _body(parsed)
    except (ValueError, LookupError, RecursionError, AssertionError):  # a body the parser cannot split
        return Readable(fields, date, problem="unreadable")
    text = clean_text(text)
    return Readable(fields, date, text[:MAX_TEXT_CHARS], from_html, len(text) > MAX_TEXT_CHARS)


def headline(data_dir: Path, message: Message) -> tuple[str | None, str | None]:
    """(From, Subject) as written, for a list row of a message whose processing never stored them
    (a quarantined message: its transaction was rolled back). Reads the header block only."""
    try:
        with (data_dir / message.raw_path).open("rb") as handle:
            fields, _ = header_fields(handle.read(MAX_HEADER_BYTES))
    except OSError:
        return None, None
    found = dict(reversed(fields))  # the first of each
    return found.get("from"), found.get("subject")


def header_fields(raw: bytes) -> tuple[list[tuple[str, str]], datetime | None]:
    """The fields a person needs to know where a message came from and went to, decoded."""
    end = _HEADER_END.search(raw, 0, MAX_HEADER_BYTES)
    block = raw[: end.end() if end else MAX_HEADER_BYTES]
    parsed = BytesParser(policy=policy.compat32).parsebytes(block, headersonly=True)
    fields, date = [], None
    for name, value in parsed.raw_items():
        key = name.lower()
        if key not in SHOWN_FIELDS:
            continue
        plain = _unfolded(str(value))[:MAX_VALUE_CHARS * 4]
        fields.append((key, _addresses(plain) if key in ADDRESS_FIELDS else clean_line(_decoded(plain))[:MAX_VALUE_CHARS]))
        if key == "date" and date is None:
            date = _date(plain)
    return fields, date


def _addresses(value: str) -> str:
    """'Name <addr>, addr2' from the parsed field; a field that holds no sound address is shown as written."""
    shown = []
    for box in mailboxes(value):
        if box.address:
            shown.append(f"{box.name} <{box.address}>" if box.name else box.address)
    return ", ".join(shown)[:MAX_VALUE_CHARS] if shown else clean_line(_decoded(value))[:MAX_VALUE_CHARS]


def _body(parsed: MimePart) -> tuple[str, bool]:
    plain = html = None
    for count, part in enumerate(parsed.walk()):
        if count >= MAX_PARTS:
            break
        if part.is_multipart() or part.get_filename() or (part.get("content-disposition") or "").lower().startswith("attachment"):
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html is None:
            html = part
        if plain is not None:
            break
    if plain is not None:
        return _decoded_payload(plain, MAX_TEXT_CHARS * 4), False
    if html is not None:
        return html_to_text(_decoded_payload(html, MAX_HTML_CHARS)), True
    return "", False


def _decoded_payload(part: MimePart, limit: int) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload[:limit].decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        return payload[:limit].decode("utf-8", "replace")


def _unfolded(value: str) -> str:
    text = "".join(value.splitlines())
    if text.isascii():
        return text
    data = text.encode("utf-8", "surrogateescape")  # 8-bit header bytes (RFC 6532), else windows-1252
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _decoded(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # malformed encoded words are common; the text as sent is still readable
        return value


def _date(value: str) -> datetime | None:
    try:
        found = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found
