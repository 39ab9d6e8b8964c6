"""The CLI imports a command's code only when it runs (cli/lazy.py): `inbox --help` and every
message's child process, which imports the `inbox` script again, stay light."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.lazy import load
from cli.main import COMMANDS, OUTBOX_COMMANDS, cli

HEAVY = ("sqlalchemy", "pydantic", "rich", "jinja2", "alembic", "models", "ingest", "cases", "replies", "digest", "ops", "accounts")
TABLES = [*COMMANDS.items(), *OUTBOX_COMMANDS.items()]


def imported_after(code: str) -> list[str]:
    """The heavy top-level packages a fresh interpreter has imported after running `code`."""
    probe = f"import sys\n{code}\nprint('imported:', *sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1].split()[1:]


def test_importing_the_cli_imports_no_service():
    assert imported_after("import cli.main") == []


def test_the_help_lists_every_command_without_importing_one():
    code = "from cli.main import cli\ntry:\n    cli.main(['--help'], prog_name='inbox')\nexcept SystemExit:\n    pass"
    assert imported_after(code) == []


def test_the_help_lists_the_lazy_commands_with_their_own_first_line():
    done = CliRunner().invoke(cli, ["--help"], terminal_width=400, max_content_width=400)
    assert done.exit_code == 0, done.output
    for name, (_target, line) in COMMANDS.items():
        assert f"{name} " in done.output and line in done.output


@pytest.mark.parametrize("name, entry", TABLES, ids=[name for name, _ in TABLES])
def test_each_table_line_names_its_command_and_its_help(name, entry):
    target, line = entry
    command = load(target)
    assert command.name == name
    assert line == command.get_short_help_str(limit=10_000), "copy the command's first sentence into the table"


def test_a_lazy_command_runs_and_shows_its_own_help():
    done = CliRunner().invoke(cli, ["rules", "--help"])
    assert done.exit_code == 0, done.output
    assert "dry-run" in done.output
    done = CliRunner().invoke(cli, ["outbox", "--help"])
    assert "approve" in done.output and "list" in done.output


def test_a_status_choice_is_read_from_the_model_when_used():
    done = CliRunner().invoke(cli, ["cases", "--status", "no-such-status"])
    assert done.exit_code == 2 and "complete" in done.output  # click lists the real statuses
