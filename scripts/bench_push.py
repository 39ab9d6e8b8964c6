"""Benchmark of push and of two workers (issue 12), against a real Dovecot, SMTP server and database.

1. IMAP IDLE latency: one `inbox run` listens (the interval poll set to an hour, so only IDLE
   can bring the mail in); an affiliation (a text PDF decision) is APPENDed, one at a time,
   `--deliveries` times; each figure is the time from the end of the APPEND to the
   acknowledgement's arrival at the SMTP test server (aiosmtpd): Dovecot's own IDLE delay,
   the poll, processing in a child process, and the SMTP send. p50 and p95 per database.
2. Two workers: a backlog of `--backlog` affiliations whose decision is a scanned page
   (Tesseract reads each) lies in the mailbox; the wall time from starting the worker(s) to
   the last acknowledgement at the SMTP server, for one `inbox run` and for two on one
   PostgreSQL database (standby_seconds = 5: how soon the second looks for work).

Prints a table and appends one JSON line to var/bench.jsonl. Run by scripts/bench.py (`make bench`).

    python scripts/bench_push.py [--deliveries 20] [--backlog 12] [--sqlite-only]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.lifecycle_support import org_mail  # noqa: E402
from tests.integration.test_two_instances import scanned_affiliation  # noqa: E402
from tests.servers.dovecot import DovecotServer  # noqa: E402
from tests.servers.postgres import PostgresServer, start_postgres  # noqa: E402
from tests.servers.smtp import SmtpServer  # noqa: E402

PASSWORD_ENV = "BENCH_IMAP_PASSWORD"
STAFF = "registrator@lansstyrelsen.se"


class Stamped(list):
    """The SMTP server's list of received mail, each with the monotonic time it arrived."""

    def append(self, mail) -> None:
        super().append((time.monotonic(), mail))


def acknowledged(smtp: SmtpServer, address: str) -> float | None:
    """When the first reply to address arrived, if it has: the acknowledgement of its mail
    (a confirmation, or a receipt when the case goes to a person first)."""
    for at, mail in list(smtp.messages):
        if address in mail.rcpt_tos:
            return at
    return None


def wait_for(condition: Callable[[], object], seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {seconds:g} s for {what}")
        time.sleep(0.005)
    return found


# -- the setting ------------------------------------------------------------------------------------------------------

class Databases:
    """A fresh database per measurement: a SQLite file, or one on the PostgreSQL server."""

    def __init__(self, sqlite_only: bool) -> None:
        self.postgres: PostgresServer | None = None if sqlite_only else start_postgres()

    def kinds(self) -> list[str]:
        return ["sqlite", "postgresql"] if self.postgres else ["sqlite"]

    @contextmanager
    def fresh(self, kind: str, folder: Path) -> Iterator[str]:
        if kind == "sqlite":
            yield f"sqlite:///{folder / 'inbox.db'}"
            return
        assert self.postgres is not None
        name = self.postgres.create_database()
        try:
            yield self.postgres.url(name)
        finally:
            self.postgres.drop_database(name)

    def stop(self) -> None:
        if self.postgres:
            self.postgres.stop()


def write_config(folder: Path, database_url: str, imap: DovecotServer, smtp: SmtpServer, **schedule) -> Path:
    config = folder / "config.toml"
    keys = "".join(f"{key} = {value}\n" for key, value in schedule.items())
    config.write_text(
        f'[service]\ndata_dir = "{folder / "data"}"\n'
        f'[database]\nurl = "{database_url}"\n'
        f'[source]\nkind = "imap"\naccount = "bench"\n'
        f'[source.imap]\nhost = "{imap.host}"\nport = {imap.imap_port}\ntls = "none"\nuser = "{imap.user}"\n'
        f'password_env = "{PASSWORD_ENV}"\n'
        f'[smtp]\ntransport = "smtp"\nhost = "{smtp.host}"\nport = {smtp.port}\ntls = "none"\n'
        f'[staff]\nrecipients = ["{STAFF}"]\n'
        f"[schedule]\n{keys}",
        encoding="utf-8",
    )
    inbox(config, "db", "upgrade", password=imap.password)
    return config


def inbox(config: Path, *args: str, password: str) -> None:
    subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), *args], cwd=ROOT, check=True,
                   capture_output=True, env={**os.environ, PASSWORD_ENV: password})


@contextmanager
def workers(config: Path, count: int, password: str, log: Path) -> Iterator[list[subprocess.Popen]]:
    env = {**os.environ, PASSWORD_ENV: password, "PYTHONUNBUFFERED": "1"}
    with log.open("a") as sink:
        started = [subprocess.Popen([sys.executable, "-m", "cli.main", "--config", str(config), "-v", "run"],
                                    cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT) for _ in range(count)]
    try:
        yield started
    finally:
        for worker in started:
            worker.send_signal(signal.SIGTERM)
        for worker in started:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()


# -- 1. IDLE latency --------------------------------------------------------------------------------------------------

def idle_latency(kind: str, deliveries: int, databases: Databases, imap: DovecotServer, smtp: SmtpServer) -> list[float]:
    imap.empty_all()
    smtp.messages.clear()  # the same addresses are used for each database
    with tempfile.TemporaryDirectory(prefix="bench-push-") as name, databases.fresh(kind, Path(name)) as url:
        folder = Path(name)
        config = write_config(folder, url, imap, smtp, poll_minutes=60)
        log = folder / "worker.log"
        with workers(config, 1, imap.password, log) as [worker]:
            wait_for(lambda: "IMAP IDLE: listening" in log.read_text() or worker.poll() is not None, 180, "the IDLE listener")
            if worker.poll() is not None:
                raise RuntimeError(f"the worker stopped:\n{log.read_text()[-3000:]}")
            warm_up(imap, smtp)  # the first message starts the worker's fork server; not a delivery a sender waits for
            return [one_delivery(imap, smtp, i) for i in range(deliveries)]


def warm_up(imap: DovecotServer, smtp: SmtpServer) -> None:
    one_delivery(imap, smtp, -1)


def one_delivery(imap: DovecotServer, smtp: SmtpServer, i: int) -> float:
    address = f"karin.ek@idle{i + 1}.se"
    raw = org_mail(f"<idle{i + 1}@idle{i + 1}.se>", f"Idrottsföreningen Idre {i + 1}", "Karin Ek", address)
    with imap.client() as client:
        client.append("INBOX", raw)
        delivered = time.monotonic()
    arrived = wait_for(lambda: acknowledged(smtp, address), 120, f"the acknowledgement to {address}")
    time.sleep(0.5)  # the invitation that follows the acknowledgement, and the worker back in IDLE
    return arrived - delivered


# -- 2. two workers on a backlog of scans ------------------------------------------------------------------------------

def backlog_wall_time(count: int, size: int, messages: list[bytes], databases: Databases, imap: DovecotServer,
                      smtp: SmtpServer) -> float:
    imap.empty_all()
    smtp.messages.clear()
    with imap.client() as client:
        for raw in messages:
            client.append("INBOX", raw)
    addresses = [f"karin.ek@norrby{i}.se" for i in range(size)]
    with tempfile.TemporaryDirectory(prefix="bench-push-") as name, databases.fresh("postgresql", Path(name)) as url:
        folder = Path(name)
        config = write_config(folder, url, imap, smtp, poll_minutes=5, standby_seconds=5)
        started = time.monotonic()
        with workers(config, count, imap.password, folder / "workers.log"):
            wait_for(lambda: all(acknowledged(smtp, address) for address in addresses), 1800, "every acknowledgement")
            return time.monotonic() - started


# -- report -----------------------------------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=20, help="affiliations delivered one at a time per database")
    parser.add_argument("--backlog", type=int, default=12, help="scanned affiliations in the two-worker backlog")
    parser.add_argument("--sqlite-only", action="store_true", help="IDLE latency on SQLite only; no two-worker run")
    args = parser.parse_args()

    imap, smtp = DovecotServer().start(), SmtpServer().start()
    smtp.messages = Stamped()
    databases = Databases(args.sqlite_only)
    record: dict = {"bench": "push", "at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    try:
        record["idle_latency"] = {}
        for kind in databases.kinds():
            seconds = idle_latency(kind, args.deliveries, databases, imap, smtp)
            record["idle_latency"][kind] = summary(seconds)
        if databases.postgres:
            print(f"making {args.backlog} scanned affiliations ...", file=sys.stderr, flush=True)
            messages = [scanned_affiliation(i) for i in range(args.backlog)]
            one = backlog_wall_time(1, args.backlog, messages, databases, imap, smtp)
            two = backlog_wall_time(2, args.backlog, messages, databases, imap, smtp)
            record["two_workers"] = {"backlog": args.backlog, "database": "postgresql", "one_s": round(one, 1),
                                     "two_s": round(two, 1), "speedup": round(one / two, 2)}
    finally:
        smtp.stop()
        imap.stop()
        databases.stop()
    print_table(record)
    out = ROOT / "var" / "bench.jsonl"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"written to {out}")


def summary(seconds: list[float]) -> dict:
    return {"deliveries": len(seconds), "p50_s": round(statistics.median(seconds), 3), "p95_s": round(percentile(seconds, 0.95), 3),
            "min_s": round(min(seconds), 3), "max_s": round(max(seconds), 3)}


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_1m": round(os.getloadavg()[0], 2)}  # other work on the machine skews the figures


def print_table(record: dict) -> None:
    print("\nIMAP IDLE: APPEND to acknowledgement at the SMTP server")
    print(f"{'database':<12}{'n':>4}{'p50 s':>9}{'p95 s':>9}{'min s':>9}{'max s':>9}")
    for kind, row in record["idle_latency"].items():
        print(f"{kind:<12}{row['deliveries']:>4}{row['p50_s']:>9.2f}{row['p95_s']:>9.2f}{row['min_s']:>9.2f}{row['max_s']:>9.2f}")
    if "two_workers" in record:
        row = record["two_workers"]
        print(f"\nBacklog of {row['backlog']} scanned affiliations, PostgreSQL: start to last acknowledgement")
        print(f"{'workers':<12}{'wall s':>9}")
        print(f"{'1':<12}{row['one_s']:>9.1f}\n{'2':<12}{row['two_s']:>9.1f}\nspeed-up {row['speedup']:.2f} x")


if __name__ == "__main__":
    main()
