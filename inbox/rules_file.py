"""The admin's own rules (`rules.toml` beside config.toml): named subject patterns and field patterns.

Each rule has a name and a description and is checked when the configuration loads: a
wrong field, a duplicate name or a regular expression that does not compile is an error
naming the file, the rule and the reason. See README, "Rules".
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from inbox.errors import ConfigError

FIELDS = (
    "decision.decided_by", "decision.date", "decision.paragraph", "decision.case_number",
    "organisation.name", "organisation.org_number", "contact.name", "contact.title", "contact.email", "contact.phone",
)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    description: str = Field(min_length=3)
    pattern: str
    ignore_case: bool = True

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as err:
            raise ValueError(f"the pattern does not compile: {err}") from None
        return value

    def compiled(self) -> re.Pattern:
        return re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)


class SubjectRule(Rule):
    """Recognises the affiliation subject (matched like [classify] subject_patterns: lower case, no å/ä/ö)."""


class FieldRule(Rule):
    """Finds one field; group 1 (or the whole match) is the value. Runs before the built-in steps, so it wins."""

    field: Literal[FIELDS]  # type: ignore[valid-type]
    source: Literal["decision", "body", "any"] = "any"

    @model_validator(mode="after")
    def _at_most_one_group(self) -> FieldRule:
        if self.compiled().groups > 1:
            raise ValueError("use at most one capturing group (the value); write (?:...) for the others")
        return self


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: tuple[SubjectRule, ...] = ()
    field: tuple[FieldRule, ...] = ()

    @model_validator(mode="after")
    def _unique_names(self) -> RuleSet:
        names = [rule.name for rule in (*self.subject, *self.field)]
        if duplicates := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"rule names must be unique: {', '.join(duplicates)}")
        return self


def load_rules(path: Path, *, required: bool) -> RuleSet:
    """Read and check a rules file; a missing optional file means no extra rules."""
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: rules file not found")
        return RuleSet()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the rules: {err}") from err
    try:
        return RuleSet(**data)
    except ValidationError as err:
        raise ConfigError(_explain(path, data, err)) from err


def _explain(path: Path, data: dict, err: ValidationError) -> str:
    lines = [f"{path}: {err.error_count()} problem(s) in the rules"]
    for problem in err.errors():
        loc = problem["loc"]
        where = "rules"
        if len(loc) >= 2 and isinstance(loc[1], int):
            entry = (data.get(loc[0]) or [{}])[loc[1]] if loc[1] < len(data.get(loc[0]) or []) else {}
            where = f"[[{loc[0]}]] rule {entry.get('name', f'#{loc[1] + 1}')!r}" + (f" key {loc[2]}" if len(loc) > 2 else "")
        message = re.sub(r"^Value error, ", "", problem["msg"])
        if problem["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)
