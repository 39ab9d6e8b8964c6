"""Benchmark: how fast the worker takes in mail, on SQLite and on PostgreSQL.

Processes every labelled message of the project (examples/, tests/corpus/, tests/heldout/:
PDFs, DOCX, scans through Tesseract, winmail.dat) with `inbox poll` on a fresh database,
then sends the replies to the file outbox. Prints the figures and appends them to
var/bench.jsonl, so runs can be compared. PostgreSQL is used when 127.0.0.1:5432 answers.

    python scripts/bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import resource
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from inbox.config import Settings  # noqa: E402
from inbox.context import AppContext  # noqa: E402
from inbox.db import upgrade  # noqa: E402
from ingest.poll import poll_once  # noqa: E402
from ingest.sources import DirectorySource  # noqa: E402
from replies.send import send_due  # noqa: E402

SETS = ("examples/mail", "tests/corpus/mail", "tests/heldout/mail")


def gather(folder: Path) -> int:
    count = 0
    for name in SETS:
        for path in sorted((ROOT / name).glob("*.eml")):
            shutil.copy(path, folder / f"{count:04d}-{path.name}")
            count += 1
    return count


def run_once(url: str, work: Path, mail: Path) -> dict:
    settings = Settings(service={"data_dir": str(work / "data")}, database={"url": url},
                        smtp={"transport": "file", "outbox_dir": str(work / "outbox")})
    ctx = AppContext.build(settings)
    upgrade(ctx.engine)
    started = time.perf_counter()
    report = poll_once(ctx, DirectorySource(mail))
    polled = time.perf_counter()
    sent = send_due(ctx, limit=10_000)
    done = time.perf_counter()
    ctx.close()
    return {"messages": report.processed, "quarantined": report.quarantined, "replies": sent.sent,
            "poll_s": round(polled - started, 2), "send_s": round(done - polled, 2),
            "messages_per_s": round(report.processed / (polled - started), 2)}


def postgres_url() -> tuple[str, str] | None:
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=2"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            name = f"inbox_bench_{uuid.uuid4().hex[:8]}"
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return None
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name


def drop(name: str) -> None:
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1)
    rounds = parser.parse_args().rounds
    logging.getLogger("mailparser").setLevel(logging.ERROR)  # it logs every part type it skips
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        mail = Path(tmp) / "mail"
        mail.mkdir()
        total = gather(mail)
        for round_no in range(rounds):
            work = Path(tmp) / f"sqlite{round_no}"
            results.append({"database": "sqlite", **run_once(f"sqlite:///{work}/inbox.db", work, mail)})
            pg = postgres_url()
            if pg:
                try:
                    results.append({"database": "postgresql", **run_once(pg[0], Path(tmp) / f"pg{round_no}", mail)})
                finally:
                    drop(pg[1])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.machine(),
              "python": platform.python_version(), "input_messages": total, "peak_rss_mb": round(peak_mb, 1), "runs": results}
    for run in results:
        print(f"{run['database']:<10} {run['messages']} messages in {run['poll_s']} s ({run['messages_per_s']}/s), "
              f"{run['replies']} replies in {run['send_s']} s, {run['quarantined']} quarantined")
    print(f"peak memory (this process, all runs): {record['peak_rss_mb']} MB")
    out = ROOT / "var" / "bench.jsonl"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
