"""Output for people and for scripts: --json with stable keys, readable summaries, whole tables
in a pipe, local times with the zone, Swedish words for types and statuses."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration import mails

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "mail"
CASE_KEYS = {"reference", "status", "status_label", "organisation", "decision", "contact", "missing", "created_at", "updated_at"}
DETAIL_KEYS = CASE_KEYS | {"decisions", "contacts", "overrides", "review", "meetings", "undeliverable", "messages", "replies", "events"}
POLL_KEYS = {"source", "fetched", "stored", "duplicates", "processed", "quarantined"}
LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$")


def inbox(config: Path, *args: str) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}  # as cron or a pipe runs it
    done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=180)
    assert done.returncode == 0, f"inbox {' '.join(args)}: {done.stderr}"
    return done.stdout


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request, tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """The bundled examples plus one message the parser rejects, on SQLite and on PostgreSQL; (config, demo output).

    One demo per database for the whole module: each `inbox` run is a new process, and these
    tests only read (the booking test books a case no other test looks at)."""
    tmp_path = tmp_path_factory.mktemp(f"demo-{request.param}")
    database_url, drop = f"sqlite:///{tmp_path}/inbox.db", None
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        name = server.create_database()
        database_url, drop = server.url(name), lambda: server.drop_database(name)
    folder = tmp_path / "mail"
    shutil.copytree(EXAMPLES, folder)
    (folder / "zz-broken.eml").write_bytes(mails.unparseable())
    config = tmp_path / "config.toml"
    config.write_text(f'[source.directory]\npath = "{folder}"\n[database]\nurl = "{database_url}"\n'
                      f'[service]\ndata_dir = "data"\n[smtp]\noutbox_dir = "outbox"\n', encoding="utf-8")
    yield config, inbox(config, "demo")
    if drop:
        drop()


def test_poll_prints_a_readable_summary_and_json_with_stable_keys(demo):
    config, output = demo
    total = len(list(EXAMPLES.glob("*.eml"))) + 1
    assert re.search(rf"^poll dir:\S+: fetched {total}, stored {total}, duplicates 0, processed {total - 1}, quarantined 1$", output, re.M), output
    assert "PollReport(" not in output
    report = json.loads(inbox(config, "poll", "--json"))
    assert set(report) == POLL_KEYS
    assert (report["fetched"], report["stored"], report["duplicates"]) == (total, 0, total)  # read again: all known


def test_listings_as_json(demo):
    config, _ = demo
    cases = json.loads(inbox(config, "cases", "--json"))
    assert cases and all(set(case) == CASE_KEYS for case in cases)
    business = next(case for case in cases if case["organisation"] and case["organisation"]["type"] == "naringsliv")
    assert business["organisation"]["type_label"] == "Näringsliv"
    assert LOCAL_TIME.match(business["created_at"])
    invited = json.loads(inbox(config, "cases", "--json", "--status", "invited"))
    assert invited and {case["status"] for case in invited} == {"invited"}

    detail = json.loads(inbox(config, "show", business["reference"], "--json"))
    assert set(detail) == DETAIL_KEYS
    assert detail["messages"] and set(detail["messages"][0]) == {"id", "received_at", "sender", "subject", "kind", "status"}
    assert detail["events"] and all(LOCAL_TIME.match(event["at"]) for event in detail["events"])

    [quarantined] = json.loads(inbox(config, "quarantine", "--json"))
    assert set(quarantined) == {"id", "received_at", "sender", "subject", "reason", "attempts"}
    assert "MessageParseError" in quarantined["reason"]


def test_tables_are_whole_in_a_pipe_and_speak_swedish(demo):
    config, _ = demo
    table = inbox(config, "cases")
    for case in json.loads(inbox(config, "cases", "--json")):
        row = next(line for line in table.splitlines() if case["reference"] in line)
        contact = case["contact"]
        assert contact is None or contact["email"] in row  # nothing wrapped onto a second line or cut
        assert case["status_label"] in row
    assert "Näringsliv" in table and "Civilsamhälle" in table and "Inbjuden till dialog" in table
    assert "naringsliv" not in table and "civilsamhalle" not in table
    assert "…" not in table


def test_meetings_and_history_are_shown_in_local_time(demo):
    config, _ = demo
    reference = json.loads(inbox(config, "cases", "--json", "--status", "invited"))[-1]["reference"]
    inbox(config, "book", reference, "--at", "2026-12-01 10:00", "--place", "Rum Mälaren", "--confirm")  # in the past by now
    shown = inbox(config, "show", reference)
    assert "Meeting: 2026-12-01 10:00 CET 60 min Rum Mälaren" in shown
    assert re.search(r"^  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T \S+ status_changed: invited -> booked", shown, re.M), shown
    assert "status: Dialog bokad (booked)" in shown
    [meeting] = json.loads(inbox(config, "show", reference, "--json"))["meetings"]
    assert meeting["starts_at"] == "2026-12-01T10:00:00+01:00"
