"""`pip install .` carries what the service needs at run time: templates, migrations, data.

The wheel is built from the checkout and unpacked into a folder outside it; `inbox` then runs
from a third folder with only that unpacked wheel and the installed dependencies on its path
(`python -S` skips site-packages' .pth files, so the editable install of the checkout is not seen).
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _build_wheel(out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True)
    return next(out.glob("strategy_inbox-*.whl"))


def test_the_wheel_carries_templates_migrations_and_data_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("templates/_base/body.html", "templates/acknowledgement/subject.txt", "templates/digest/body.txt",
                   "migrations/env.py", "migrations/versions/0003_mail_text_unbounded.py", "data/organisations.toml"):
        assert needed in names, needed

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "config.toml").write_text('[database]\nurl = "sqlite:///inbox.db"\n[service]\ndata_dir = "data"\n', encoding="utf-8")
    path = f"{unpacked}:{sysconfig.get_paths()['purelib']}"
    run = [sys.executable, "-S", "-c", "from cli.main import main; main()", "--config", "config.toml"]
    env = {"PYTHONPATH": path, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    where = subprocess.run([sys.executable, "-S", "-c", "import inbox; print(inbox.__file__)"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(unpacked)), where.stdout  # the wheel, not the checkout

    upgraded = subprocess.run([*run, "db", "upgrade"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    preview = subprocess.run([*run, "preview", "acknowledgement"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert preview.returncode == 0, preview.stderr
    assert "Länsstyrelsen" in preview.stdout
