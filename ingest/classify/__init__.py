"""Classification: every rule runs and records why; one `decide` picks the kind.

Priority: bounce > auto_reply > affiliation > other, so an out-of-office whose
subject contains the affiliation phrase is an auto-reply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inbox.pipeline_defaults import DEFAULT_RULES, DEFAULT_SUBJECT_PATTERNS
from ingest.classify.result import Classification, Kind
from ingest.classify.rules import RULE_LIST, Rule, normalise, strip_prefixes
from ingest.message import ParsedMail
from ingest.pipeline_config import compile_subject_patterns  # where the configured patterns are checked

if TYPE_CHECKING:  # the context is built above the services; they only read it
    from inbox.context import AppContext

RULES: dict[str, Rule] = {rule.name: rule for rule in RULE_LIST}
AFFILIATION_RULES = ("affiliation_subject", "affiliation_body")
# DEFAULT_RULES (every rule here, in this order) and DEFAULT_SUBJECT_PATTERNS are configuration
# defaults, kept at the ground (inbox/pipeline_defaults.py) so that config.py imports no service.
BODY_PATTERN = re.compile(r"\bansl[uö]t\w*\b.{0,120}\bjamstalldhetsstrategi|\bjamstalldhetsstrategi\w*\b.{0,120}\banslut", re.S)
# The kind a message gets when several rules hit; a message no rule claims is "other".
KIND_PRIORITY: tuple[Kind, ...] = ("bounce", "auto_reply", "affiliation")


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    reasons: tuple[str, ...]
    reply_blockers: tuple[str, ...]

    @property
    def classification(self) -> Classification:
        return Classification(self.kind, self.reasons)


__all__ = ["AFFILIATION_RULES", "DEFAULT_RULES", "DEFAULT_SUBJECT_PATTERNS", "RULES", "Verdict", "classify",
           "compile_subject_patterns", "decide", "subject_patterns_for", "unknown_rules"]


def unknown_rules(names: Iterable[str]) -> list[str]:
    return [n for n in names if n not in RULES and n not in AFFILIATION_RULES]


def classify(mail: ParsedMail, *, rules: Sequence[str] = DEFAULT_RULES, subject_patterns: Sequence[re.Pattern] | None = None) -> Verdict:
    patterns = subject_patterns if subject_patterns is not None else compile_subject_patterns(DEFAULT_SUBJECT_PATTERNS)
    hits: list[tuple[str, str, str]] = []  # (kind, rule, why)
    for name in rules:
        if name in RULES:
            why = RULES[name].check(mail)
            if why:
                hits.append((RULES[name].kind, RULES[name].prefix, why))
    subject = normalise(strip_prefixes(mail.subject))
    if "affiliation_subject" in rules and any(p.search(subject) for p in patterns):
        hits.append(("affiliation", "affiliation_subject", "subject names the affiliation"))
    if "affiliation_body" in rules and mail.attachments and BODY_PATTERN.search(normalise(mail.text)):
        hits.append(("affiliation", "affiliation_body", "body says it joins the strategy and has an attachment"))
    return decide(hits)


def decide(hits: list[tuple[str, str, str]]) -> Verdict:
    kinds = {kind for kind, _, _ in hits}
    kind: Kind = next((k for k in KIND_PRIORITY if k in kinds), "other")
    reasons = tuple(f"{rule}: {why}" for k, rule, why in hits if k != "blocker")
    blockers = tuple(f"{rule}: {why}" for k, rule, why in hits if k == "blocker")
    return Verdict(kind=kind, reasons=reasons, reply_blockers=blockers)


def subject_patterns_for(ctx: AppContext) -> list[re.Pattern]:
    """The context's compiled subject patterns (config and rules file), compiled once."""
    return ctx.memo("subject_patterns", lambda: compile_subject_patterns(ctx.settings.subject_patterns()))
