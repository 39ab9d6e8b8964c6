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

FLOORS = {
    "kind": 1.0, "sender": 1.0, "decision.present": 1.0, "decision.filename": 1.0, "decision.decided_by": 1.0,
    "decision.date": 1.0, "decision.paragraph": 1.0, "decision.text_source": 1.0, "decision.case_number": 0.94,
    "organisation.org_number": 1.0, "organisation.type": 0.94, "organisation.name": 0.76, "contact.name": 0.82,
    "contact.email": 0.76, "contact.title": 0.58, "contact.phone": 0.52, "missing": 0.76,  # 08: the quoted board address is no longer taken for the contact
}


def test_each_field_is_at_least_as_good_as_measured():
    expected = json.loads((ROOT / "examples" / "expected.json").read_text(encoding="utf-8"))
    scores, wrong = compare(ROOT / "examples" / "mail", expected)
    below = {f: f"{r}/{t}" for f, (r, t) in scores.items() if t and r / t < FLOORS[f]}
    assert not below, f"fields below their floor: {below}\n" + "\n".join(wrong)
