"""One JSON object per log line, for log collectors (`inbox --log-format json`).

Keys: time (ISO 8601, UTC), level, logger, message, then any `extra={...}` the call passed,
and `exception` with the traceback. The redaction filter (privacy/redact.py) runs on the
handler before this formatter, so the message and the traceback are already masked; the
extras did not pass through it, so their text is masked here by the same rule (INFO and up,
unless --verbose-personal).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from privacy.redact import mask

# Every attribute a LogRecord has of its own: what is left in record.__dict__ came from `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def __init__(self, *, reveal: bool = False) -> None:
        super().__init__()
        self.reveal = reveal

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        masked = not self.reveal and record.levelno >= logging.INFO
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = _masked(value) if masked else value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def _masked(value):
    """Text in an extra value masked, lists and dicts item by item; numbers and flags as they are."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {mask(str(key)): _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_masked(item) for item in value]
    return mask(str(value))


def json_handler(*, reveal: bool = False) -> logging.Handler:
    """A stderr handler writing JsonFormatter lines (the redaction filter is added by install_redaction)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(reveal=reveal))
    return handler
