"""Run `inbox check` (classification and extraction) over ../shared/corpus and report.

Prints how the messages labelled bounce/auto_reply by their source came out, the slowest
files, and every labelled message that came out as something else, for a person to judge.
Usage: python scripts/corpus_report.py [CORPUS_DIR]
"""

from __future__ import annotations

import csv
import logging
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inbox.config import load_settings  # noqa: E402
from ingest.check import check_file  # noqa: E402
from ingest.message import MessageParseError  # noqa: E402


def main(corpus: Path) -> None:
    logging.getLogger("mailparser").setLevel(logging.ERROR)  # it logs every part type it skips
    with (corpus / "labels.csv").open(encoding="utf-8") as handle:
        labels = {row["path"]: row["category"] for row in csv.DictReader(handle)}
    settings = load_settings(None)
    outcome: Counter = Counter()
    misses: list[tuple[str, str, str]] = []
    timings: list[tuple[float, str]] = []
    crashes: list[tuple[str, str]] = []
    started_all = time.monotonic()
    for path, label in sorted(labels.items()):
        started = time.monotonic()
        try:
            kind = check_file(corpus / path, settings)["kind"]
        except MessageParseError:
            kind = "unparseable"
        except Exception as err:  # a crash is what this report looks for
            kind = "CRASH"
            crashes.append((path, f"{type(err).__name__}: {err}"))
        timings.append((time.monotonic() - started, path))
        outcome[(label, kind)] += 1
        if label in ("bounce", "auto_reply") and kind != label:
            misses.append((label, kind, path))
    print(f"{len(labels)} files in {time.monotonic() - started_all:.0f} s; crashes: {len(crashes)}")
    for (label, kind), count in sorted(outcome.items()):
        print(f"  {label:>12} -> {kind:<12} {count}")
    print("slowest:", ", ".join(f"{path} {seconds:.1f}s" for seconds, path in sorted(timings, reverse=True)[:5]))
    for label, kind, path in misses:
        print(f"miss: {label} -> {kind}: {path}")
    for path, error in crashes:
        print(f"CRASH: {path}: {error}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus")
