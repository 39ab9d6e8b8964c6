"""Limits for reading attachments, and the per-message OCR time budget.

Over a limit a message is never dropped: the part is skipped or read in part and the
reason is recorded, so the decision step can flag it for a person.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentLimits:
    """The `[extract]` limits of config.toml; the defaults are the same values."""

    max_attachment_mb: float = 25
    max_pages: int = 40
    ocr: bool = True
    ocr_languages: str = "swe"
    ocr_seconds_per_message: float = 120
    zip_max_files: int = 20
    zip_max_mb: float = 50

    @classmethod
    def from_settings(cls, section: object) -> DocumentLimits:
        """Take the limits from the config's ExtractConfig (read by name, so this module does not
        import the config package, which imports extraction)."""
        names = cls.__dataclass_fields__
        return cls(**{name: getattr(section, name) for name in names if hasattr(section, name)})

    @property
    def max_attachment_bytes(self) -> int:
        return int(self.max_attachment_mb * 1024 * 1024)

    @property
    def zip_max_bytes(self) -> int:
        return int(self.zip_max_mb * 1024 * 1024)


@dataclass
class Reading:
    """State shared by every attachment of one message: OCR seconds left and what was skipped."""

    limits: DocumentLimits = field(default_factory=DocumentLimits)
    problems: list[str] = field(default_factory=list)  # English reasons, each becomes a review flag
    notes: list[str] = field(default_factory=list)  # what was unpacked or read, for `inbox check`
    unread: list[str] = field(default_factory=list)  # documents not read because of a limit: maybe the decision
    _deadline: float | None = None

    def ocr_seconds_left(self) -> float:
        """Seconds of OCR this message may still use; the clock starts at the first OCR call."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self.limits.ocr_seconds_per_message
        return max(0.0, self._deadline - time.monotonic())

    def problem(self, reason: str) -> None:
        if reason not in self.problems:
            self.problems.append(reason)
