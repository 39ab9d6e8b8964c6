"""Parse a message without holding its large attachments several times over, and without
walking deeply nested attached mails over and over.

The email package under mail-parser splits a body into line objects and joins them again,
and the base64 text is decoded once more after that: a 25 MB attachment cost about 400 MB.
Here each large base64 part is decoded once, straight from the raw bytes, and mail-parser
reads a skeleton of the message with a short placeholder in that part's place; the
placeholders are then swapped for the decoded bytes.

mail-parser also serialises every attached mail (message/rfc822) with everything nested in
it, so a mail forwarded as an attachment 50 times took seconds. It reads MAX_MAIL_NESTING
levels here; an attached mail deeper down is handed over as an opaque `.eml` attachment,
which extraction opens as a container (counted against its nesting and container limits).

When a placeholder does not come back as an attachment, the message is parsed the ordinary
way instead, so for ordinary mail the result is exactly `parse_message(raw)`.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email import policy
from email.parser import BytesHeaderParser

from ingest.message import ParsedMail, parse_message

MIN_BYTES = 64 * 1024  # smaller parts go the ordinary way; they cost little
MAX_MAIL_NESTING = 3  # attached mails mail-parser reads inside one another; deeper ones are containers
MAX_DEPTH = 40  # multipart levels walked; parts deeper down stay in the skeleton
MAX_HEADER_BYTES = 256 * 1024  # a larger header block is not walked into
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_NOT_ASCII = re.compile(rb"[\x80-\xff]")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9 ._()\-]{1,120}")


@dataclass(frozen=True)
class Cut:
    """A region of the raw bytes replaced in the skeleton."""

    start: int
    end: int
    headers: bytes  # the part's header lines in the skeleton ("" keeps the original ones)
    payload: bytes  # the bytes the placeholder stands for


@dataclass(frozen=True)
class SetAside:
    skeleton: bytes  # the message with a placeholder for each large part
    payloads: dict[bytes, bytes]  # placeholder -> the part's decoded bytes


def parse_lean(raw: bytes, **options) -> ParsedMail:
    """`parse_message(raw, **options)`, with large parts decoded once and deep attached mails
    handed over whole (see the module)."""
    aside = set_aside(raw)
    if not aside.payloads:
        return parse_message(raw, **options)
    mail = restore(parse_message(aside.skeleton, **options), aside.payloads)
    return mail if mail is not None else parse_message(raw, **options)


def set_aside(raw: bytes) -> SetAside:
    nonce = secrets.token_hex(8)
    view = memoryview(raw)
    pieces: list[bytes | memoryview] = []
    payloads: dict[bytes, bytes] = {}
    last = 0
    for cut in sorted(_cuts(raw, view), key=lambda c: c.start):
        placeholder = f"inbox-set-aside:{nonce}:{len(payloads)}".encode()
        payloads[placeholder] = cut.payload
        pieces += [view[last:cut.start], cut.headers, base64.b64encode(placeholder) + b"\n"]
        last = cut.end
    if not payloads:
        return SetAside(raw, {})
    pieces.append(view[last:])
    return SetAside(b"".join(pieces), payloads)


def restore(mail: ParsedMail, payloads: dict[bytes, bytes]) -> ParsedMail | None:
    """The mail with each placeholder replaced by its bytes; None when one is missing."""
    attachments = tuple(replace(a, payload=payloads[a.payload]) if a.payload in payloads else a for a in mail.attachments)
    if sum(a.payload in payloads for a in mail.attachments) != len(payloads):
        return None
    return replace(mail, attachments=attachments)


def _cuts(raw: bytes, view: memoryview) -> Iterator[Cut]:
    """Every large base64 file part (decoded) and every attached mail nested too deep (as is)."""
    stack = [(0, len(raw), 0, 0)]  # (start, end, multipart depth, attached mails around it)
    while stack:
        start, end, depth, mails = stack.pop()
        found = _HEADER_END.search(raw, start, min(end, start + MAX_HEADER_BYTES))
        if found is None:
            continue
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw[start:found.start() + 1])
        body_start = found.end()
        if headers.get_content_maintype() == "multipart":
            boundary = headers.get_boundary()
            if boundary and boundary.isascii() and depth < MAX_DEPTH:
                stack.extend((s, e, depth + 1, mails) for s, e in _parts(raw, body_start, end, boundary.encode()))
        elif headers.get_content_type() == "message/rfc822" and _encoding(headers) in ("", "7bit", "8bit", "binary"):
            if mails < MAX_MAIL_NESTING:
                stack.append((body_start, end, depth + 1, mails + 1))
            elif start > 0:
                yield Cut(start, end, _opaque_mail_headers(headers), raw[body_start:end])
        elif end - body_start >= MIN_BYTES and _is_base64_file(headers):
            cut = _decoded(view, body_start, end)
            if cut is not None:
                yield cut


def _decoded(view: memoryview, start: int, end: int) -> Cut | None:
    body = view[start:end]
    if _NOT_ASCII.search(body):
        return None  # not base64: the ordinary parse keeps it as sent and notes it
    try:
        return Cut(start, end, b"", binascii.a2b_base64(body))
    except binascii.Error:
        return None


def _opaque_mail_headers(headers) -> bytes:
    """An attached mail nested too deep, as a plain .eml file attachment."""
    name = headers.get_filename() or ""
    name = name if _PLAIN_NAME.fullmatch(name) else "attached-mail"
    name = name if name.lower().endswith(".eml") else f"{name}.eml"
    return (b"Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
            b'Content-Disposition: attachment; filename="' + name.encode() + b'"\n\n')


def _encoding(headers) -> str:
    return str(headers.get("content-transfer-encoding", "")).strip().lower()


def _is_base64_file(headers) -> bool:
    return _encoding(headers) == "base64" and headers.get_content_maintype() not in ("text", "message", "multipart")


def _parts(raw: bytes, start: int, end: int, boundary: bytes) -> Iterator[tuple[int, int]]:
    """The parts between the delimiter lines (RFC 2046 5.1.1); the line break before a
    delimiter belongs to the delimiter."""
    delimiter = re.compile(rb"^--" + re.escape(boundary) + rb"(--)?[ \t]*\r?$", re.M)
    previous = None
    for line in delimiter.finditer(raw, start, end):
        if previous is not None:
            yield previous, max(previous, _before_line_break(raw, line.start()))
        if line.group(1):
            return
        previous = line.end() + 1


def _before_line_break(raw: bytes, position: int) -> int:
    """`position` moved back over the CRLF or LF just before it."""
    if raw[position - 1:position] == b"\n":
        position -= 1
        if raw[position - 1:position] == b"\r":
            position -= 1
    return position
