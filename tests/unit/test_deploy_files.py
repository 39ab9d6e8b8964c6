"""The systemd units and the container file say what the README promises.

No container engine can build an image here (no registry for a base image), and no systemd
runs as PID 1, so the files are read: the units by `systemd-analyze verify` where it is
installed and by a parser, the Containerfile instruction by instruction.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ["strategy-inbox.service", "strategy-inbox-web.service"]
DATA = "/var/lib/strategy-inbox"
BINARY = "/opt/strategy-inbox/bin/inbox"
CONFIG = "/etc/strategy-inbox/config.toml"


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections -> key -> every value (systemd keys such as SystemCallFilter may repeat)."""
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    current = None
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{name}: {line!r} outside a section"
        sections[current][key.strip()].append(value.strip())
    return sections


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_is_hardened_and_writes_only_to_data_dir(name):
    service = unit(name)["Service"]
    one = {key: values[-1] for key, values in service.items()}
    assert one["Type"] in ("simple", "notify")
    assert one["User"] == "strategy-inbox" and one["Group"] == "strategy-inbox"
    assert one["Restart"] == "on-failure"
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
                       "PrivateDevices": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
                       "ProtectControlGroups": "yes", "RestrictSUIDSGID": "yes", "LockPersonality": "yes",
                       "RestrictNamespaces": "yes", "SystemCallArchitectures": "native"}.items():
        assert one.get(key) == value, f"{name}: {key}={one.get(key)}"
    assert one["CapabilityBoundingSet"] == "" and one["AmbientCapabilities"] == ""
    assert service["ReadWritePaths"] == [DATA]
    assert one["StateDirectory"] == DATA.rsplit("/", 1)[1]
    assert "@system-service" in service["SystemCallFilter"]
    assert "@resources" not in " ".join(service["SystemCallFilter"])  # the message child calls setrlimit
    assert set(one["RestrictAddressFamilies"].split()) == {"AF_UNIX", "AF_INET", "AF_INET6"}


def test_the_worker_unit_runs_inbox_run_with_the_config():
    service = unit("strategy-inbox.service")["Service"]
    assert service["ExecStart"] == [f"{BINARY} --config {CONFIG} run"]
    assert service["KillMode"] == ["mixed"]  # SIGTERM to the worker only: it finishes the message in hand
    assert unit("strategy-inbox-web.service")["Service"]["ExecStart"] == [f"{BINARY} --config {CONFIG} web"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", UNITS)
def test_systemd_accepts_every_line_of_the_unit(tmp_path, name):
    # verify insists that ExecStart's program exists; everything else is checked as written.
    text = (DEPLOY / name).read_text(encoding="utf-8").replace(BINARY, "/bin/true")
    (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(tmp_path / name)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout + done.stderr == "", done.stdout + done.stderr


# -- the container file -------------------------------------------------------------------------


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined, parts = [], []
    for line in (DEPLOY / "Containerfile").read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        parts.append(line.rstrip().removesuffix("\\").strip())
        if not line.rstrip().endswith("\\"):
            joined.append(" ".join(parts))
            parts = []
    assert not parts, "the Containerfile ends inside a continued line"
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1] if " " in text else "") for text in joined]


def test_the_container_is_debian_with_swedish_tesseract():
    steps = instructions()
    assert steps[0][0] == "FROM" and re.fullmatch(r"\S*debian:12\S*", steps[0][1])
    installs = " ".join(args for op, args in steps if op == "RUN" and "apt-get install" in args)
    assert {"tesseract-ocr", "tesseract-ocr-swe", "python3", "tzdata", "ca-certificates"} <= set(installs.split())


def test_the_container_installs_the_lock_with_hashes_then_the_project_without_dependencies():
    runs = [args for op, args in instructions() if op == "RUN"]
    lock = next(i for i, args in enumerate(runs) if "--require-hashes" in args)
    assert "-r /tmp/requirements.lock" in runs[lock]
    project = next(i for i, args in enumerate(runs) if "--no-deps" in args)
    assert lock < project
    pip_lines = [args for args in runs if "pip install" in args]
    assert all("--require-hashes" in args or "--no-deps" in args for args in pip_lines), pip_lines


def test_the_container_runs_as_a_user_of_its_own_with_data_dir_on_a_volume():
    steps = instructions()
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert [op for op, _ in steps].index("USER") > max(i for i, (op, _) in enumerate(steps) if op == "RUN")  # nothing runs as root after
    assert any(users[-1].split(":")[0] in args and "useradd" in args for op, args in steps if op == "RUN")
    volumes = [args for op, args in steps if op == "VOLUME"]
    assert volumes and DATA in volumes[-1]
    entry = " ".join(args for op, args in steps if op in ("ENTRYPOINT", "CMD"))
    assert '"inbox"' in entry and '"run"' in entry


def test_the_container_copies_every_package_the_wheel_holds():
    """A package left out of the COPY lines would be missing from the installed service."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = set()
    for op, args in instructions():
        if op == "COPY":
            sources = shlex.split(args)[:-1]
            copied |= {source for source in sources if (ROOT / source).is_dir()}
    assert copied == {name for name in packages if (ROOT / name).is_dir()}, "deploy/Containerfile COPY lines and pyproject's packages differ"
    modules = pyproject["tool"]["setuptools"].get("py-modules", [])
    copy_text = " ".join(args for op, args in instructions() if op == "COPY")
    assert all(f"{module}.py" in copy_text for module in modules)
