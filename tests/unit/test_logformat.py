"""`--log-format json`: one JSON object per line, and no contact details in it at INFO."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from ops.logformat import JsonFormatter
from privacy.redact import install_redaction

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def logger():
    """A logger of its own with the CLI's arrangement: a JSON handler, the redaction filter on it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("test.logformat")
    log.handlers, log.propagate, log.level = [handler], False, logging.DEBUG
    install_redaction(logger=log)
    yield log, stream
    log.handlers = []


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_contact_address_and_phone_are_masked_in_json_at_info(logger):
    log, stream = logger
    log.info("reply to %s queued, phone %s", "anna.lind@koping.se", "070-123 45 67")
    (entry,) = lines(stream)
    assert entry["message"] == "reply to ***@koping.se queued, phone [telefon]"
    assert entry["level"] == "INFO" and entry["logger"] == "test.logformat"
    assert entry["time"].endswith("+00:00")
    assert "anna.lind" not in stream.getvalue() and "123 45 67" not in stream.getvalue()


def test_extras_are_keys_of_their_own_and_masked_too(logger):
    log, stream = logger
    log.warning("refused", extra={"outbox_id": 7, "recipients": ["eva.berg@sala.se"], "detail": {"to": "eva.berg@sala.se"}})
    (entry,) = lines(stream)
    assert entry["outbox_id"] == 7
    assert entry["recipients"] == ["***@sala.se"] and entry["detail"] == {"to": "***@sala.se"}


def test_a_traceback_is_one_masked_field(logger):
    log, stream = logger
    try:
        raise ValueError("no mailbox anna.lind@koping.se")
    except ValueError:
        log.exception("send failed")
    (entry,) = lines(stream)
    assert entry["exception"].startswith("Traceback") and "***@koping.se" in entry["exception"]
    assert "anna.lind" not in stream.getvalue()


def test_debug_records_and_verbose_personal_show_everything(logger):
    log, stream = logger
    log.debug("from anna.lind@koping.se")
    install_redaction(reveal=True, logger=log)
    log.handlers[0].setFormatter(JsonFormatter(reveal=True))
    log.info("to eva.berg@sala.se", extra={"who": "eva.berg@sala.se"})
    first, second = lines(stream)
    assert first["message"] == "from anna.lind@koping.se"
    assert second["message"] == "to eva.berg@sala.se" and second["who"] == "eva.berg@sala.se"


def test_the_cli_option_writes_json_lines_with_contact_details_masked(tmp_path):
    """The real entry point in a process of its own: `inbox --log-format json -v` and a command that logs."""
    script = (
        "import logging, click\n"
        "from cli.main import cli\n"
        "@cli.command('log-test')\n"
        "def log_test():\n"
        "    logging.getLogger('replies.send').info('sent to %s', 'anna.lind@koping.se', extra={'phone': '021-39 00 00'})\n"
        "cli.main(['--log-format', 'json', '-v', 'log-test'], standalone_mode=False)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    entries = [json.loads(line) for line in done.stderr.splitlines()]  # every line is JSON
    sent = next(entry for entry in entries if entry["logger"] == "replies.send")
    assert sent["message"] == "sent to ***@koping.se" and sent["phone"] == "[telefon]"
    assert "anna.lind" not in done.stderr
