"""`inbox doctor`: is this installation ready to run? One named check per concern.

Each check is a small function that returns what it found (one line) or raises
CheckFailed with the problem and what to change. Errors the services already raise
(InboxError: a refused login, a missing folder, a broken template) are taken as they are:
their text names the key to fix, and the advice after "; check ..." becomes the fix line.
It only looks: it creates data_dir (and the file outbox) if missing, as the service would, and
--send-test sends one mail, recorded as an event.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from inbox.config import Settings, load_settings
from inbox.context import AppContext
from inbox.errors import ConfigError, InboxError
from ingest.pipeline_config import check_pipeline_config

log = logging.getLogger(__name__)
# Where a service error says what to do: "...; check user and the password", "...: set [smtp] host".
ADVICE = re.compile(r"[;:]\s+(?=(?:check|set|use|run|add|install|create|choose|give|correct|fix|write)\b)", re.IGNORECASE)


class CheckFailed(InboxError):
    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.fix = problem, fix


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str  # what was found, or the problem
    fix: str | None = None


@dataclass
class Checkup:
    """What every check may look at."""

    settings: Settings
    config_path: Path | None
    ctx: AppContext
    send_test: str | None = None
    min_free_mb: int = 1024

    @property
    def database_file_missing(self) -> bool:
        """A SQLite file that is not there: connecting would create it empty, so checks leave it alone."""
        engine = self.ctx.engine
        path = engine.url.database
        return engine.dialect.name == "sqlite" and bool(path) and path != ":memory:" and not Path(str(path)).exists()


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Checkup], str]
    fix: str  # what to change when the failure does not say so itself


@dataclass
class Report:
    config_path: Path | None
    outcomes: list[Outcome]

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)

    def as_json(self) -> dict:
        return {"ok": self.ok, "config": str(self.config_path) if self.config_path else None,
                "checks": [asdict(outcome) for outcome in self.outcomes]}

    def lines(self) -> list[str]:
        width = max(len(outcome.name) for outcome in self.outcomes)
        lines = []
        for outcome in self.outcomes:
            lines.append(f"{'✓' if outcome.ok else '✗'} {outcome.name:<{width}}  {outcome.detail}")
            if outcome.fix:
                lines.append(f"  {'':<{width}}  fix: {outcome.fix}")
        passed = sum(outcome.ok for outcome in self.outcomes)
        lines.append(f"{passed} of {len(self.outcomes)} checks passed" if not self.ok else f"all {passed} checks passed")
        return lines


def examine(config_path: Path | None, checks: list[Check], *, send_test: str | None = None, min_free_mb: int = 1024) -> Report:
    """Load the config, then run every check; a config that does not load is the only line."""
    try:
        settings = load_settings(config_path)
        check_pipeline_config(settings, config_path)  # the rule and step names, as every command that processes mail
    except ConfigError as err:
        fix = "correct the key named above; config.toml in the project lists every key with its default"
        return Report(config_path, [Outcome("config", False, str(err), fix)])
    try:
        ctx = AppContext.build(settings)
    except InboxError as err:  # a [database] url that names no usable database
        problem, fix = split_advice(str(err), "correct [database] url")
        return Report(config_path, [Outcome("config", False, problem, fix)])
    try:
        checkup = Checkup(settings, config_path, ctx, send_test=send_test, min_free_mb=min_free_mb)
        return Report(config_path, [_config_outcome(settings, config_path), *(run_check(check, checkup) for check in checks)])
    finally:
        ctx.close()


def _config_outcome(settings: Settings, config_path: Path | None) -> Outcome:
    where = str(config_path) if config_path else "no file: the embedded defaults"
    if not settings.staff.recipients:  # `inbox run` refuses to start without them
        return Outcome("config", False, f"{where}: [staff] recipients is empty, so `inbox run` will not start",
                       "add the address(es) that get the daily digest and the service's alarms to [staff] recipients")
    return Outcome("config", True, f"loaded {where}")


def run_check(check: Check, checkup: Checkup) -> Outcome:
    try:
        return Outcome(check.name, True, check.run(checkup))
    except CheckFailed as err:
        return Outcome(check.name, False, err.problem, err.fix)
    except InboxError as err:
        problem, fix = split_advice(str(err), check.fix)
        return Outcome(check.name, False, problem, fix)
    except Exception as err:  # a check must never stop the others; the traceback goes to the log (-v)
        log.exception("doctor: check %s crashed", check.name)
        return Outcome(check.name, False, f"unexpected {type(err).__name__}: {err}", check.fix)


def split_advice(message: str, default_fix: str) -> tuple[str, str]:
    """("the problem", "what to do") from a service error that ends with its own advice."""
    found = ADVICE.search(message)
    if found is None:
        return message, default_fix
    return message[:found.start()], message[found.end():]
