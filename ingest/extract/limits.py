"""Limits for reading attachments, and the per-message OCR time budget.

Over a limit a message is never dropped: the part is skipped or read in part and the
reason is recorded, so the decision step can flag it for a person. Every parser is bounded
before it runs (README "Hostile mail"): unpacked XML before python-docx, content streams
before pypdf, pixels before Pillow or PDFium decode an image, containers opened per message,
and line length before the text is searched.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

# A line longer than this is wrapped (at a space when there is one) before any pattern reads
# it: a real line of mail or minutes is far shorter, and a bounded line keeps every search linear.
MAX_LINE_CHARS = 5000


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
    document_xml_max_mb: float = 10
    pdf_content_max_mb: float = 4
    image_max_megapixels: float = 80

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

    @property
    def document_xml_max_bytes(self) -> int:
        return int(self.document_xml_max_mb * 1024 * 1024)

    @property
    def pdf_content_max_bytes(self) -> int:
        return int(self.pdf_content_max_mb * 1024 * 1024)

    @property
    def image_max_pixels(self) -> int:
        return int(self.image_max_megapixels * 1_000_000)


@dataclass
class Reading:
    """State shared by every attachment of one message: OCR seconds left, containers opened
    and what was skipped."""

    limits: DocumentLimits = field(default_factory=DocumentLimits)
    problems: list[str] = field(default_factory=list)  # English reasons, each becomes a review flag
    notes: list[str] = field(default_factory=list)  # what was unpacked or read, for `inbox check`
    unread: list[str] = field(default_factory=list)  # documents not read because of a limit: maybe the decision
    containers_opened: set[str] = field(default_factory=set)  # SHA-256 of each container opened (mail, ZIP, TNEF, .msg)
    _deadline: float | None = None

    def ocr_seconds_left(self) -> float:
        """Seconds of OCR this message may still use; the clock starts at the first OCR call."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self.limits.ocr_seconds_per_message
        return max(0.0, self._deadline - time.monotonic())

    def problem(self, reason: str) -> None:
        if reason not in self.problems:
            self.problems.append(reason)


def wrap_long_lines(text: str, width: int = MAX_LINE_CHARS) -> str:
    """The text with every line longer than `width` split, at the last space before the limit
    when there is one in its second half; nothing is dropped. Linear in the length of the text."""
    if len(text) <= width:
        return text
    lines = text.split("\n")
    if all(len(line) <= width for line in lines):
        return text
    return "\n".join(piece for line in lines for piece in _pieces(line, width))


def _pieces(line: str, width: int) -> Iterator[str]:
    start = 0
    while len(line) - start > width:
        cut = line.rfind(" ", start + width // 2, start + width)
        cut = cut if cut > start else start + width
        yield line[start:cut]
        start = cut + 1 if line[cut:cut + 1] == " " else cut
    yield line[start:]
