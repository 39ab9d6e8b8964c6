"""Which attachment is the decision: chosen by what it says, never by where it is.

A protocol extract says "protokoll", "justerat", "sammanträde", "§ 45", "beslut"; a brochure
about the strategy only says "jämställdhet" and "anslut". Text layers are read first; scans
are OCR'd only when no text document already reads clearly as the decision, because OCR
costs seconds per page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.extract.containers import Part, unpack
from ingest.extract.documents import NEEDS_OCR, DocumentText, is_document, looks_like_page, read_by_ocr, read_text, sniff_type
from ingest.extract.limits import Reading
from ingest.extract.result import TextSource
from ingest.message import MailAttachment

PROTOCOL = re.compile(r"protokoll|justera|sammanträde|paragraf|protocol", re.I)
PARAGRAPH = re.compile(r"§\s*\d")
DECIDES = re.compile(r"\bbeslut|\bbeslöt|\bbesluta", re.I)
TOPIC = re.compile(r"anslut|jämställdhet", re.I)
FILENAME_HINT = re.compile(r"protokoll|utdrag|beslut|§|justera", re.I)
STRATEGY = re.compile(r"jämställdhetsstrategi|strategi\w*\s+för\s+jämställdhet", re.I)
CLEAR_DECISION = 12  # a score this high needs no OCR of the other attachments to compare


@dataclass(frozen=True)
class Choice:
    filename: str | None
    text: str  # "" when the decision file could not be read
    text_source: TextSource | None  # None when it could not be read (over a limit, no OCR)
    score: int
    via: str | None = None  # the container it came from


def score(text: str, filename: str | None = None) -> int:
    """How much a text reads like a protocol extract; each kind of evidence counts at most 3 times."""
    def hits(pattern: re.Pattern[str]) -> int:
        return min(len(pattern.findall(text)), 3)

    bonus = 2 if FILENAME_HINT.search(filename or "") else 0
    return 3 * hits(PROTOCOL) + 3 * hits(PARAGRAPH) + 2 * hits(DECIDES) + hits(TOPIC) + bonus


def reads_as_decision(text: str, mail_text: bool = False) -> bool:
    """A protocol, or a decision on the affiliation; the text of an attached mail must quote a
    protocol paragraph, since a covering note that only mentions "protokollet" is no decision."""
    protocol, paragraph = PROTOCOL.search(text), PARAGRAPH.search(text)
    if mail_text:
        return bool(protocol and paragraph)
    # A "§ 5" alone is not enough: OCR of a photo produces one now and then.
    evidence = [bool(paragraph), bool(DECIDES.search(text)), bool(TOPIC.search(text))]
    return bool(protocol) or sum(evidence) >= 2


def affiliation_paragraph(text: str) -> bool:
    """The pages that decide the affiliation: the strategy named, "anslut", a decision and a §
    together. A long protocol is read no further than the page after them (documents.read_text)."""
    return bool(STRATEGY.search(text) and re.search(r"anslut", text, re.I) and DECIDES.search(text) and PARAGRAPH.search(text))


def choose_decision(attachments: Iterable[MailAttachment], reading: Reading) -> Choice | None:
    """The decision among every attachment and what they contain; None when there is none.
    A likely decision that could not be read (a limit) is still returned, with no text."""
    found: list[Choice] = []
    scans: list[Part] = []
    for part in unpack(tuple(attachments), reading):
        if _too_big(part, reading):
            continue
        read = read_text(part, reading, enough=affiliation_paragraph)
        if read is NEEDS_OCR or (isinstance(read, DocumentText) and read.scanned_pages and not reads_as_decision(read.text)):
            scans.append(part)
        elif isinstance(read, DocumentText):
            found += _candidate(part, read)
    best = _best(found)
    if scans and (best is None or best.score < CLEAR_DECISION):
        best = _best(found + _ocr(scans, reading))
    if best is None and reading.unread:
        return Choice(reading.unread[0], "", None, 0)
    return best


def _candidate(part: Part, doc: DocumentText) -> list[Choice]:
    if not reads_as_decision(doc.text, mail_text=part.body):
        return []
    filename = part.via if part.body else part.filename
    return [Choice(filename, doc.text, doc.text_source, score(doc.text, part.filename), part.via)]


def _best(found: list[Choice]) -> Choice | None:
    return max(found, key=lambda c: c.score, default=None)  # ties: the first listed


def _too_big(part: Part, reading: Reading) -> bool:
    limit = reading.limits
    if len(part.payload) <= limit.max_attachment_bytes:
        return False
    size = len(part.payload) / 1024 / 1024
    reading.problem(f"{part.name} is {size:.1f} MB, over the {limit.max_attachment_mb:g} MB limit; not read")
    kind = sniff_type(part.payload, part.filename)
    if is_document(kind) and (not kind.startswith("image/") or looks_like_page(part.payload, part.inline)):
        reading.unread.append(part.name)
    return True


def _ocr(scans: list[Part], reading: Reading) -> list[Choice]:
    """OCR the scans, the likeliest first (a telling file name, then the biggest), until one
    reads clearly as the decision or the time budget is spent."""
    if not reading.limits.ocr:
        for part in scans:
            reading.problem(f"{part.name} is a scan and OCR is turned off ([extract] ocr = false); not read")
            reading.unread.append(part.name)
        return []
    found: list[Choice] = []
    ordered = sorted(scans, key=lambda p: (bool(FILENAME_HINT.search(p.name)), len(p.payload)), reverse=True)
    for part in ordered:
        doc = read_by_ocr(part, reading)
        if doc is None:
            continue
        found += _candidate(part, doc)
        if found and found[-1].score >= CLEAR_DECISION:
            break
    return found
