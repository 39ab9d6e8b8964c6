"""The mail text as extraction reads it: links unwrapped, flowed lines joined, own text apart from quotes."""

from __future__ import annotations

import re

from ingest.extract.limits import wrap_long_lines

# "[^<>\s]": a run of "<mailto:" without a closing ">" must not make the search quadratic.
MAILTO = re.compile(r"<mailto:[^<>\s]+>")
# Where a quoted or forwarded message starts: Outlook's rule + "Från:", "-----Original Message-----",
# Gmail's "---------- Forwarded message ---------", "Den ... skrev ...:", and "> " quoting.
QUOTE_START = re.compile(
    r"^(?:_{10,}\s*$|-{3,}\s*(?:original message|ursprungligt meddelande|forwarded message|vidarebefordrat meddelande)"
    r"|(?:den|on)\s.{5,120}(?:skrev|wrote)[^\n]*:\s*$|>)", re.I | re.M)
HEADER_FROM = re.compile(r"^(?:från|from)\s*:\s*(.+)$", re.I | re.M)


def clean(text: str) -> str:
    """Drop Outlook's '<mailto:...>' echoes and join format=flowed soft breaks (a line ending in a
    space), so "Föreningen Trygga Hem Västmanland" is not cut in two at a line end. Lines are
    joined as lists (2 MB of flowed lines once took seconds of string copying), and a line
    longer than MAX_LINE_CHARS is wrapped before any pattern reads it."""
    text = MAILTO.sub("", (text or "").replace("\r\n", "\n"))
    paragraphs: list[list[str]] = []
    for line in text.split("\n"):
        if paragraphs and _continues(paragraphs[-1]) and line.strip():
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return wrap_long_lines("\n".join("".join(pieces).rstrip() for pieces in paragraphs))


def _continues(pieces: list[str]) -> bool:
    """A flowed line goes on: it ends in a space and is not a signature separator or blank."""
    return pieces[-1].endswith(" ") and (len(pieces) > 1 or pieces[0].strip() not in ("--", ""))


def split_quote(text: str) -> tuple[str, str]:
    """(the sender's own text, everything quoted or forwarded below it)."""
    m = QUOTE_START.search(text)
    return (text[:m.start()], text[m.start():]) if m else (text, "")


def without_board_quotes(quoted: str, is_board_address) -> str:
    """Quoted sections written by the board itself (its invitation, its staff's signatures) are dropped:
    they name the board's people, never the applicant's contact."""
    sections = re.split(r"(?=^(?:från|from)\s*:|^(?:den|on)\s.{5,120}(?:skrev|wrote)[^\n]*:\s*$)", quoted,
                        flags=re.I | re.M)
    kept = []
    for section in sections:
        head = section[:300]
        addresses = re.findall(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", head.split("\n\n")[0])
        if addresses and is_board_address(addresses[0]):
            continue
        kept.append(section)
    return "\n".join(line.lstrip("> ").rstrip() if line.startswith(">") else line
                     for line in "".join(kept).split("\n"))
