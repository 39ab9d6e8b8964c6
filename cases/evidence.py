"""Where a case's decision came from: the document, the passage around each value, the confidence.

A person checking an extracted value wants the words it was read from beside it. Text layers
(PDF text, DOCX, ODT) and the mail's own text are read again here, within the [extract] limits;
a scan read by OCR is not read again (it takes seconds to minutes): the page shows the scan
itself beside the values. Everything read here came from mail and stays text: never markup.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from cases.documents import content_type, head, shown_as, stored_file
from inbox.context import AppContext
from inbox.errors import InboxError
from ingest.extract.containers import Part
from ingest.extract.documents import DocumentText, read_text
from ingest.extract.fields import DATE_FORMS, dates_in
from ingest.extract.limits import DocumentLimits, Reading
from ingest.large_parts import parse_lean
from ingest.message import MessageParseError
from ingest.store import read_raw
from models import Case, Decision, Message

log = logging.getLogger(__name__)
DECISION_FIELDS = ("decided_by", "date", "paragraph", "case_number")
TEXT_LAYERS = ("pdf_text", "docx", "odt")
DECISION_NOTES = ("decision_document", "decision_fields", "decision_in_body", "configured_patterns")
STAFF = "staff"  # Decision.text_source of a row a person wrote (cases/staff.correct_decision)
AROUND = 120  # characters of context on each side of a value, within its line
MAX_TEXT = 20_000  # characters of a message's text shown in the history


@dataclass(frozen=True)
class Passage:
    before: str
    found: str
    after: str


@dataclass(frozen=True)
class FieldView:
    key: str  # "decision.date"
    value: str | None
    confidence: float | None  # as extraction judged it; None when it found nothing
    corrected: bool  # a person set this value
    passage: Passage | None


@dataclass(frozen=True)
class DocumentView:
    attachment_id: int
    filename: str | None
    content_type: str  # sniffed from the stored bytes now
    size: int

    @property
    def shown_as(self) -> str | None:
        return shown_as(self.content_type)


@dataclass(frozen=True)
class DecisionView:
    decision: Decision
    fields: list[FieldView]
    document: DocumentView | None
    message: Message | None  # the message the decision was read from
    notes: list[str]  # extraction's own notes on how it found the decision
    text_state: str  # "read", "ocr" (not read again), "staff" (typed by a person), "unread" (no text to show)


@dataclass
class MessageTexts:
    """The text bodies of a page's messages, each parsed once per request."""

    ctx: AppContext
    cache: dict[int, str | None] = field(default_factory=dict)

    def of(self, message: Message) -> str | None:
        if message.id not in self.cache:
            self.cache[message.id] = _text_body(self.ctx, message)
        return self.cache[message.id]


def _text_body(ctx: AppContext, message: Message) -> str | None:
    """The message's plain text (or text made from its HTML): never the HTML itself. None when the
    raw file is gone (erased, past retention) or is no message."""
    try:
        mail = parse_lean(read_raw(ctx.data_dir, message), authserv_ids=ctx.settings.service.authserv_ids)
    except (OSError, MessageParseError) as err:
        log.info("message %s has no readable text: %s", message.id, type(err).__name__)
        return None
    return mail.text


def shown_text(text: str | None) -> tuple[str | None, bool]:
    """At most MAX_TEXT characters of a text for the page, and whether it was cut."""
    if text is None or len(text) <= MAX_TEXT:
        return text, False
    return text[:MAX_TEXT], True


def decision_view(ctx: AppContext, session: Session, case: Case, texts: MessageTexts) -> DecisionView:
    decision = case.decision
    assert decision is not None  # the caller shows this only for a case with a decision
    read_from = _read_from(case)
    message = session.get(Message, read_from.from_message_pk) if read_from and read_from.from_message_pk else None
    extraction = (message.extraction or {}) if message is not None else {}
    scores = extraction.get("confidence", {})
    text, state = _source_text(ctx, session, read_from, message, texts) if read_from else (None, "staff")
    fields = []
    for name in DECISION_FIELDS:
        key = f"decision.{name}"
        value = decision.decision_date if name == "date" else getattr(decision, name)
        # A person's row: the fields they set (or that differ from the mail's) are theirs; the rest came from mail.
        corrected = decision.text_source == STAFF and (key in (case.overrides or {}) or value != _value(read_from, name))
        fields.append(FieldView(key, _shown(value), 1.0 if corrected else scores.get(key), corrected,
                                find_passage(text, value) if text and value and not corrected else None))
    notes = [note for note in extraction.get("notes", []) if note.startswith(DECISION_NOTES)]
    return DecisionView(decision, fields, document_view(ctx, session, decision.attachment_id), message, notes, state)


def _read_from(case: Case) -> Decision | None:
    """The newest decision read from mail: a person's correction keeps the document and the message of the one it corrects."""
    return next((d for d in reversed(case.decisions) if d.text_source != STAFF), None)


def _value(decision: Decision | None, name: str) -> object:
    if decision is None:
        return None
    return decision.decision_date if name == "date" else getattr(decision, name)


def _shown(value: object) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value else None)


def _source_text(ctx: AppContext, session: Session, decision: Decision, message: Message | None,
                 texts: MessageTexts) -> tuple[str | None, str]:
    """The text the decision was read from, and "read"; else None and why not ("ocr", "unread")."""
    source = decision.text_source
    if source == "ocr":
        return None, "ocr"
    if source == "body" and message is not None:
        text = texts.of(message)
        return text, "read" if text else "unread"
    if decision.attachment_id is None:
        return None, "unread"
    try:
        stored = stored_file(ctx, session, decision.attachment_id)
    except InboxError:
        return None, "unread"
    document = read_text(Part(stored.attachment.filename, stored.path.read_bytes()),
                         Reading(DocumentLimits.from_settings(ctx.settings.extract)))
    if isinstance(document, DocumentText):
        return document.text, "read"
    return None, "ocr" if document is not None else "unread"


def document_view(ctx: AppContext, session: Session, attachment_id: int | None) -> DocumentView | None:
    if attachment_id is None:
        return None
    try:
        stored = stored_file(ctx, session, attachment_id)
    except InboxError:
        return None
    row = stored.attachment
    return DocumentView(row.id, row.filename, content_type(head(stored.path)), row.size)


def find_passage(text: str, value: object) -> Passage | None:
    """The value where the text says it, with up to AROUND characters of its line on each side."""
    span = _date_span(text, value) if isinstance(value, date) else _words_span(text, str(value))
    if span is None:
        return None
    start, end = span
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return Passage(text[max(line_start, start - AROUND):start], text[start:end], text[end:min(line_end, end + AROUND)])


def _words_span(text: str, value: str) -> tuple[int, int] | None:
    words = value.split()
    if not words:
        return None
    found = re.search(r"\s*".join(re.escape(word) for word in words), text, re.IGNORECASE)
    return found.span() if found else None


def _date_span(text: str, value: date) -> tuple[int, int] | None:
    """Dates are written many ways ("2024-03-12", "12 mars 2024"): the first place one of them says this date."""
    spans = [m.span() for pattern, _ in DATE_FORMS for m in pattern.finditer(text)
             if any(found == value for _, found in dates_in(m.group(0)))]
    return min(spans) if spans else None
