"""Build the labelled development corpus: `tests/corpus/mail/*.eml` and `tests/corpus/expected.json`.

The corpus measures extraction (`tests/unit/extract/test_corpus_accuracy.py`, `make accuracy`). Each
message is built from one spec in `specs_*.py`; the same spec gives its labels, so mail and labels
cannot drift apart. The labels are what a careful registrar would write down from the message.
Message shapes come from `examples/mailgen` (Outlook, Gmail, iPhone Mail, Thunderbird); the decision
documents (PDF, DOCX) and logos are generated here, deterministically.

    .venv/bin/python tests/corpus/make_corpus.py           # (re)write tests/corpus/mail and expected.json
    .venv/bin/python tests/corpus/make_corpus.py --check   # exit 1 if the files on disk differ from a fresh build

Names, phone numbers (mobile numbers from PTS's series for fiction, 070-174 06 xx) and org numbers
are invented; municipality domains are real, so never send replies built from this corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "examples")]

import phonenumbers  # noqa: E402
import specs_civil  # noqa: E402
import specs_private  # noqa: E402
import specs_public  # noqa: E402
import specs_scans  # noqa: E402
import specs_special  # noqa: E402
import specs_state  # noqa: E402
from mailgen.model import luhn_ok  # noqa: E402
from mailgen.output import sync  # noqa: E402

MAIL_DIR = HERE / "mail"
EXPECTED = HERE / "expected.json"


def check_labels(example) -> None:
    """A label the extractor could never reach is a bug in the spec, not in the extractor."""
    org, contact = example.org, example.contact
    if org and org.org_number:
        assert luhn_ok(org.org_number), (example.filename, org.org_number)
    if contact and contact.phone:
        number = phonenumbers.parse(contact.phone, "SE")
        assert phonenumbers.is_valid_number(number), (example.filename, contact.phone)
    assert example.raw.endswith(b"\r\n"), example.filename


def build() -> tuple[list, bytes]:
    examples = [builder() for module in (specs_public, specs_state, specs_private, specs_civil, specs_special, specs_scans)
                for builder in module.BUILDERS]
    names = [ex.filename for ex in examples]
    assert len(names) == len(set(names)), "two specs share a filename"
    for example in examples:
        check_labels(example)
    expected = {ex.filename: ex.expected() for ex in sorted(examples, key=lambda e: e.filename)}
    return examples, (json.dumps(expected, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the files on disk")
    args = parser.parse_args(argv)
    examples, expected = build()
    wanted = {MAIL_DIR / ex.filename: ex.raw for ex in examples} | {EXPECTED: expected}
    stale = sync(MAIL_DIR, wanted, check=args.check)
    for path in stale:
        print(f"differs: {path}", file=sys.stderr)
    if args.check:
        return 1 if stale else 0
    digest = hashlib.sha256(expected).hexdigest()[:12]
    print(f"wrote {len(examples)} messages to {MAIL_DIR} and {EXPECTED.name} ({digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
