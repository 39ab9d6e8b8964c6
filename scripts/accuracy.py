"""Per-field accuracy of `inbox check` against a labelled folder: python scripts/accuracy.py MAIL_DIR EXPECTED_JSON.

Prints one row per field (right / total) and then every wrong value, so a
person can see what the extraction gets wrong and why.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inbox.config import Settings  # noqa: E402
from ingest.check import check_file  # noqa: E402

FIELDS = (
    "kind", "sender", "organisation.name", "organisation.org_number", "organisation.type",
    "decision.present", "decision.filename", "decision.decided_by", "decision.date", "decision.paragraph",
    "decision.case_number", "decision.text_source", "contact.name", "contact.title", "contact.email",
    "contact.phone", "missing",
)


def value(result: dict, field: str):
    for part in field.split("."):
        result = (result or {}).get(part)
    if field == "contact.title" and result:
        # "Ordförande" at the start of a signature line and "ordförande" mid-sentence are the same title.
        return result[0].lower() + result[1:]
    return sorted(result) if isinstance(result, list) else result


def compare(mail_dir: Path, expected: dict) -> tuple[dict[str, list[int]], list[str]]:
    """Return ({field: [right, total]}, [lines describing each wrong value])."""
    settings = Settings()
    scores = {field: [0, 0] for field in FIELDS}
    wrong = []
    for name, want in sorted(expected.items()):
        got = check_file(mail_dir / name, settings)
        fields = FIELDS if want.get("kind") == "affiliation" else ("kind", "sender")
        for field in fields:
            scores[field][1] += 1
            if value(got, field) == value(want, field):
                scores[field][0] += 1
            else:
                wrong.append(f"{name}: {field}: expected {value(want, field)!r}, got {value(got, field)!r}")
    return scores, wrong


def main(argv: list[str]) -> int:
    mail_dir, expected_path = Path(argv[1]), Path(argv[2])
    scores, wrong = compare(mail_dir, json.loads(expected_path.read_text(encoding="utf-8")))
    print(f"{'field':28} {'right':>5} {'total':>5} {'accuracy':>8}")
    for field, (right, total) in scores.items():
        if total:
            print(f"{field:28} {right:5d} {total:5d} {right / total:8.2%}")
    right = sum(r for r, _ in scores.values())
    total = sum(t for _, t in scores.values())
    print(f"{'all fields':28} {right:5d} {total:5d} {right / total:8.2%}")
    if wrong:
        print("\nWrong values:")
        print("\n".join(f"  {line}" for line in wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
