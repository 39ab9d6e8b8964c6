"""Template overrides: an admin's file wins; a broken one stops the service (`inbox run`) at start-up, not at send time."""

from __future__ import annotations

import pytest

from tests.integration.test_cli import inbox


@pytest.fixture
def config(tmp_path):
    override = tmp_path / "templates"
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "sqlite:///inbox.db"\n[replies]\ntemplates_override_dir = "{override}"\n'
                    '[staff]\nrecipients = ["registrator@lansstyrelsen.se"]\n', encoding="utf-8")
    assert inbox("--config", str(path), "db", "upgrade").returncode == 0
    return path, override


def put(override, name: str, text: str) -> None:
    target = override / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def test_a_file_in_the_override_folder_replaces_the_shipped_one(config):
    path, override = config
    put(override, "invitation/subject.txt", "Välkommen till dialog om jämställdhet [{{ case.reference }}]\n")
    done = inbox("--config", str(path), "preview", "invitation")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Subject: Välkommen till dialog om jämställdhet [JS-2024-0001]")
    assert "Vi kan erbjuda följande tid" in done.stdout  # the body is still the shipped one


@pytest.mark.parametrize("name, text, expected", [
    ("reminder/body.txt", "{% extends '_base/body.txt' %}{% block content %}Hej {{ kontakt.namn }}{% endblock %}", "template reminder"),
    ("acknowledgement/body.html", "{% if %}", "acknowledgement/body.html"),
    ("digest/body.txt", "{{ digest.nonexistent.field }}", "template digest/body.txt"),
])
def test_a_broken_override_is_reported_at_start_up(config, name, text, expected):
    path, override = config
    put(override, name, text)
    done = inbox("--config", str(path), "run")  # stops before the scheduler starts
    assert done.returncode == 2, done.stdout
    assert expected in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_commands_that_send_nothing_do_not_render_the_templates(config):
    # Rendering every template costs start-up time; `inbox run` and `inbox doctor` check them.
    path, override = config
    put(override, "acknowledgement/body.html", "{% if %}")
    done = inbox("--config", str(path), "cases")
    assert done.returncode == 0, done.stderr
