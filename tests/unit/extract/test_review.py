"""What a person is asked to look at: fields under [extract] review_below, and protocol fields not found."""

from __future__ import annotations

from pathlib import Path

from ingest.extract import extract
from ingest.message import parse_message

EXAMPLE = sorted((Path(__file__).resolve().parents[3] / "examples" / "mail").glob("01-*.eml"))[0]


def test_a_stricter_threshold_lists_more_fields_for_review():
    mail = parse_message(EXAMPLE.read_bytes())
    relaxed, strict = extract(mail, review_below=0.5), extract(mail, review_below=0.99)
    assert relaxed.confidence == strict.confidence and relaxed.confidence  # the scores do not depend on it
    flagged = {item.field for item in strict.review}
    assert flagged == {field for field, score in strict.confidence.items() if score < 0.99}
    assert not [item for item in relaxed.review if item.reason.startswith("confidence")]
