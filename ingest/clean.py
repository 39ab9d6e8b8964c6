"""Text taken from mail, made safe to store and to show.

PostgreSQL refuses a NUL in a text value ("A string literal cannot contain NUL") and a
lone surrogate cannot be encoded as UTF-8, so one such character in a filename would
quarantine a whole message. One-line values (subject, names, filenames, header values)
also lose line breaks and other control characters: decoded RFC 2047 words may carry
CR/LF, and a value that breaks a line can forge a header or a table row wherever it is
shown or copied into a reply.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls other than NUL (NUL is removed, not replaced), DEL, NEL and the Unicode line
# and paragraph separators: everything that can end a line somewhere.
_LINE_BREAKING = re.compile("[\x01-\x1f\x7f\x85\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates: they make "gpj.exe" read as "exe.jpg".
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """A body (plain text or HTML): NUL removed, lone surrogates replaced; line breaks kept."""
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def clean_line(text: str) -> str:
    """A one-line value: as clean_text, and every line-breaking or control character becomes a space."""
    return _BIDI_CONTROL.sub("", _LINE_BREAKING.sub(" ", clean_text(text)))


def clean_optional(text: str | None) -> str | None:
    """clean_line for a value that may be missing; an empty result is None."""
    return (clean_line(text).strip() or None) if text else None
