"""Run every crafted bomb (tests/hostile/bombs.py) through the pipeline and through `inbox check`;
print a table: case, outcome, seconds, peak memory.

Pipeline: a fresh database (SQLite in a temp folder, or --database URL), the message stored as
a poll stores it and processed as the service does, in a child process under [limits]
(isolation = "process"), with a plain affiliation queued behind it. Seconds and peak memory
are the child's (its VmHWM). `inbox check FILE --json` runs as its own process (no child, no
budget: it is a tool a person runs on one file); its seconds and peak RSS come from wait4.

Usage: python scripts/hostile_report.py [--database URL]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from inbox.config import Settings  # noqa: E402
from inbox.context import AppContext  # noqa: E402
from inbox.db import upgrade  # noqa: E402
from ingest.process import Outcome, process_waiting  # noqa: E402
from ingest.store import store_raw  # noqa: E402
from models import Message, OutgoingMail  # noqa: E402
from tests.hostile import bombs  # noqa: E402
from tests.hostile.children import KillNextChild  # noqa: E402
from tests.integration.lifecycle_support import org_mail  # noqa: E402

PLAIN_SENDER = "erik.berg@sala.se"


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    limits: dict = field(default_factory=dict)  # [limits] for this case (max_attempts is 1: one try, then the verdict)
    extract: dict = field(default_factory=dict)
    kill: int | None = None  # a signal sent to the child: a native crash simulated
    check: bool = True  # also run `inbox check` on it


CASES = (
    Case("DOCX with 45 MB of XML", bombs.docx_bomb_mail),
    Case("mail nested 50 levels deep", bombs.nested_mail),
    Case("80,000-character line without @", bombs.long_line_mail),
    Case("2 MB of format=flowed lines", bombs.flowed_mail),
    Case("PDF pages sharing a 70 MB content stream", bombs.pdf_stream_mail),
    Case("PDF with a 400-megapixel image", bombs.pdf_image_mail),
    Case("PNG of 400 megapixels", bombs.png_bomb_mail),
    Case("garbage base64 attachment", bombs.garbage_base64_mail),
    Case("25 MB attachment", bombs.big_attachment_mail),
    Case("child killed by SIGSEGV (native crash)", lambda: org_mail("<x@koping.se>", "Köpings kommun", "Anna Lind", "anna.lind@koping.se"),
         kill=signal.SIGSEGV, check=False),
    Case("child over its memory (384 MB, 120 MB attachment)", lambda: bombs.big_attachment_mail(megabytes=120),
         limits={"message_memory_mb": 384}, check=False),
    Case("child hangs (4 s; PDF content limit lifted)", bombs.pdf_stream_mail,
         limits={"message_seconds": 4}, extract={"ocr_seconds_per_message": 2, "pdf_content_max_mb": 1000}, check=False),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a database URL (default: SQLite in a temp folder per case)")
    args = parser.parse_args()
    rows = [("case", "pipeline outcome", "s", "peak MB", "mail behind", "inbox check", "s", "peak MB")]
    with tempfile.TemporaryDirectory() as folder:
        for number, case in enumerate(CASES):
            raw = case.build()
            work = Path(folder) / f"case-{number}"
            outcome, review, behind = run_pipeline(case, raw, work, args.database)
            checked = run_check(raw, work) if case.check else ("–", None, None)
            rows.append((case.name, describe(outcome, review), f"{outcome.seconds:.1f}", f"{outcome.peak_mb:.0f}", behind,
                         checked[0], _number(checked[1], 1), _number(checked[2], 0)))
            print(f"{case.name}: {rows[-1][1]}", file=sys.stderr, flush=True)
    print_table(rows)


def run_pipeline(case: Case, raw: bytes, work: Path, database: str | None) -> tuple[Outcome, str, str]:
    settings = Settings(service={"data_dir": str(work / "data")}, database={"url": database or f"sqlite:///{work}/inbox.db"},
                        smtp={"transport": "file", "outbox_dir": str(work / "outbox")},
                        limits={"isolation": "process", "max_attempts": 1, **case.limits}, extract=case.extract)
    ctx = AppContext.build(settings)
    try:
        upgrade(ctx.engine)
        with ctx.sessions() as session:
            bomb = store_raw(session, ctx.data_dir, raw).message.id
            plain = store_raw(session, ctx.data_dir, org_mail("<plain@sala.se>", "Sala kommun", "Erik Berg", PLAIN_SENDER)).message.id
            session.commit()
        if case.kill is not None:
            with KillNextChild(case.kill):
                report = process_waiting(ctx)
        else:
            report = process_waiting(ctx)
        return report.outcomes[bomb], review_of(ctx, bomb), behind(ctx, plain, report.outcomes[plain])
    finally:
        ctx.close()


def review_of(ctx: AppContext, pk: int) -> str:
    """What the message's review says about its decision (the first reason), if anything."""
    with ctx.sessions() as session:
        extraction = session.get(Message, pk).extraction or {}
    found = [item["reason"] for item in extraction.get("review", []) if item.get("field") == "decision"]
    return found[0] if found else ""


def behind(ctx: AppContext, pk: int, outcome: Outcome) -> str:
    with ctx.sessions() as session:
        case_id = session.get(Message, pk).case_id
        replies = session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.case_id == case_id))
    return f"{outcome.status.value}, {replies} repl{'y' if replies == 1 else 'ies'} queued" if replies else outcome.status.value


def describe(outcome: Outcome, review: str) -> str:
    if outcome.reason:
        return f"{outcome.status.value}: {outcome.reason}"
    return f"{outcome.status.value}; review: {_short(review)}" if review else outcome.status.value


def _short(text: str, size: int = 70) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def run_check(raw: bytes, work: Path) -> tuple[str, float, float]:
    """`inbox check FILE --json` as its own process: (what it said, seconds, peak MB)."""
    path = work / "message.eml"
    path.write_bytes(raw)
    errors = work / "check-stderr.txt"
    started = time.monotonic()
    with errors.open("wb") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "cli.main", "check", str(path), "--json"], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=stderr)
        out = child.stdout.read()
        child.stdout.close()
        _, status, usage = os.wait4(child.pid, 0)  # wait4, not wait(): it gives this child's own peak memory
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        last = (errors.read_text(errors="replace").strip().splitlines() or [""])[-1]
        return f"exit {child.returncode}: {last[:80]}", seconds, usage.ru_maxrss / 1024
    result = json.loads(out)
    review = "; ".join(item["reason"] for item in result.get("review", []) if item.get("field") == "decision")
    said = f"{result['kind']}, decision {'present' if result.get('decision', {}).get('present') else 'missing'}"
    return (f"{said}; review: {_short(review)}" if review else said), seconds, usage.ru_maxrss / 1024


def _number(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def print_table(rows: list[tuple]) -> None:
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "|".join("---" for _ in rows[0]) + "|")
    for row in rows[1:]:
        print("| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |")


if __name__ == "__main__":
    main()
