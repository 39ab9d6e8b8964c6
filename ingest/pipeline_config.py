"""The pipeline's part of the configuration, checked where the pipeline is built.

[classify] rules and subject_patterns and [extract] steps name things only ingest/ implements,
so ingest/ checks them, once at the start-up of every command that processes mail (the CLI's
`Obj.pipeline_settings`, `inbox doctor`), and the config loader at the ground stays free of
services. A mistake is one ConfigError line naming the file, the key and what is wrong.

The names are checked against the catalogue of built-in names (inbox.pipeline_defaults), which
tests/unit/test_pipeline_config.py holds equal to the registries of ingest.classify and
ingest.extract: importing those registries means importing every rule and step, which an idle
`inbox poll` must not pay for (README, "Performance").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from inbox.config import Settings
from inbox.errors import ConfigError
from inbox.pipeline_defaults import DEFAULT_RULES, DEFAULT_STEPS


def check_pipeline_config(settings: Settings, source: Path | None) -> None:
    """Raise ConfigError for the first unknown rule or step name or broken subject pattern."""
    problems = _problems(settings)
    if problems:
        key, problem = problems[0]
        raise ConfigError(f"{source or 'the embedded defaults'}: {key}: {problem}")


def _problems(settings: Settings) -> list[tuple[str, str]]:
    problems = []
    if unknown := [name for name in settings.classify.rules if name not in DEFAULT_RULES]:
        problems.append(("[classify] rules", f"unknown rule name(s): {', '.join(unknown)}"))
    try:
        compile_subject_patterns(settings.classify.subject_patterns)
    except ValueError as err:  # names the pattern, its number and what re found
        problems.append(("[classify] subject_patterns", str(err)))
    if unknown := [name for name in settings.extract.steps if name not in DEFAULT_STEPS]:
        problems.append(("[extract] steps", f"unknown step name(s): {', '.join(unknown)}"))
    return problems


def compile_subject_patterns(patterns: Sequence[str]) -> list[re.Pattern]:
    """The subject patterns compiled (ingest.classify uses them); ValueError names a broken one."""
    compiled = []
    for number, pattern in enumerate(patterns, 1):
        try:
            compiled.append(re.compile(pattern))
        except re.error as err:
            raise ValueError(f"pattern {number} {pattern!r}: {err}") from err
    return compiled
