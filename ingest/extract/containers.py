"""Unpack attachments that hold other files: winmail.dat (TNEF), Outlook .msg, an attached
mail (message/rfc822, .eml) and ZIP, so the decision inside them can be read.

Each container is opened at most MAX_DEPTH deep and once (the same bytes twice: once), and
at most MAX_CONTAINERS of them per message however they nest (attached mails, ZIP, TNEF,
.msg); with ingest.large_parts handing attached mails nested more than three deep over as
opaque .eml files, a mail forwarded as an attachment 50 times costs a few small parses, not
50^4 of them. A ZIP is never opened inside a ZIP, and a ZIP only within zip_max_files entries
and zip_max_mb of unpacked bytes, read with a cap so a compression bomb cannot fill memory.
What was skipped is recorded on the Reading.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ingest.extract.limits import Reading
from ingest.large_parts import parse_lean
from ingest.message import MailAttachment, MessageParseError, html_to_text

MAX_DEPTH = 3
MAX_CONTAINERS = 20
TNEF_MAGIC = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Part:
    """A file that may be the decision: an attachment, or a file or mail body unpacked from one."""

    filename: str | None
    payload: bytes
    declared_type: str = "application/octet-stream"
    inline: bool = False  # an inline image with a Content-ID, e.g. a signature logo
    via: str | None = None  # the container it came out of, e.g. "winmail.dat"
    body: bool = False  # the text of an attached mail's body (payload is UTF-8 text)
    in_zip: bool = False

    @classmethod
    def of(cls, att: MailAttachment) -> Part:
        return cls(att.filename, att.payload, att.declared_type, inline=att.is_inline)

    @property
    def name(self) -> str:
        return self.filename or "(unnamed attachment)"


def unpack(attachments: tuple[MailAttachment, ...], reading: Reading) -> list[Part]:
    """Every readable part, containers replaced by their contents; the same bytes only once
    (mail-parser already lists the files of an attached mail beside the mail itself)."""
    seen: set[str] = set()
    out: list[Part] = []
    too_deep: dict[str, str] = {}  # containers met too deep; the same bytes may come up higher later
    for part in _walk([Part.of(att) for att in attachments], reading, 0, too_deep):
        digest = hashlib.sha256(part.payload).hexdigest()
        if digest not in seen:
            seen.add(digest)
            out.append(part)
    for digest, name in too_deep.items():
        if digest not in reading.containers_opened:
            reading.problem(f"{name} is nested more than {MAX_DEPTH} containers deep; not opened")
    return out


def _walk(parts: list[Part], reading: Reading, depth: int, too_deep: dict[str, str]) -> Iterator[Part]:
    for part in parts:
        opener = _opener(part)
        if opener is None:
            yield part
        elif _may_open(part, reading, depth, too_deep):
            try:
                inner = list(opener(part, reading))
            except Exception as err:  # a broken container must not stop the message; the parts are lost, say so
                reading.notes.append(f"{part.name} could not be unpacked: {type(err).__name__}: {err}")
                yield part
                continue
            reading.notes.append(f"{part.name}: unpacked {len(inner)} part(s)")
            yield from _walk(inner, reading, depth + 1, too_deep)


def _may_open(part: Part, reading: Reading, depth: int, too_deep: dict[str, str]) -> bool:
    """Within the limits, and not opened before (mail-parser lists an attached mail's attached
    mails beside it as well); a limit that stops it is recorded."""
    digest = hashlib.sha256(part.payload).hexdigest()
    if digest in reading.containers_opened:
        return False
    if len(part.payload) > reading.limits.max_attachment_bytes:
        reading.problem(f"{part.name} is {_mb(part.payload)} MB, over the {reading.limits.max_attachment_mb:g} MB limit; not opened")
    elif depth >= MAX_DEPTH:
        too_deep.setdefault(digest, part.name)
    elif len(reading.containers_opened) >= MAX_CONTAINERS:
        reading.problem(f"the message holds more than {MAX_CONTAINERS} containers (attached mails, ZIP, winmail.dat); "
                        "the rest were not opened")
    else:
        reading.containers_opened.add(digest)
        return True
    return False


def _opener(part: Part):
    name = (part.filename or "").lower()
    kind = part.declared_type
    if part.payload.startswith(TNEF_MAGIC) or kind in ("application/ms-tnef", "application/vnd.ms-tnef"):
        return _tnef
    if part.payload.startswith(OLE_MAGIC) and (name.endswith(".msg") or kind == "application/vnd.ms-outlook"):
        return _msg
    if not part.body and (kind == "message/rfc822" or name.endswith(".eml")):
        return _mail
    if part.payload.startswith(b"PK\x03\x04") and _is_plain_zip(part.payload):
        return _zip
    return None


def _tnef(part: Part, reading: Reading) -> Iterator[Part]:
    from tnefparse import TNEF

    tnef = TNEF(part.payload, do_checksum=False)
    for att in tnef.attachments:
        yield Part(_tnef_name(att), att.data, via=part.name)
    text = tnef.body or (html_to_text(_text(tnef.htmlbody)) if tnef.htmlbody else "")
    if text:
        yield _body(_text(text), part.name)


def _tnef_name(att) -> str | None:
    """The long file name; tnefparse decodes names as UTF-8, Outlook writes them in cp1252."""
    try:
        return att.long_filename() or None
    except UnicodeDecodeError:
        raw = att._name if isinstance(att._name, bytes) else b""  # noqa: SLF001 - only way to the raw name
        return raw.decode("cp1252", "replace").strip("\x00") or None


def _msg(part: Part, reading: Reading) -> Iterator[Part]:
    import extract_msg

    message = extract_msg.openMsg(part.payload)
    try:
        yield from _msg_parts(message, part.name)
    finally:
        message.close()


def _msg_parts(message, via: str) -> Iterator[Part]:
    if message.body:
        yield _body(message.body, via)
    for att in message.attachments:
        name = getattr(att, "longFilename", None) or getattr(att, "name", None)
        if isinstance(att.data, bytes):
            yield Part(name, att.data, getattr(att, "mimetype", None) or "application/octet-stream", via=via)
        elif hasattr(att.data, "attachments"):  # an embedded Outlook item (a forwarded mail)
            yield from _msg_parts(att.data, name or via)


def _mail(part: Part, reading: Reading) -> Iterator[Part]:
    try:
        inner = parse_lean(part.payload)
    except MessageParseError as err:
        raise ValueError(f"not a mail: {err}") from err
    if inner.text.strip():
        yield _body(inner.text, inner.subject or part.name)
    for att in inner.attachments:
        yield replace(Part.of(att), via=inner.subject or part.name)


def _is_plain_zip(payload: bytes) -> bool:
    """A ZIP archive, not a DOCX or ODT (which are ZIPs too, read as documents)."""
    from ingest.extract.documents import sniff_type

    return sniff_type(payload, None) == "application/zip"


def _zip(part: Part, reading: Reading) -> Iterator[Part]:
    limits = reading.limits
    if part.in_zip:
        reading.problem(f"{part.name} is a ZIP inside a ZIP; not opened")
        return
    with zipfile.ZipFile(io.BytesIO(part.payload)) as archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        if len(entries) > limits.zip_max_files:
            reading.problem(f"{part.name} holds {len(entries)} files, over the limit of {limits.zip_max_files}; not opened")
            return
        budget = limits.zip_max_bytes
        for entry in entries:
            if entry.flag_bits & 0x1:
                reading.problem(f"{part.name}: {entry.filename} is encrypted; not read")
                continue
            with archive.open(entry) as stream:
                data = stream.read(budget + 1)  # never trust the declared size: read with a cap
            if len(data) > budget:
                reading.problem(f"{part.name} unpacks to more than {limits.zip_max_mb:g} MB; the rest is not read")
                return
            budget -= len(data)
            yield Part(entry.filename.rsplit("/", 1)[-1], data, via=part.name, in_zip=True)


def _body(text: str, via: str) -> Part:
    return Part(f"{via} (mail text)", text.encode("utf-8"), "text/plain", via=via, body=True)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _mb(payload: bytes) -> str:
    return f"{len(payload) / 1024 / 1024:.1f}"
