"""A confidence 0..1 per extracted field, from how it was found, and the review list below a threshold.

The numbers are judgements, not probabilities: a value under a label ("Kontaktperson:", "Dnr",
"Sammanträdesdatum") is trusted most, a sentence less, a signature or a guess from the sender less
again, and anything read through OCR loses a further share because characters may be misread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.extract.steps import ExtractionContext

BY_SOURCE = {"labelled": 0.95, "prose": 0.85, "signature": 0.75, "sender": 0.6}
DECISION_TEXT = {"pdf_text": 0.95, "docx": 0.95, "odt": 0.95, "body": 0.8, "ocr": 0.8}
# The sender's own address is reliable for a contact who is the sender; a name only from the
# From header (no signature, no text) is not.
SENDER_FIELD = {"contact.email": 0.85}
# The applicant naming itself (letterhead, the name beside its org number, its minutes' heading,
# the joining sentence, its signature) before a name merely mentioned (known or by pattern).
ORGANISATION = {"decision:letterhead": 0.95, "decision:org_number": 0.95, "decision:minutes": 0.9,
                "decision:joining": 0.9, "text:org_number": 0.9, "text:signature": 0.8, "text:joining": 0.8,
                "domain": 0.8, "decision:known": 0.85, "decision:pattern": 0.8, "text:known": 0.8, "text:pattern": 0.75}


RULE = 0.9


def score_fields(ctx: ExtractionContext) -> None:
    r, ev = ctx.result, ctx.evidence
    scores: dict[str, float] = {}
    document = DECISION_TEXT.get(r.decision.text_source or "", 0.8)
    for key in ("decided_by", "paragraph", "case_number"):
        if getattr(r.decision, key):
            scores[f"decision.{key}"] = document
    if r.decision.date:
        scores["decision.date"] = document * (1.0 if ev.get("decision.date") == "labelled" else 0.8)
    for key in ("name", "title", "email", "phone"):
        if getattr(r.contact, key):
            source = ev.get(f"contact.{key}", "")
            scores[f"contact.{key}"] = SENDER_FIELD.get(f"contact.{key}", 0.6) if source == "sender" else \
                BY_SOURCE.get(source, 0.6)
    if r.contact.phone and _switchboard_only(ctx):
        scores["contact.phone"] = 0.5
    if r.organisation.name:
        scores["organisation.name"] = ORGANISATION.get(ev.get("organisation.name", ""), 0.6)
    if r.organisation.org_number:
        scores["organisation.org_number"] = 0.95  # Luhn-checked
    if r.organisation.type:
        scores["organisation.type"] = 0.95 if ev.get("organisation.type") == "number" else 0.85
    for key, how in ev.items():
        if how.startswith("rule:") and key in scores:
            scores[key] = RULE  # an admin's rule for exactly this field
    r.confidence = {k: round(v, 2) for k, v in scores.items()}


def _switchboard_only(ctx: ExtractionContext) -> bool:
    """A number that is only the organisation's switchboard does not reach the contact directly."""
    from ingest.extract import fields as f

    return any(number == ctx.result.contact.phone and switchboard for number, switchboard in f.find_phones(ctx.body))


def review_low_confidence(ctx: ExtractionContext) -> None:
    threshold = ctx.review_below
    for field, score in sorted(ctx.result.confidence.items()):
        if score < threshold:
            ctx.result.flag(field, f"confidence {score:.2f} is below {threshold:.2f}")
    decision = ctx.result.decision
    if decision.present and ctx.decision_text:  # read, yet a field of every protocol is not there
        for key in ("decided_by", "date", "paragraph"):
            if not getattr(decision, key):
                ctx.result.flag(f"decision.{key}", f"not found in the decision's text ({decision.text_source})")
