"""Extraction: named steps, listed in config, fill an `Extraction` from one message."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from inbox.pipeline_defaults import DEFAULT_STEPS
from ingest.extract.known import KnownOrganisation, KnownOrganisations
from ingest.extract.limits import DocumentLimits
from ingest.extract.result import Extraction
from ingest.extract.steps import STEP_LIST, ExtractionContext, Step
from ingest.message import ParsedMail

if TYPE_CHECKING:  # the context is built above the services; they only read it
    from inbox.context import AppContext

STEPS: dict[str, Step] = {step.name: step for step in STEP_LIST}
# DEFAULT_STEPS (every step here, in this order) is a configuration default kept at the ground.


def unknown_steps(names: Iterable[str]) -> list[str]:
    return [n for n in names if n not in STEPS]


def extract(mail: ParsedMail, *, steps: Sequence[str] = DEFAULT_STEPS, known: KnownOrganisations | None = None,
            limits: DocumentLimits | None = None, rules: Sequence = (), review_below: float = 0.7) -> Extraction:
    """Run the steps in order. `limits` bound the reading of attachments (size, pages, OCR time,
    ZIP); None means the defaults of config.toml's [extract]. `rules` are the admin's field
    rules (inbox.rules_file.FieldRule), run by the configured_patterns step."""
    ctx = ExtractionContext(mail=mail, known=known or KnownOrganisations.default(),
                            limits=limits or DocumentLimits(), rules=tuple(rules), review_below=review_below)
    for name in steps:
        STEPS[name](ctx)
    return ctx.result


def extract_configured(mail: ParsedMail, settings, known: KnownOrganisations) -> Extraction:
    """`extract` with everything the configuration says (inbox.config.Settings): steps, limits,
    the admin's field rules and the review threshold. The pipeline and `inbox check` both use it."""
    section = settings.extract
    return extract(mail, steps=section.steps, known=known, limits=DocumentLimits.from_settings(section),
                   rules=settings.rules.field, review_below=section.review_below)


__all__ = ["DEFAULT_STEPS", "STEPS", "DocumentLimits", "Extraction", "KnownOrganisation", "KnownOrganisations", "extract",
           "extract_configured", "unknown_steps"]


def known_organisations_for(ctx: AppContext) -> KnownOrganisations:
    """The context's list of known organisations (data/organisations.toml or the configured file), loaded once."""
    path = ctx.settings.shipped_path(ctx.settings.extract.known_organisations)
    return ctx.memo("known_organisations", lambda: KnownOrganisations.load(path))
