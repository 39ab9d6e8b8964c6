"""Config errors name the file, the key and what is wrong; the CLI prints them without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from inbox.config import Settings, load_settings
from inbox.errors import ConfigError
from ingest.pipeline_config import check_pipeline_config

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_reference_config_is_valid_and_equals_the_defaults():
    settings = load_settings(ROOT / "config.toml")
    assert settings.model_dump(exclude={"base_dir"}) == Settings().model_dump(exclude={"base_dir"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[source.imap]\nport = 70000\n", "[source.imap] port: Input should be less than or equal to 65535 (got 70000)"),
        ("[smtp]\ntls = 'sometimes'\n", "[smtp] tls: Input should be 'ssl', 'starttls' or 'none'"),
        ("[service]\ntimezone = 'Mars/Olympus'\n", "[service] timezone: unknown time zone 'Mars/Olympus'"),
        ("[database]\nurll = 'x'\n", "[database] urll: unknown key"),
        ("[smtp\n", "not valid TOML"),
    ],
)
def test_bad_values_are_reported_with_file_and_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[classify]\nrules = ['no_such_rule']\n", "[classify] rules: unknown rule name(s): no_such_rule"),
        ("[classify]\nsubject_patterns = ['(unclosed']\n", "[classify] subject_patterns:"),
        ("[extract]\nsteps = ['guess_everything']\n", "[extract] steps: unknown step name(s): guess_everything"),
    ],
)
def test_unknown_pipeline_names_are_reported_with_file_and_key(tmp_path, text, expected):
    """The names are checked where the pipeline is built (ingest/), not by the loader at the ground."""
    path = write(tmp_path, text)
    settings = load_settings(path)
    with pytest.raises(ConfigError) as caught:
        check_pipeline_config(settings, path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    settings = load_settings(write(tmp_path, "[service]\ndata_dir = 'mail-store'\n"))
    assert settings.path(settings.service.data_dir) == tmp_path / "mail-store"
    assert settings.database_url() == f"sqlite:///{tmp_path}/var/inbox.db"


def test_the_cli_prints_the_problem_and_no_traceback(tmp_path):
    path = write(tmp_path, "[source.imap]\nport = 'nine'\n")
    done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(path), "cases"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert f"error: {path}" in done.stderr
    assert "[source.imap] port" in done.stderr
    assert "Traceback" not in done.stderr
