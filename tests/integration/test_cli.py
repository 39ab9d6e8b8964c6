"""The `inbox` command as a person runs it: demo on the bundled examples, check, cases, show."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "mail"
EXPECTED = json.loads((ROOT / "examples" / "expected.json").read_text(encoding="utf-8"))


def inbox(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.fixture
def demo_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[source.directory]\npath = "{EXAMPLES}"\n[smtp]\noutbox_dir = "outbox"\n', encoding="utf-8"
    )
    return path


def test_demo_processes_the_examples_once(demo_config, tmp_path):
    first = inbox("--config", str(demo_config), "demo")
    assert first.returncode == 0, first.stderr
    affiliations = sum(1 for v in EXPECTED.values() if v["kind"] == "affiliation")
    assert f"stored {len(EXPECTED)}," in first.stdout
    assert "quarantined 0" in first.stdout
    replies = sorted((tmp_path / "outbox").glob("*.eml"))
    subjects = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["Subject"] for p in replies]
    first_answers = [s for s in subjects if s.startswith(("Bekräftelse", "Komplettering"))]
    invitations = [s for s in subjects if s.startswith("Inbjudan till dialogmöte")]
    assert 0 < len(first_answers) <= affiliations  # at most one first answer per affiliation
    assert len(invitations) == sum(s.startswith("Bekräftelse") for s in subjects)  # invitation = "auto"
    assert len(subjects) == len(first_answers) + len(invitations)
    assert "JS-" in first.stdout  # the cases table

    second = inbox("--config", str(demo_config), "demo")
    assert second.returncode == 0, second.stderr
    assert "stored 0," in second.stdout
    assert sorted((tmp_path / "outbox").glob("*.eml")) == replies  # nothing answered twice


def test_check_prints_the_documented_json_shape():
    name = next(n for n, v in sorted(EXPECTED.items()) if v["kind"] == "affiliation" and not v["missing"])
    done = inbox("check", str(EXAMPLES / name), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"kind", "subject", "sender", "organisation", "decision", "contact", "missing"} <= set(result)
    assert set(result["organisation"]) >= {"name", "org_number", "type"}
    assert set(result["decision"]) >= {"present", "filename", "decided_by", "date", "paragraph", "case_number", "text_source"}
    assert set(result["contact"]) >= {"name", "title", "email", "phone"}
    assert result["kind"] == "affiliation" and result["decision"]["present"] is True


def test_check_rejects_a_file_that_is_not_mail(tmp_path):
    path = tmp_path / "not-mail.eml"
    path.write_bytes(b"")
    done = inbox("check", str(path))
    assert done.returncode == 2
    assert "empty message" in done.stderr and "Traceback" not in done.stderr


def test_cases_and_show_after_a_demo(demo_config):
    assert inbox("--config", str(demo_config), "demo").returncode == 0
    listing = inbox("--config", str(demo_config), "cases")
    reference = next(word for word in listing.stdout.split() if word.startswith("JS-"))
    shown = inbox("--config", str(demo_config), "show", reference)
    assert shown.returncode == 0, shown.stderr
    assert "case_created" in shown.stdout
    missing = inbox("--config", str(demo_config), "show", "JS-1999-9999")
    assert missing.returncode == 2 and "no case JS-1999-9999" in missing.stderr
