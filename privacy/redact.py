"""No contact details in the log: a filter that masks e-mail addresses and phone numbers.

Installed on the root logger's handlers by the CLI, so it covers every logger (ours and the
libraries'). Records at INFO and above are masked; DEBUG records and `inbox --verbose-personal`
show everything, for a person debugging one message. The domain of an address is kept
("***@koping.se"): it says which organisation or mail system is involved, not who.

Both patterns run in linear time: log lines can hold attacker-controlled text (a subject, an
exception message quoting a header), and a regex that backtracks on an 80,000-character line
would hang the worker in its own logging.
"""

from __future__ import annotations

import logging
import re

_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
# Starts only where a run of local-part characters starts (the lookbehind), and takes the run
# possessively, so each character is read once from one start: linear, even without an "@".
EMAIL = re.compile(rf"(?<!{_LOCAL}){_LOCAL}++@((?:[\w-]+\.)+[\w-]+)")
# A number that starts with + or 0, then 6 to 14 more digits, each after at most two separators
# (space, hyphen, parentheses): "+46 70-123 45 67", "021-39 00 00", "0771-670 670", "0046 8 123 456".
# Not preceded by a word character, "+", "-", "." or ":" (so not the tail of a date, a version
# or a case reference like JS-2026-0001); not followed by a word character.
PHONE = re.compile(r"(?<![\w+./:-])(?:\+|0)(?:[ ()-]{0,2}\d){6,14}(?!\w)")
PHONE_MASK = "[telefon]"


def mask(text: str) -> str:
    if "@" in text:
        text = EMAIL.sub(lambda m: f"***@{m.group(1)}", text)
    return PHONE.sub(PHONE_MASK, text)


class RedactFilter(logging.Filter):
    """Rewrites a record's message, exception text and stack so handlers never see contact details."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # arguments that do not fit the format
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def install_redaction(*, reveal: bool = False, logger: logging.Logger | None = None) -> None:
    """Put one RedactFilter on each handler of `logger` (root); `reveal` takes them off."""
    for handler in (logger or logging.getLogger()).handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactFilter)]:
            handler.removeFilter(old)
        if not reveal:
            handler.addFilter(RedactFilter())
