"""A typed, read-only view of one e-mail, built from its raw bytes with mail-parser.

Everything downstream (classification, extraction, case matching) reads this
view and never the raw bytes or mail-parser objects, so the parser can be
swapped without touching the rules.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from html.parser import HTMLParser

import mailparser


class MessageParseError(ValueError):
    """The raw bytes could not be read as an e-mail message."""


@dataclass(frozen=True)
class MailAttachment:
    filename: str | None
    declared_type: str  # as the sender's client declared it; not trusted for decisions
    payload: bytes
    content_id: str | None = None
    disposition: str | None = None  # "inline", "attachment" or None

    @property
    def is_inline(self) -> bool:
        return bool(self.content_id) or (self.disposition or "").lower() == "inline"


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    subject: str
    sender: str | None  # bare address, lower-case
    sender_name: str | None
    to: tuple[str, ...]
    date: datetime | None
    headers: dict[str, tuple[str, ...]]  # lower-case name -> every value, in order
    text: str  # plain-text body; derived from the HTML part when there is no plain part
    html: str | None
    attachments: tuple[MailAttachment, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = field(default_factory=tuple)
    content_type: str = "text/plain"  # of the top-level part, e.g. multipart/report

    def header(self, name: str) -> str | None:
        """First value of a header, or None."""
        values = self.headers.get(name.lower())
        return values[0] if values else None


_MSGID = re.compile(r"<[^<>\s]+>")


def parse_message(raw: bytes) -> ParsedMail:
    """Parse raw RFC 822 bytes. Raises MessageParseError when they are not a message."""
    if not raw or not raw.strip():
        raise MessageParseError("empty message")
    try:
        parsed = mailparser.parse_from_bytes(raw)
    except Exception as err:  # mail-parser raises many types; one error for callers
        raise MessageParseError(f"mail-parser could not read the message: {err}") from err
    msg = parsed.message
    if not msg.keys():
        raise MessageParseError("no header fields found")
    headers = _headers(raw)
    sender_name, sender = _sender(headers)
    html = "\n".join(parsed.text_html) or None
    text = "\n".join(parsed.text_plain) or (html_to_text(html) if html else "")
    return ParsedMail(
        message_id=_first_msgid(headers.get("message-id", ())),
        subject=_decode(headers.get("subject", ("",))[0]).strip(),
        sender=sender,
        sender_name=sender_name,
        to=tuple(a.lower() for _, a in email.utils.getaddresses(list(headers.get("to", ()))) if a),
        date=_date(headers.get("date", ())),
        headers=headers,
        text=text,
        html=html,
        attachments=tuple(_attachment(a) for a in parsed.attachments),
        in_reply_to=_first_msgid(headers.get("in-reply-to", ())),
        references=tuple(_MSGID.findall(" ".join(headers.get("references", ())))),
        content_type=msg.get_content_type(),
    )


def _headers(raw: bytes) -> dict[str, tuple[str, ...]]:
    """Every header, decoded. The modern policy reads raw 8-bit UTF-8 headers (RFC 6532) right,
    which the compat32 parse behind mail-parser does not; plain RFC 2047 decoding is the fallback."""
    modern = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    headers: dict[str, list[str]] = {}
    for name, value in modern.raw_items():
        try:
            text = str(modern.policy.header_fetch_parse(name, value))
        except Exception:  # a malformed header the modern policy rejects; its text is still useful
            text = _decode(value)
        headers.setdefault(name.lower(), []).append(text)
    return {k: tuple(v) for k, v in headers.items()}


def _decode(value: str) -> str:
    """Decode RFC 2047 words; leave a value that is not well-formed as it is."""
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # malformed encoded words are common; the raw text is still useful
        return value


def _sender(headers: dict[str, tuple[str, ...]]) -> tuple[str | None, str | None]:
    for name in ("from", "sender", "return-path"):
        for value in headers.get(name, ()):
            display, addr = email.utils.parseaddr(value)
            if addr and "@" in addr:
                return (display or None), addr.strip().lower()
    return None, None


def _first_msgid(values: tuple[str, ...]) -> str | None:
    for value in values:
        found = _MSGID.search(value)
        if found:
            return found.group(0)
        if value.strip():
            return f"<{value.strip().strip('<>')}>"
    return None


def _date(values: tuple[str, ...]) -> datetime | None:
    for value in values:
        try:
            return email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            continue
    return None


def _attachment(item: dict) -> MailAttachment:
    payload = str(item.get("payload") or "")
    try:
        data = base64.b64decode(payload) if item.get("binary") else payload.encode("utf-8", "surrogateescape")
    except binascii.Error:  # a part declared base64 that is not; keep its text rather than lose it
        data = payload.encode("utf-8", "surrogateescape")
    return MailAttachment(
        filename=item.get("filename") or None,
        declared_type=(item.get("mail_content_type") or "application/octet-stream").lower(),
        payload=data,
        content_id=(item.get("content-id") or "").strip("<> ") or None,
        disposition=(item.get("content-disposition") or "").split(";")[0].strip().lower() or None,
    )


class _TextCollector(HTMLParser):
    _BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    text = "".join(collector.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
