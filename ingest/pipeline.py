"""The steps one stored message walks through, in order, inside one transaction.

store attachments -> classify -> extract -> apply to case -> plan replies.
Each handler reads and fills the typed `Work` object; none of them commits,
sends or catches: `ingest.process` decides what a failure means.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from cases.apply import CaseChange, apply_extraction
from cases.bounces import match_bounce, our_reply_in
from cases.match import find_conversation_case
from cases.reference import token_key
from inbox.context import AppContext
from ingest.classify import Verdict, classify, subject_patterns_for
from ingest.extract import extract_configured, known_organisations_for
from ingest.extract.documents import sniff_type
from ingest.extract.result import Extraction
from ingest.large_parts import parse_lean
from ingest.message import MailAttachment, ParsedMail
from ingest.store import read_raw, write_content_addressed
from models import Attachment, Event, Message
from replies.compose import LOOP_HEADER
from replies.plan import plan_replies


@dataclass
class Work:
    ctx: AppContext
    session: Session
    message: Message
    raw: bytes = b""  # read once by parse; the bounce handlers search it for our own headers and IDs; then forgotten
    _mail: ParsedMail | None = field(default=None, repr=False)
    stored_attachments: list[tuple[MailAttachment, Attachment]] = field(default_factory=list)
    _verdict: Verdict | None = field(default=None, repr=False)
    extraction: Extraction | None = None  # None: not an affiliation
    change: CaseChange | None = None  # None: no case was touched

    # `mail` and `verdict` are set by an early handler (parse, classify_message) and read by
    # every later one: reading them before that is a bug in the order of HANDLERS.
    @property
    def mail(self) -> ParsedMail:
        assert self._mail is not None, "parse runs before any handler reads the mail"
        return self._mail

    @mail.setter
    def mail(self, mail: ParsedMail) -> None:
        self._mail = mail

    @property
    def verdict(self) -> Verdict:
        assert self._verdict is not None, "classify_message runs before any handler reads the verdict"
        return self._verdict

    @verdict.setter
    def verdict(self, verdict: Verdict) -> None:
        self._verdict = verdict


def parse(work: Work) -> None:
    work.raw = read_raw(work.ctx.data_dir, work.message)
    work.mail = parse_lean(work.raw, authserv_ids=work.ctx.settings.service.authserv_ids)  # large parts decoded once
    work.message.subject = work.mail.subject
    work.message.sender = work.mail.sender
    work.message.message_id = work.message.message_id or work.mail.message_id
    work.message.auth = work.mail.auth.as_json()


def note_mail_defects(work: Work) -> None:
    """What was wrong with the mail itself (a part that is not the base64 it claims) is kept, not fatal."""
    for note in work.mail.notes:
        work.session.add(Event(at=work.ctx.clock(), action="mail_defect", message_pk=work.message.id, detail=note))


def store_attachments(work: Work) -> None:
    data_dir = work.ctx.data_dir
    existing = {a.sha256 for a in work.message.attachments}
    for part in work.mail.attachments:
        digest, path = write_content_addressed(data_dir, "attachments", part.payload, "")
        if digest in existing:
            continue  # a replay of a message stores its attachments once
        row = Attachment(
            message=work.message, filename=part.filename, declared_type=part.declared_type,
            sniffed_type=sniff_type(part.payload, part.filename), size=len(part.payload), sha256=digest,
            path=str(path.relative_to(data_dir)), content_id=part.content_id, is_inline=part.is_inline,
        )
        work.session.add(row)
        work.stored_attachments.append((part, row))
    work.session.flush()


def classify_message(work: Work) -> None:
    work.verdict = classify(work.mail, rules=work.ctx.settings.classify.rules, subject_patterns=subject_patterns_for(work.ctx))
    work.message.kind = work.verdict.kind
    work.message.reasons = list(work.verdict.reasons) + [f"reply blocked: {b}" for b in work.verdict.reply_blockers]


def extract_fields(work: Work) -> None:
    if work.verdict.kind != "affiliation":
        return
    work.extraction = extract_configured(work.mail, work.ctx.settings, known_organisations_for(work.ctx))
    work.message.extraction = work.extraction.model_dump(mode="json")


def forget_raw(work: Work) -> None:
    """No handler after this reads the raw bytes: a 30 MB message is not held while its
    attachments are read (the decoded attachments are, once)."""
    work.raw = b""


def recognise_follow_up(work: Work) -> None:
    """Mail that answers one of our cases ("Här kommer beslutet") is read like an affiliation;
    an auto-reply to one of ours is only kept in the case's history."""
    if work.verdict.kind not in ("other", "auto_reply"):
        return
    settings = work.ctx.settings.service
    case = find_conversation_case(work.session, work.mail, settings.case_prefix, token_key(work.ctx.data_dir))
    if case is not None and work.verdict.kind == "auto_reply":
        if work.message.case_id == case.id:
            return  # read again by `inbox reprocess`: already in the history
        work.message.case_id = case.id
        work.session.add(Event(at=work.ctx.clock(), action="auto_reply_received", case_id=case.id, message_pk=work.message.id, detail=work.mail.subject))
    elif case is not None:
        reasons = (*work.verdict.reasons, f"follow_up: answers case {case.reference}")
        work.verdict = Verdict("affiliation", reasons, work.verdict.reply_blockers)
        work.message.kind, work.message.reasons = "affiliation", [*(work.message.reasons or []), reasons[-1]]


def recognise_returned_copy(work: Work) -> None:
    """Mail no rule took for a bounce but that carries a copy of our reply *with its headers*
    (our loop header) is a bounce: a person quotes text, a mail system returns the message.
    Its quoted text can even read like an affiliation; answering it could start a loop, so
    it goes to a person (needs_review) instead. A person forwarding our mail as an attachment
    lands there too, which is the safe side."""
    if work.verdict.kind in ("bounce", "auto_reply"):
        return
    if f"{LOOP_HEADER}: {work.ctx.settings.service.loop_token}".encode() not in work.raw:
        return
    ours = our_reply_in(work.session, work.raw)
    if ours is not None:
        why = f"returned_copy: carries a copy of our {ours.template} with its headers"
        work.verdict = Verdict("bounce", (*work.verdict.reasons, why), (*work.verdict.reply_blockers, "a returned copy of our own mail"))
        work.message.kind, work.message.reasons = "bounce", [*(work.message.reasons or []), why]


def match_bounce_of_ours(work: Work) -> None:
    """A bounce is never answered, but one of *our* replies bouncing is news for the case."""
    if work.verdict.kind == "bounce":
        returned_copy = any(r.startswith("returned_copy") for r in work.verdict.reasons)
        match_bounce(work.ctx, work.session, work.message, work.raw, flag_addresses=not returned_copy)


def apply_to_case(work: Work) -> None:
    if work.extraction is None:
        work.session.add(Event(action="not_an_affiliation", message_pk=work.message.id, detail=work.verdict.kind))
        return
    work.change = apply_extraction(work.ctx, work.session, work.message, work.mail, work.extraction, work.stored_attachments)


def enqueue_replies(work: Work) -> None:
    if work.change is not None:
        plan_replies(work.ctx, work.session, work.message, work.mail, work.verdict, work.change)


HANDLERS: tuple[Callable[[Work], None], ...] = (
    parse, note_mail_defects, store_attachments, classify_message, recognise_returned_copy, match_bounce_of_ours,
    forget_raw, recognise_follow_up, extract_fields, apply_to_case, enqueue_replies,
)


def run_pipeline(work: Work) -> None:
    for handler in HANDLERS:
        handler(work)
