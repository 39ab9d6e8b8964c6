"""The rules and steps the configuration runs, in order, with what each does: `inbox rules list` and /admin."""

from __future__ import annotations

from dataclasses import dataclass

from inbox.config import Settings
from ingest.classify import RULES as CLASSIFY_RULES
from ingest.extract import STEPS


@dataclass(frozen=True)
class RuleRow:
    stage: str  # "classify" or "extract"
    name: str
    kind: str  # what a classify rule decides, "subject rule", "step", or the field a field rule fills
    description: str
    indent: bool = False  # an admin's field rule, shown under the step that runs it (configured_patterns)


def rules_in_use(settings: Settings) -> list[RuleRow]:
    return [*_classify_rows(settings), *_extract_rows(settings)]


def _classify_rows(settings: Settings) -> list[RuleRow]:
    rows = []
    for name in settings.classify.rules:
        rule = CLASSIFY_RULES.get(name)
        rows.append(RuleRow("classify", name, rule.kind if rule else "affiliation",
                            rule.description if rule else "affiliation subject/body"))
    rows += [RuleRow("classify", "subject_pattern", "affiliation", pattern) for pattern in settings.classify.subject_patterns]
    rows += [RuleRow("classify", rule.name, "subject rule", f"{rule.description}: {rule.pattern}")
             for rule in settings.rules.subject]
    return rows


def _extract_rows(settings: Settings) -> list[RuleRow]:
    rows = []
    for name in settings.extract.steps:
        rows.append(RuleRow("extract", name, "step", STEPS[name].description))
        if name == "configured_patterns":
            rows += [RuleRow("extract", rule.name, rule.field, f"{rule.description}: {rule.pattern} ({rule.source})", indent=True)
                     for rule in settings.rules.field]
    return rows
