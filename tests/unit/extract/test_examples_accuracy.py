"""Per-field accuracy of classification + extraction on examples/mail against examples/expected.json.

The floors are what was measured when this test was written (see `make accuracy`); a change that
makes any field worse fails here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from accuracy import compare  # noqa: E402

FLOORS = {field: 1.0 for field in (
    "kind", "sender", "organisation.name", "organisation.org_number", "organisation.type", "decision.present",
    "decision.filename", "decision.decided_by", "decision.date", "decision.paragraph", "decision.case_number",
    "decision.text_source", "contact.name", "contact.title", "contact.email", "contact.phone", "missing",
)}  # every field right on every example since the contact/organisation rework (make accuracy)


def test_each_field_is_at_least_as_good_as_measured():
    expected = json.loads((ROOT / "examples" / "expected.json").read_text(encoding="utf-8"))
    scores, wrong = compare(ROOT / "examples" / "mail", expected)
    below = {f: f"{r}/{t}" for f, (r, t) in scores.items() if t and r / t < FLOORS[f]}
    assert not below, f"fields below their floor: {below}\n" + "\n".join(wrong)
