"""The log filter: contact details masked at INFO and above, in linear time, nothing else touched."""

from __future__ import annotations

import logging
import sys
import time

import pytest

from privacy.redact import RedactFilter, install_redaction, mask


@pytest.mark.parametrize("text, expected", [
    ("outbox 7: every recipient was refused: anna.lind@koping.se: 550 5.1.1 User unknown",
     "outbox 7: every recipient was refused: ***@koping.se: 550 5.1.1 User unknown"),
    ("From: Eva <Eva.Berg+strategi@Sala.se>, cc o'neil@mail.example.org.",
     "From: Eva <***@Sala.se>, cc ***@mail.example.org."),
    ("ring 070-123 45 67 eller +46 (0)21-39 00 00", "ring [telefon] eller [telefon]"),
    ("växel 0771-670 670, direkt 0221-251 00, mobil 0701234567, utland 0046 8 123 456 78",
     "växel [telefon], direkt [telefon], mobil [telefon], utland [telefon]"),
])
def test_addresses_and_phone_numbers_are_masked(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", [
    "poll imap: PollReport(fetched=3, stored=3, duplicates=0, processed=3, quarantined=0)",
    "case JS-2026-0001 moved at 2026-03-12 09:00:00 after 0.42 s",
    "org number 212000-2080, Dnr KS 2024/123, § 45, uid 1042, 127.0.0.1:993",
    "sha256 0a3f9c1d7e4b2a6f and UIDVALIDITY 1700000000",
])
def test_other_numbers_and_text_are_left_alone(text):
    assert mask(text) == text


def test_hostile_lines_are_masked_in_linear_time():
    # An 80,000-character run without "@" before one address, and a long run of dotted labels:
    # a backtracking pattern would take minutes on these.
    hostile = ["x" * 80_000 + " anna@koping.se", "a." * 40_000 + "@", "@" + "a." * 40_000 + "!", "0 " * 40_000]
    started = time.perf_counter()
    masked = [mask(line) for line in hostile]
    assert time.perf_counter() - started < 1.0
    assert masked[0].endswith(" ***@koping.se")


def record(level: int, msg: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("replies.send", level, __file__, 1, msg, args, exc_info)


def test_the_filter_masks_formatted_messages_and_tracebacks_at_info_and_above():
    try:
        raise ValueError("refused: anna.lind@koping.se, 070-123 45 67")
    except ValueError:
        failure = sys.exc_info()
    warning = record(logging.WARNING, "outbox %s: %s", 7, "anna.lind@koping.se", exc_info=failure)
    assert RedactFilter().filter(warning) is True
    assert warning.getMessage() == "outbox 7: ***@koping.se"
    assert "anna.lind" not in warning.exc_text and "070-123" not in warning.exc_text
    assert "***@koping.se, [telefon]" in logging.Formatter().format(warning)


def test_debug_records_are_left_as_they_are():
    debug = record(logging.DEBUG, "to %s", "anna.lind@koping.se")
    RedactFilter().filter(debug)
    assert debug.getMessage() == "to anna.lind@koping.se"


def test_install_puts_one_filter_on_each_handler_and_reveal_takes_it_off():
    logger = logging.getLogger("test_redact.install")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    try:
        install_redaction(logger=logger)
        install_redaction(logger=logger)
        assert sum(isinstance(f, RedactFilter) for f in handler.filters) == 1
        install_redaction(reveal=True, logger=logger)
        assert not handler.filters
    finally:
        logger.removeHandler(handler)
