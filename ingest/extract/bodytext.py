"""The mail text as extraction reads it: links unwrapped, flowed lines joined, own text apart from quotes."""

from __future__ import annotations

import re

MAILTO = re.compile(r"<mailto:[^>\s]+>")
# Where a quoted or forwarded message starts: Outlook's rule + "Från:", "-----Original Message-----",
# Gmail's "---------- Forwarded message ---------", "Den ... skrev ...:", and "> " quoting.
QUOTE_START = re.compile(
    r"^(?:_{10,}\s*$|-{3,}\s*(?:original message|ursprungligt meddelande|forwarded message|vidarebefordrat meddelande)"
    r"|(?:den|on)\s.{5,120}(?:skrev|wrote)[^\n]*:\s*$|>)", re.I | re.M)
HEADER_FROM = re.compile(r"^(?:från|from)\s*:\s*(.+)$", re.I | re.M)


def clean(text: str) -> str:
    """Drop Outlook's '<mailto:...>' echoes and join format=flowed soft breaks (a line ending in a
    space), so "Föreningen Trygga Hem Västmanland" is not cut in two at a line end."""
    text = MAILTO.sub("", (text or "").replace("\r\n", "\n"))
    lines, out = text.split("\n"), []
    for line in lines:
        if out and out[-1].endswith(" ") and out[-1].strip() not in ("--", "") and line.strip():
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return "\n".join(line.rstrip() for line in out)


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
