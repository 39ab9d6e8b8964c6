"""The rules in use, in the order they run: one list for `inbox rules list` and the workspace's /admin."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from inbox.config import load_settings
from ingest.classify import RULES
from ingest.extract import DEFAULT_STEPS
from ingest.rule_list import rules_in_use
from tests.unit.test_rules_file import SAKNR, write_config


def test_the_rows_follow_the_configuration_with_the_admins_rules_in_place(tmp_path: Path):
    settings = load_settings(write_config(tmp_path, SAKNR))
    rows = rules_in_use(settings)
    names = [row.name for row in rows]
    assert names[:len(RULES)] == list(RULES)  # the classification rules first, in order
    assert "engelsk_rubrik" in names and names.index("engelsk_rubrik") < names.index(DEFAULT_STEPS[0])
    field_rule = next(row for row in rows if row.name == "saknr_i_texten")
    assert field_rule.indent and field_rule.stage == "extract" and field_rule.kind == "decision.case_number"
    assert names[names.index("configured_patterns") + 1] == "saknr_i_texten"  # shown under the step that runs it
    assert [row.name for row in rows if row.kind == "step"] == list(settings.extract.steps)


def test_rules_list_prints_the_same_rows(tmp_path: Path):
    config = write_config(tmp_path, SAKNR)
    done = CliRunner().invoke(cli, ["--config", str(config), "rules", "list"], env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.output
    for row in rules_in_use(load_settings(config)):
        assert row.name in done.output
    assert "  saknr_i_texten" in done.output
