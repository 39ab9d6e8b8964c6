"""Mail about the strategy that is not an affiliation: questions a person should answer.

A message is listed when it came in during the period, is not an affiliation, a bounce or an
auto-reply (kind "other") and joined no case, no classification rule blocked answering it
(lists, bulk, no-reply senders, our own loop), it is addressed to the board's mailbox (To or
Cc), and its subject or the start of its text mentions the strategy. "Fråga" alone is not
enough: the board's shared mailbox gets questions about everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses

from sqlalchemy import select
from sqlalchemy.orm import Session

from digest.calendar import as_utc
from inbox.context import AppContext
from ingest.store import read_raw
from models import Message

ABOUT_STRATEGY = re.compile(r"jämställd|jamstalld|\bstrategin\b", re.I)
# The body is read only for messages of a sane size, and only its first part.
MAX_RAW_BYTES = 2_000_000
MAX_TEXT_CHARS = 20_000


@dataclass(frozen=True)
class Question:
    sender: str
    subject: str
    received_at: datetime  # UTC
    message_pk: int


def strategy_questions(ctx: AppContext, session: Session, start: datetime, end: datetime) -> list[Question]:
    candidates = session.scalars(
        select(Message).where(Message.kind == "other", Message.case_id.is_(None), Message.received_at >= start,
                              Message.received_at < end).order_by(Message.received_at, Message.id)
    )
    mailbox = ctx.settings.smtp.sender_address.lower()
    return [_question(m) for m in candidates if not _blocked(m) and _about_strategy(ctx, m, mailbox)]


def _blocked(message: Message) -> bool:
    return any(str(reason).startswith("reply blocked") for reason in message.reasons or [])


def _about_strategy(ctx: AppContext, message: Message, mailbox: str) -> bool:
    parsed = _parsed(ctx, message)
    if parsed is None:
        return False  # the raw file is gone (retention) or too large to read here
    headers = [str(value) for value in (*parsed.get_all("to", []), *parsed.get_all("cc", []))]
    recipients = {address.lower() for _, address in getaddresses(headers)}
    if mailbox not in recipients:
        return False
    return bool(ABOUT_STRATEGY.search(message.subject or "") or ABOUT_STRATEGY.search(_first_text(parsed)))


def _parsed(ctx: AppContext, message: Message):
    if message.size and message.size > MAX_RAW_BYTES:
        return None
    try:
        raw = read_raw(ctx.data_dir, message)
    except OSError:
        return None
    # compat32: plain strings, none of the modern header parser's work on hostile headers.
    return BytesParser(policy=policy.compat32).parsebytes(raw)


def _first_text(parsed) -> str:
    part = next((p for p in parsed.walk() if p.get_content_type() in ("text/plain", "text/html")), None)
    if part is None:
        return ""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload[:MAX_TEXT_CHARS * 4].decode(charset, "replace")[:MAX_TEXT_CHARS]
    except LookupError:  # a charset Python does not know
        return payload[:MAX_TEXT_CHARS * 4].decode("utf-8", "replace")[:MAX_TEXT_CHARS]


def _question(message: Message) -> Question:
    return Question(sender=message.sender or "okänd avsändare", subject=message.subject or "(utan ämnesrad)",
                    received_at=as_utc(message.received_at), message_pk=message.id)
