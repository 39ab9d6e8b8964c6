"""Header and body encodings as real clients write them: RFC 2047 words, RFC 2231 parameters,
quoted-printable, base64, 8-bit, format=flowed, and RFC 5322 dates."""

from __future__ import annotations

import base64
import quopri
import re
import textwrap
from datetime import UTC, datetime, timedelta
from urllib.parse import quote


def rfc2822_date(moment: datetime) -> str:
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    offset = moment.utcoffset() or timedelta(0)
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return (f"{days[moment.weekday()]}, {moment.day} {months[moment.month - 1]} {moment.year} "
            f"{moment:%H:%M:%S} {sign}{minutes // 60:02d}{minutes % 60:02d}")


def gmt(moment: datetime) -> str:
    return rfc2822_date(moment.astimezone(UTC)).replace("+0000", "GMT")


# ----- RFC 2047 / RFC 2231


def _words(pieces: list[str], head: str, limit: int = 75) -> str:
    words, current = [], ""
    for piece in pieces:
        if current and len(head) + len(current) + len(piece) + 2 > limit:
            words.append(current)
            current = ""
        current += piece
    words.append(current)
    return "\n ".join(f"{head}{w}?=" for w in words)


def enc_q(text: str, charset: str = "utf-8", lower_hex: bool = False) -> str:
    """RFC 2047 Q-encoded words (phrase-safe), split to stay under 76 characters."""
    fmt = "={:02x}" if lower_hex else "={:02X}"
    pieces = []
    for ch in text:
        if ch == " ":
            pieces.append("_")
        elif ch.isascii() and (ch.isalnum() or ch in "!*+-/"):
            pieces.append(ch)
        else:
            pieces.append("".join(fmt.format(b) for b in ch.encode(charset)))
    return _words(pieces, f"=?{charset}?Q?")


def enc_b(text: str, charset: str = "utf-8") -> str:
    """RFC 2047 B-encoded words, split on character boundaries."""
    words, current = [], ""
    head = f"=?{charset}?B?"
    for ch in text:
        trial = current + ch
        if len(head) + len(base64.b64encode(trial.encode(charset))) + 2 > 75:
            words.append(current)
            trial = ch
        current = trial
    words.append(current)
    return "\n ".join(f"{head}{base64.b64encode(w.encode(charset)).decode()}?=" for w in words)


def enc_auto(text: str, how: str) -> str:
    """Encode only when needed. how: q, qlow (Thunderbird's lower-case hex), q1 (iso-8859-1), b, raw."""
    if text.isascii() or how == "raw":
        return text
    return {
        "q": lambda: enc_q(text),
        "qlow": lambda: enc_q(text, "UTF-8", lower_hex=True),
        "Q": lambda: enc_q(text, "UTF-8"),
        "q1": lambda: enc_q(text, "iso-8859-1"),
        "b": lambda: enc_b(text),
    }[how]()


def single_q(text: str, charset: str) -> str:
    """One long Q-encoded word, as Gmail, Apple Mail and Outlook for Mac write filenames inside quotes."""
    return enc_q(text, charset).replace("?=\n =?" + charset + "?Q?", "")


def apple_subject(text: str) -> str:
    """iPhone Mail encodes only the words that need it: 'Anslutning till =?utf-8?Q?j=C3=A4...?='."""
    plain, _, rest = text.partition(" till ")
    return f"{plain} till {enc_q(rest)}" if rest else enc_q(text)


def addr(name: str | None, email: str, how: str = "raw") -> str:
    if not name:
        return f"<{email}>"
    if name.isascii():
        shown = f'"{name}"' if re.search(r'[,.;:"()]', name) else name
    elif how == "raw":
        shown = name
    else:
        shown = enc_auto(name, how)
    return f"{shown} <{email}>"


def rfc2231(text: str) -> str:
    return "utf-8''" + quote(text, safe="")


def rfc2231_continued(param: str, text: str, width: int = 40) -> str:
    """Thunderbird's continuations: filename*0*=UTF-8''...; filename*1*=... (never splitting a %XX)."""
    units = [quote(ch, safe="") for ch in text]
    chunks, current = [], ""
    for unit in units:
        if len(current) + len(unit) > width:
            chunks.append(current)
            current = ""
        current += unit
    chunks.append(current)
    parts = [f"{param}*{i}*={'UTF-8' + chr(39) * 2 if i == 0 else ''}{chunk}" for i, chunk in enumerate(chunks)]
    return ";\n ".join(parts)


# ----- bodies


def qp(text: str, charset: str) -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def raw8(text: str, charset: str) -> str:
    """8-bit body: the encoded bytes carried through the email package as surrogates."""
    return text.encode(charset).decode("ascii", "surrogateescape")


def flowed(text: str, width: int = 72) -> str:
    """format=flowed (RFC 3676): soft breaks end in a space."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width or line.startswith(">"):
            out.append(line)
            continue
        wrapped = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)
        out.extend(w + " " for w in wrapped[:-1])
        out.append(wrapped[-1])
    return "\n".join(out)
