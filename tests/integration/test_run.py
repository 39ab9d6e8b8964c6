"""`inbox run` as a service manager runs it: it starts, does its first poll, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.integration.test_cli import EXAMPLES, ROOT


def test_the_worker_polls_at_start_and_stops_cleanly_on_sigterm(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[source.directory]\npath = "{EXAMPLES}"\n[smtp]\noutbox_dir = "outbox"\n'
                      '[staff]\nrecipients = ["staff@lansstyrelsen.se"]\n', encoding="utf-8")  # `run` requires them
    subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "db", "upgrade"], check=True, cwd=ROOT, capture_output=True)
    log = tmp_path / "worker.log"
    with log.open("w") as sink:
        worker = subprocess.Popen([sys.executable, "-m", "cli.main", "--config", str(config), "-v", "run"],
                                  cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            deadline = time.monotonic() + 240  # 22 messages, each in its own child process, on a busy machine
            while "poll: fetched" not in log.read_text() and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.2)
            assert "poll: fetched" in log.read_text(), log.read_text()
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
    text = log.read_text()
    assert "stopping after the running jobs" in text and "scheduler stopped" in text
    assert "Traceback" not in text
