"""Benchmark of issue 13: every figure side by side against a raw-fetch floor, in one run.

A backlog (scripts/bench_mail.py: 600 messages, 90 % real-world mail from ../shared/corpus,
10 % affiliations with a 20-page protocol of about 200 KB) is put into a real Dovecot. Each
round then measures, one right after the other, so the ratios hold on a noisy machine:

- the floor: the backlog fetched over IMAP (BODY.PEEK[], 25 a FETCH), each message written
  to a file and fsynced;
- `inbox poll --once` on the same backlog with a fresh database, SQLite and PostgreSQL: the
  store-first part (connect to everything committed) and the whole pipeline (poll_once), timed
  inside the process by scripts/bench_probe.py, and its peak memory: the worker's own
  (wait4) plus the largest child's (ingest.isolation, the process that parses);
- the IMAP commands of an idle poll, counted in imaplib;
- `inbox --help` and an idle `inbox poll --once`, whole processes;
- peak memory for one message with a 25 MB PDF.

Prints the table (min and median of the rounds, ratios to the floor of the same round),
appends one JSON line to var/bench.jsonl, then runs scripts/bench_push.py if it exists.

    python scripts/bench.py [--rounds 3] [--size 600] [--sqlite-only] [--no-push]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_mail  # noqa: E402

from tests.servers.dovecot import DovecotServer  # noqa: E402

BACKLOG = "Backlog"
BIG = "Big"
IDLE_RUNS = 10
PASSWORD_ENV = "BENCH_IMAP_PASSWORD"
CACHE_VERSION = 3  # bump when bench_mail changes what it writes
INBOX = [str(Path(sys.executable).with_name("inbox"))]  # the console script; PYTHONPATH picks the tree measured


# -- the mail -------------------------------------------------------------------------------------------------------

def backlog(size: int) -> list[bytes]:
    """Generated once and kept in var/bench/ (the affiliations' PDFs take about a second each)."""
    folder = ROOT / "var" / "bench" / f"backlog-v{CACHE_VERSION}-{size}"
    if not folder.is_dir():
        print(f"generating the backlog of {size} messages in {folder} ...", file=sys.stderr, flush=True)
        tmp = folder.with_suffix(".tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        for number, raw in enumerate(bench_mail.backlog(size)):
            (tmp / f"{number:05d}.eml").write_bytes(raw)
        tmp.rename(folder)
    return [path.read_bytes() for path in sorted(folder.glob("*.eml"))]


def big_message() -> bytes:
    path = ROOT / "var" / "bench" / f"big-pdf-v{CACHE_VERSION}.eml"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bench_mail.big_pdf_mail())
    return path.read_bytes()


def load(server: DovecotServer, folder: str, messages: list[bytes]) -> None:
    with server.client() as client:
        client.create_folder(folder)
        for raw in messages:
            client.append(folder, raw)


# -- the floor ------------------------------------------------------------------------------------------------------

def raw_fetch(server: DovecotServer, folder: str, out: Path, batch: int = 25) -> float:
    """Seconds to log in, fetch every message, write and fsync each one: what storing cannot beat."""
    out.mkdir(parents=True)
    started = time.perf_counter()
    with server.client() as client:
        client.select_folder(folder, readonly=True)
        uids = client.search(["ALL"])
        for first in range(0, len(uids), batch):
            for uid, data in client.fetch(uids[first:first + batch], ["BODY.PEEK[]"]).items():
                with (out / f"{uid}.eml").open("wb") as handle:
                    handle.write(data[b"BODY[]"])
                    handle.flush()
                    os.fsync(handle.fileno())
    return time.perf_counter() - started


# -- the service ----------------------------------------------------------------------------------------------------

def config(work: Path, server: DovecotServer, folder: str, url: str) -> Path:
    path = work / "config.toml"
    work.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[source]\nkind = "imap"\n[source.imap]\nhost = "{server.host}"\nport = {server.imap_port}\ntls = "none"\n'
        f'user = "{server.user}"\npassword_env = "{PASSWORD_ENV}"\nfolder = "{folder}"\n'
        f'[database]\nurl = "{url}"\n[service]\ndata_dir = "{work / "data"}"\n'
        f'[smtp]\ntransport = "file"\noutbox_dir = "{work / "outbox"}"\n', encoding="utf-8")
    return path


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants (the fork server and each message's
    child) added up: RSS every 20 ms (shared pages counted in each process), PSS every 200 ms (each
    shared page divided among its sharers: what the tree really holds; /proc/PID/smaps_rollup
    walks every mapping, too slow to read more often without taking a core from what is measured)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss_mb = self.peak_pss_mb = self.root_hwm_mb = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        tick = 0
        while not self.done.wait(0.02):
            self.root_hwm_mb = max(self.root_hwm_mb, high_water_mb(self.pid))
            tree = self._tree(self.pid)
            self.peak_rss_mb = max(self.peak_rss_mb, sum(_field_kb(f"/proc/{pid}/status", "VmRSS") for pid in tree) / 1024)
            if tick % 10 == 0:
                self.peak_pss_mb = max(self.peak_pss_mb, sum(_field_kb(f"/proc/{pid}/smaps_rollup", "Pss") for pid in tree) / 1024)
            tick += 1

    def _tree(self, pid: int) -> list[int]:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [pid, *(p for child in children for p in self._tree(int(child)))]


def _field_kb(path: str, name: str) -> int:
    """A "Name:   1234 kB" line of a /proc file; 0 when the process has ended."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def high_water_mb(pid: int) -> float:
    """A process's peak RSS (VmHWM): wait4's ru_maxrss would count the copy of this benchmark
    that the child is, between fork and exec."""
    return _field_kb(f"/proc/{pid}/status", "VmHWM") / 1024


def run(command: list[str], env: dict[str, str], memory: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB, sampled every 20 ms) of a whole process; it must succeed.
    `memory`, when given, gets the sampled peaks of the whole process tree (TreeMemory)."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        sampler = TreeMemory(process.pid)
        sampler.start()
        _, status, _ = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        if memory is not None:
            memory.update(tree_rss_mb=sampler.peak_rss_mb, tree_pss_mb=sampler.peak_pss_mb)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output.read().decode()[-3000:]}")
    return seconds, sampler.root_hwm_mb


def probed(config_path: Path, env: dict[str, str], *args: str) -> dict:
    """`inbox --config CONFIG ARGS` under scripts/bench_probe.py: its record plus wall time and worker memory."""
    memory: dict = {}
    with tempfile.NamedTemporaryFile(suffix=".json") as record:
        seconds, worker_mb = run([sys.executable, str(ROOT / "scripts" / "bench_probe.py"), record.name,
                                  "--config", str(config_path), *args], env, memory)
        found = json.loads(Path(record.name).read_text())
    return {**found, **memory, "wall_s": seconds, "worker_mb": max(worker_mb, found.get("worker_mb", 0.0))}


def upgrade(config_path: Path, env: dict[str, str]) -> None:
    run([*INBOX, "--config", str(config_path), "db", "upgrade"], env)


class Databases:
    """SQLite in the work folder; PostgreSQL on 127.0.0.1:5432 when it answers (a fresh database a run)."""

    ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=2"

    def __init__(self, sqlite_only: bool) -> None:
        self.names = ["sqlite"] if sqlite_only or not self._postgres_answers() else ["sqlite", "postgresql"]
        self.created: list[str] = []

    def _postgres_answers(self) -> bool:
        import psycopg

        try:
            psycopg.connect(self.ADMIN).close()
        except psycopg.OperationalError:
            return False
        return True

    def url(self, name: str, work: Path) -> str:
        if name == "sqlite":
            return f"sqlite:///{work}/inbox.db"
        import psycopg

        database = f"inbox_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        self.created.append(database)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}"

    def drop_all(self) -> None:
        if not self.created:
            return
        import psycopg

        with psycopg.connect(self.ADMIN, autocommit=True) as conn:
            for database in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


# -- the rounds -----------------------------------------------------------------------------------------------------

def backlog_round(server: DovecotServer, databases: Databases, env: dict[str, str], tmp: Path, round_no: int) -> list[dict]:
    """For each database: the floor, then `inbox poll --once` on the backlog, then an idle poll."""
    results = []
    for name in databases.names:
        work = tmp / f"{name}-{round_no}"
        floor = raw_fetch(server, BACKLOG, work / "floor")
        path = config(work, server, BACKLOG, databases.url(name, work))
        upgrade(path, env)
        poll = probed(path, env, "poll", "--once")
        idle = probed(path, env, "poll", "--once")
        results.append({"database": name, "floor_s": floor, "poll": poll, "idle_imap_commands": idle["imap_commands"],
                        "config": str(path)})
        print(f"round {round_no + 1} {name}: floor {floor:.2f} s, store {poll.get('store_s', float('nan')):.2f} s, "
              f"poll {poll['poll_s']:.2f} s, worker {poll['worker_mb']:.0f} MB, child {poll['child_peak_mb']:.0f} MB",
              file=sys.stderr, flush=True)
    return results


def whole_process(command: list[str], env: dict[str, str], runs: int) -> dict:
    run(command, env)  # warm the file cache once
    times, memory = zip(*(run(command, env) for _ in range(runs)), strict=True)
    return {"s": list(times), "mb": list(memory)}


def big_round(server: DovecotServer, databases: Databases, env: dict[str, str], tmp: Path, round_no: int) -> dict:
    work = tmp / f"big-{round_no}"
    path = config(work, server, BIG, databases.url("sqlite", work))
    upgrade(path, env)
    return probed(path, env, "poll", "--once")


def pdf_reading(runs: int) -> dict[str, list[float]]:
    """Seconds to read the text of one affiliation's 20-page protocol (ingest.extract.documents.read_text):
    every page, and as extraction reads it (to the page after the affiliation paragraph, where the code has that)."""
    from ingest.extract.containers import Part
    from ingest.extract.documents import read_text
    from ingest.extract.limits import Reading

    try:
        from ingest.extract.choose import affiliation_paragraph
        ways = {"every page": {}, "as extraction reads it": {"enough": affiliation_paragraph}}
    except ImportError:  # the code before issue 13 read every page
        ways = {"every page": {}}
    pdf = bench_mail.protocol_pdf("Sala kommun", seed=1)
    times: dict[str, list[float]] = {}
    for way, options in ways.items():
        for _ in range(runs):
            started = time.perf_counter()
            read_text(Part("Protokoll.pdf", pdf), Reading(), **options)
            times.setdefault(way, []).append(time.perf_counter() - started)
    return times


# -- the table ------------------------------------------------------------------------------------------------------

def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    if not values:
        return "–"
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f} {unit}"


def table(record: dict) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("what", "database", "min / median", "× floor, same round (min / median)")]
    by_db: dict[str, list[dict]] = {}
    for result in record["backlog_runs"]:
        by_db.setdefault(result["database"], []).append(result)
    for name, results in by_db.items():
        rows += backlog_rows(name, results, record["backlog"]["messages"])
    startup = record["startup"]
    rows.append(("`inbox --help`, whole process", "", spread(startup["help"]["s"]) + f", {max(startup['help']['mb']):.0f} MB", ""))
    for name, idle in startup["idle_poll"].items():
        rows.append(("idle `inbox poll --once`, whole process", name, spread(idle["s"]) + f", {max(idle['mb']):.0f} MB", ""))
    rows += memory_rows("one message with a 25 MB PDF", "sqlite", record["big_pdf"])
    for way, times in record["pdf_reading_s"].items():
        rows.append((f"reading one affiliation's 20-page PDF, {way}", "", spread(times, "s", 3), ""))
    return rows


def backlog_rows(name: str, results: list[dict], messages: int) -> list[tuple[str, ...]]:
    floor = [r["floor_s"] for r in results]
    rate = [messages / f for f in floor]
    rows = [("raw IMAP fetch, fsync each message (the floor)", name, f"{spread(floor)} ({min(rate):.0f}–{max(rate):.0f} msg/s)", "1")]
    parts: list[tuple[str, Callable[[dict], float | None]]] = [
        ("`inbox poll --once`: store-first part", lambda r: r["poll"].get("store_s")),
        ("`inbox poll --once`: whole pipeline", lambda r: r["poll"]["poll_s"]),
        ("`inbox poll --once`: whole process", lambda r: r["poll"]["wall_s"]),
    ]
    for label, pick in parts:
        pairs = [(value, r["floor_s"]) for r in results if (value := pick(r)) is not None]
        rows.append((label, name, spread([v for v, _ in pairs]), spread([v / f for v, f in pairs], "×", 1)))
    commands = results[-1]["idle_imap_commands"]
    rows.append(("idle poll, IMAP commands", name, f"{len(commands)} ({' '.join(commands)})", ""))
    return rows + memory_rows("over the backlog", name, [r["poll"] for r in results])


def memory_rows(what: str, name: str, polls: list[dict]) -> list[tuple[str, ...]]:
    """Peak memory of a poll: the worker's and the largest child's own (RSS), and the whole process
    tree's, sampled (RSS added up counts the pages a child shares with the fork server twice; PSS does not)."""
    def cell(key: str) -> str:
        return spread([p[key] for p in polls if key in p], "MB", 0)

    return [(f"peak RSS {what}, each process", name, f"worker {cell('worker_mb')}, largest child {cell('child_peak_mb')}", ""),
            (f"peak memory {what}, process tree (sampled)", name, f"RSS {cell('tree_rss_mb')}, PSS {cell('tree_pss_mb')}", "")]


def print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |")
        if number == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


# -- main -----------------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="backlog rounds (each: floor + poll per database)")
    parser.add_argument("--size", type=int, default=600, help="messages in the backlog")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--no-push", action="store_true", help="do not run scripts/bench_push.py")
    args = parser.parse_args()
    record = measure(args)
    rows = table(record)
    print_table(rows)
    out = ROOT / "var" / "bench.jsonl"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({**record, "table": rows}, ensure_ascii=False) + "\n")
    print(f"written to {out}")
    push = ROOT / "scripts" / "bench_push.py"
    if push.exists() and not args.no_push:
        subprocess.run([sys.executable, str(push), *(["--sqlite-only"] if args.sqlite_only else [])], cwd=ROOT, check=False)


def measure(args) -> dict:
    messages = backlog(args.size)
    big = big_message()
    server = DovecotServer().start()
    databases = Databases(args.sqlite_only)
    env = {**os.environ, PASSWORD_ENV: server.password, "PYTHONPATH": str(ROOT)}
    try:
        load(server, BACKLOG, messages)
        load(server, BIG, [big])
        with tempfile.TemporaryDirectory(prefix="inbox-bench-") as folder:
            tmp = Path(folder)
            runs = [result for n in range(args.rounds) for result in backlog_round(server, databases, env, tmp, n)]
            idle_configs = {r["database"]: r["config"] for r in runs}
            startup = {"help": whole_process([*INBOX, "--help"], env, IDLE_RUNS),
                       "idle_poll": {name: whole_process([*INBOX, "--config", path, "poll", "--once"], env, IDLE_RUNS)
                                     for name, path in idle_configs.items()}}
            big_runs = [big_round(server, databases, env, tmp, n) for n in range(args.rounds)]
    finally:
        databases.drop_all()
        server.stop()
    return {"at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.machine(), "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "backlog": {"messages": len(messages), "affiliations": len(messages) // 10, "megabytes": round(sum(map(len, messages)) / 1e6, 1)},
            "backlog_runs": runs, "startup": startup, "big_pdf": big_runs, "pdf_reading_s": pdf_reading(7)}


if __name__ == "__main__":
    main()
