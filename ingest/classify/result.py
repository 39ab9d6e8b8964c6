"""What classification returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["affiliation", "auto_reply", "bounce", "other"]


@dataclass(frozen=True)
class Classification:
    kind: Kind
    reasons: tuple[str, ...] = field(default_factory=tuple)  # "rule_name: why", every rule that matched
