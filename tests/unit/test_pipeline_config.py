"""The pipeline's names: the ground's defaults equal ingest's registries, and every command that
processes mail refuses an unknown name at start-up with one line (no traceback, nothing done)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from inbox import pipeline_defaults
from ingest.classify import AFFILIATION_RULES, RULES
from ingest.classify.rules import RULE_LIST
from ingest.extract.steps import STEP_LIST

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_rules_are_every_rule_in_its_order():
    assert pipeline_defaults.DEFAULT_RULES == (*(rule.name for rule in RULE_LIST), *AFFILIATION_RULES)
    assert set(pipeline_defaults.DEFAULT_RULES) == {*RULES, *AFFILIATION_RULES}


def test_the_default_steps_are_every_step_in_its_order():
    assert pipeline_defaults.DEFAULT_STEPS == tuple(step.name for step in STEP_LIST)


def test_the_config_loader_imports_no_service():
    code = "import sys, inbox.config; print(sorted(m for m in sys.modules if m.split('.')[0] == 'ingest'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


COMMANDS = [["run"], ["poll", "--once"], ["demo"], ["check", "MESSAGE"], ["reprocess"], ["replay"], ["rules", "list"],
            ["rules", "dry-run"], ["doctor"]]


@pytest.mark.parametrize("section", ["classify_rules", "extract_steps"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_every_command_that_processes_mail_refuses_an_unknown_name(tmp_path, command, section):
    key, name = ("[classify]\nrules", "no_such_rule") if section == "classify_rules" else ("[extract]\nsteps", "guess_everything")
    config = tmp_path / "config.toml"
    config.write_text(f"[staff]\nrecipients = ['staff@lansstyrelsen.se']\n[database]\nurl = 'sqlite:///{tmp_path}/inbox.db'\n"
                      f"[service]\ndata_dir = '{tmp_path}/data'\n{key} = ['{name}']\n", encoding="utf-8")
    message = tmp_path / "m.eml"
    message.write_bytes(b"From: a@example.se\r\nSubject: hej\r\n\r\nhej\r\n")
    args = [str(message) if arg == "MESSAGE" else arg for arg in command]
    done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert "Traceback" not in done.stderr + done.stdout
    shown = done.stdout if command == ["doctor"] else done.stderr
    assert done.returncode == (1 if command == ["doctor"] else 2)
    assert str(config) in shown
    assert f"unknown {'rule' if section == 'classify_rules' else 'step'} name(s): {name}" in shown
    assert not (tmp_path / "inbox.db").exists() or command == ["doctor"]  # refused before anything was done


def test_the_check_names_a_broken_pattern_as_the_classifier_would(tmp_path):
    from inbox.config import load_settings
    from inbox.errors import ConfigError
    from ingest.classify import compile_subject_patterns
    from ingest.pipeline_config import check_pipeline_config

    config = tmp_path / "config.toml"
    config.write_text("[classify]\nsubject_patterns = ['ok', '(oops']\n", encoding="utf-8")
    with pytest.raises(ValueError) as compiled:
        compile_subject_patterns(["ok", "(oops"])
    with pytest.raises(ConfigError) as checked:
        check_pipeline_config(load_settings(config), config)
    assert str(checked.value) == f"{config}: [classify] subject_patterns: {compiled.value}"
