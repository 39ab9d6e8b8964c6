"""A typed, read-only view of one e-mail, built from its raw bytes with mail-parser.

Everything downstream (classification, extraction, case matching) reads this
view and never the raw bytes or mail-parser objects, so the parser can be
swapped without touching the rules. Every text value in it is safe to store
(no NUL, no lone surrogate; ingest.clean) and addresses come only from parsed
address fields (ingest.addresses).
"""

from __future__ import annotations

import base64
import email.utils
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from html.parser import HTMLParser

from ingest import addresses
from ingest.authentication import AuthResult, read_authentication
from ingest.clean import clean_line, clean_optional, clean_text


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
    sender: str | None  # addr-spec of the parsed From, lower-case; None when missing, ambiguous or implausible (ingest.addresses)
    sender_name: str | None  # its display name, on one line; never read for an address
    to: tuple[str, ...]
    date: datetime | None
    headers: dict[str, tuple[str, ...]]  # lower-case name -> every value, decoded, on one line, in order
    text: str  # plain-text body; derived from the HTML part when there is no plain part
    html: str | None
    attachments: tuple[MailAttachment, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = field(default_factory=tuple)
    content_type: str = "text/plain"  # of the top-level part, e.g. multipart/report
    auth: AuthResult = field(default_factory=AuthResult)  # Authentication-Results of the board's own server, if any
    notes: tuple[str, ...] = ()  # what was wrong with the mail itself, e.g. a part that is not the base64 it claims

    def header(self, name: str) -> str | None:
        """First value of a header, or None."""
        values = self.headers.get(name.lower())
        return values[0] if values else None


_MSGID = re.compile(r"<[^<>\s]+>")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")  # the end of the header block (a message without one is all header)
# The modern header parser is quadratic on some structured values (2,000 double quotes in a
# To field take 0.2 s, 20,000 take 4 s); past these lengths a value is only RFC 2047-decoded,
# which reads 8-bit text and encoded words as well. Worst case about 1 s per message.
_MODERN_FIELD_MAX = 1000
_MODERN_TOTAL_MAX = 16_000


@dataclass(frozen=True)
class _Fields:
    decoded: dict[str, tuple[str, ...]]  # lower-case name -> decoded, cleaned values, in order
    undecoded: dict[str, tuple[str, ...]]  # the same fields unfolded, encoded words left as sent


def parse_message(raw: bytes, *, authserv_ids: Collection[str] = ()) -> ParsedMail:
    """Parse raw RFC 822 bytes. Raises MessageParseError when they are not a message.

    authserv_ids: the authserv-ids of the board's own mail servers ([service] authserv_ids).
    """
    import mailparser  # here: the configuration imports this module, and a poll with nothing new parses nothing

    if not raw or not raw.strip():
        raise MessageParseError("empty message")
    try:
        parsed = mailparser.parse_from_bytes(raw)
    except Exception as err:  # mail-parser raises many types; one error for callers
        raise MessageParseError(f"mail-parser could not read the message: {err}") from err
    msg = parsed.message
    if not msg.keys():
        raise MessageParseError("no header fields found")
    fields = _fields(raw)
    headers = fields.decoded
    who = addresses.sender(fields.undecoded)
    html = clean_text("\n".join(parsed.text_html)) or None
    text = clean_text("\n".join(parsed.text_plain)) or (html_to_text(html) if html else "")
    attachments = tuple(_attachment(a) for a in parsed.attachments)
    return ParsedMail(
        message_id=_first_msgid(headers.get("message-id", ())),
        subject=clean_line(_decode(headers.get("subject", ("",))[0])).strip(),
        sender=who.address,
        sender_name=who.name,
        to=addresses.addresses(fields.undecoded.get("to", ())),
        date=_date(headers.get("date", ())),
        headers=headers,
        text=text,
        html=html,
        attachments=tuple(part for part, _ in attachments),
        in_reply_to=_first_msgid(headers.get("in-reply-to", ())),
        references=tuple(_MSGID.findall(" ".join(headers.get("references", ())))),
        content_type=msg.get_content_type(),
        auth=read_authentication(fields.undecoded.get("authentication-results", ()), authserv_ids, _domain(who.address)),
        notes=tuple(note for _, note in attachments if note),
    )


def _fields(raw: bytes) -> _Fields:
    """Every header field, decoded and unfolded. The modern policy reads raw 8-bit UTF-8 headers
    (RFC 6532) right, which the compat32 parse behind mail-parser does not; plain RFC 2047
    decoding is the fallback, and the path for values too long for the modern parser."""
    modern = BytesParser(policy=policy.default).parsebytes(_header_block(raw), headersonly=True)
    decoded: dict[str, list[str]] = {}
    undecoded: dict[str, list[str]] = {}
    budget = _MODERN_TOTAL_MAX
    for name, value in modern.raw_items():
        plain = _unfolded(value)
        undecoded.setdefault(name.lower(), []).append(plain)
        use_modern = len(value) <= min(_MODERN_FIELD_MAX, budget)
        budget -= len(value) if use_modern else 0
        decoded.setdefault(name.lower(), []).append(clean_line(_modern(modern, name, value) if use_modern else _decode(plain)))
    return _Fields({k: tuple(v) for k, v in decoded.items()}, {k: tuple(v) for k, v in undecoded.items()})


def _header_block(raw: bytes) -> bytes:
    """The header fields and the blank line after them. The parser stops there anyway, but given
    the whole message it first splits the body into lines: 350 MB for a 33 MB message."""
    end = _BLANK_LINE.search(raw)
    return raw[:end.end()] if end else raw


def _modern(modern, name: str, value: str) -> str:
    try:
        return str(modern.policy.header_fetch_parse(name, value))
    except Exception:  # a malformed header the modern policy rejects; its text is still useful
        return _decode(_unfolded(value))


def _unfolded(value: str) -> str:
    """A raw field value unfolded, its 8-bit bytes read as UTF-8 (RFC 6532), else windows-1252."""
    text = "".join(value.splitlines())
    if text.isascii():
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _decode(value: str) -> str:
    """Decode RFC 2047 words; leave a value that is not well-formed as it is."""
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # malformed encoded words are common; the raw text is still useful
        return value


def _domain(address: str | None) -> str | None:
    return address.rpartition("@")[2] if address else None


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


def _attachment(item: dict) -> tuple[MailAttachment, str | None]:
    """One part, and a note when it is not what it claims to be."""
    payload = str(item.get("payload") or "")
    filename = clean_optional(item.get("filename"))
    data, note = payload.encode("utf-8", "surrogateescape"), None
    if item.get("binary"):
        try:
            data = base64.b64decode(payload)
        except ValueError:  # binascii.Error, or non-ASCII text: keep the part as sent rather than lose it
            note = f"attachment {(filename or '(no name)')[:200]!r} is not valid base64; kept as sent ({len(data)} bytes)"
    attachment = MailAttachment(
        filename=filename,
        declared_type=clean_line(item.get("mail_content_type") or "application/octet-stream").lower(),
        payload=data,
        content_id=clean_optional((item.get("content-id") or "").strip("<> ")),
        disposition=clean_line(item.get("content-disposition") or "").split(";")[0].strip().lower() or None,
    )
    return attachment, note


class _TextCollector(HTMLParser):
    """Lines as a mail program shows them. A div, row or list item ends a line (Gmail and Apple Mail
    write one div per line, so a signature stays one block); a paragraph, table or quote leaves a
    blank line, except Outlook's <p class=MsoNormal>, which its own stylesheet gives no margin;
    table cells are apart ("Telefon:" and "021-..." in two cells); line breaks in the HTML source
    are spaces, as in a browser (a wrapped source line must not cut a name in two). A stream
    parser, not a tree: it reads any depth of nesting and every <html> of a mail whose parts were
    joined (inscriptis, measured against this, reads neither; README, "Libraries, and why")."""

    _LINE = {"div", "tr", "li", "ul", "ol"}
    _PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre"}
    # Not "head": its end tag may be left out, which once hid the whole body; its text is in these.
    _HIDDEN = {"style", "script", "title"}
    _PREFORMATTED = {"pre", "textarea", "listing", "xmp", "plaintext"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0
        self._newlines = 0  # line breaks at the end of the text so far (spaces not counted)
        self._outlook_line = False  # the open <p> is Outlook's MsoNormal

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self._skip += 1
        elif tag == "body":  # a <title> left open must not hide the body (style and script cannot hold a tag)
            self._skip = 0
        elif tag == "br":
            self._append_newlines(1)
        elif tag in ("td", "th"):
            self.parts.append("\t")
        else:
            if tag == "p":
                self._outlook_line = any(name == "class" and "msonormal" in (value or "").lower() for name, value in attrs)
            self._pre += tag in self._PREFORMATTED
            self._break(tag)

    def handle_endtag(self, tag):
        if tag in self._HIDDEN and self._skip:
            self._skip -= 1
        else:
            if tag in self._PREFORMATTED and self._pre:
                self._pre -= 1
            self._break(tag)

    def handle_data(self, data):
        if self._skip:
            return
        if not self._pre:
            data = _HTML_SPACE.sub(" ", data)
        content = data.rstrip(" \t")
        if content.strip("\n"):
            self._newlines = len(content) - len(content.rstrip("\n"))
        else:
            self._newlines += len(content)
        self.parts.append(data)

    def _break(self, tag: str) -> None:
        """End the line (or leave a blank line) unless the text already does."""
        line = tag in self._LINE or (tag == "p" and self._outlook_line)
        wanted = 1 if line else 2 if tag in self._PARAGRAPH else 0
        if self._newlines < wanted:
            self._append_newlines(wanted - self._newlines)

    def _append_newlines(self, count: int) -> None:
        self.parts.append("\n" * count)
        self._newlines += count


_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")  # not \s: a no-break space is text (an empty Outlook line)


# The stdlib parser raises AssertionError on a marked section it does not know ("<![foo[", "<![ x"),
# which once stopped the parse of a whole mail; such a "<![" is read as text instead.
_UNKNOWN_MARKED_SECTION = re.compile(r"<!\[(?!(?:cdata|if|else|endif|temp|ignore|include|rcdata)(?![-_.a-z0-9]))", re.I | re.A)


def html_to_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(_UNKNOWN_MARKED_SECTION.sub("&lt;![", html))
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
