"""What the organisation types on its page, made safe to store: bounded, without control characters.

The text is shown escaped wherever it appears (autoescape), so markup is harmless; what is taken out here is
what no person means to type and what breaks logs, exports or terminals: NUL and the other C0/C1 controls
(a line break and a tab are kept). CR LF and lone CR become LF, so a browser's line breaks count once."""

from __future__ import annotations

import re

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: str | None) -> str:
    """The text without control characters and with LF line breaks, stripped ("" for None)."""
    if not value:
        return ""
    return CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def too_long(text: str, limit: int) -> bool:
    return len(text) > limit
