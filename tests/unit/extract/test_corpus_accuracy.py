"""Per-field accuracy over the labelled development corpus (tests/corpus), through `inbox check`'s code path.

Every field must be right in at least 95 % of the messages it applies to. The corpus is built by
tests/corpus/make_corpus.py; the test also fails when the files on disk are stale.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus"
sys.path.insert(0, str(ROOT / "scripts"))

from accuracy import compare  # noqa: E402  (calls ingest.check.check_file per message)

FLOOR = 0.95


@pytest.fixture(scope="module")
def scores():
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    return compare(CORPUS / "mail", expected)


def test_the_corpus_is_large_enough_and_labelled():
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    assert len(expected) >= 40
    assert sorted(expected) == sorted(p.name for p in (CORPUS / "mail").glob("*.eml"))


def test_the_corpus_on_disk_is_what_the_script_builds():
    done = subprocess.run([sys.executable, str(CORPUS / "make_corpus.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_field_is_at_least_95_percent_right(scores):
    counts, wrong = scores
    below = {field: f"{right}/{total}" for field, (right, total) in counts.items() if total and right / total < FLOOR}
    assert not below, f"fields below {FLOOR:.0%}: {below}\n" + "\n".join(wrong)


HELDOUT = ROOT / "tests" / "heldout"


def test_the_second_set_written_blind_stays_above_the_floor_too():
    """tests/heldout was written by someone who had not read the extractor; blind, it scored
    321/340 (94.4 %); the misses it showed were fixed in general form. It guards against a
    change that fits tests/corpus but breaks other real-looking mail."""
    expected = json.loads((HELDOUT / "expected.json").read_text(encoding="utf-8"))
    counts, wrong = compare(HELDOUT / "mail", expected)
    below = {field: f"{right}/{total}" for field, (right, total) in counts.items() if total and right / total < FLOOR}
    assert not below, f"fields below {FLOOR:.0%}: {below}\n" + "\n".join(wrong)


HELDOUT2 = ROOT / "tests" / "heldout2"


def test_the_third_set_written_blind_stays_above_the_floor_too():
    """tests/heldout2 (30 messages, weighted to companies, associations, decisions in the mail,
    signature-only contacts, long titles and names that contain other names) was written by someone
    who had not read the extractor; blind, it scored 445/510 (87.3 %: organisation.name 17/30,
    decided_by 20/30, decision.present 25/30). The misses were fixed as general rules (the
    applicant's own letterhead, org-number line and signature before a known name merely mentioned;
    decisions stated in the mail; bodies beyond municipal boards; contact blocks, appointed contacts,
    forwarded details, listed titles). It now scores 510/510 and is held at the same floor."""
    expected = json.loads((HELDOUT2 / "expected.json").read_text(encoding="utf-8"))
    assert len(expected) == 30 and sorted(expected) == sorted(p.name for p in (HELDOUT2 / "mail").glob("*.eml"))
    counts, wrong = compare(HELDOUT2 / "mail", expected)
    below = {field: f"{right}/{total}" for field, (right, total) in counts.items() if total and right / total < FLOOR}
    assert not below, f"fields below {FLOOR:.0%}: {below}\n" + "\n".join(wrong)
