"""The defaults of [classify] rules, subject_patterns and [extract] steps: data, nothing more.

The ground holds the names a configuration gets when it says nothing, so that config.py need
not import the services that implement them. ingest/ owns the rules and steps themselves and
checks every configured name against its own registries where the pipeline is built
(ingest/pipeline_config.py); tests/unit/test_pipeline_config.py keeps these lists equal to
those registries, so a rule or step added there and forgotten here fails a test.
"""

from __future__ import annotations

# Every built-in classification rule, in the order they run (ingest/classify/rules.py, then the
# two affiliation rules of ingest/classify/__init__.py).
DEFAULT_RULES: tuple[str, ...] = (
    "auto_submitted", "precedence_auto_reply", "autoreply_headers", "outlook_suppress_with_prefix", "autoreply_subject",
    "read_receipt", "delivery_report", "null_return_path_daemon", "daemon_sender", "bounce_subject",
    "authentication_failed", "mailing_list", "bulk_precedence", "noreply_sender", "loop_header", "automatic_submission",
    "affiliation_subject", "affiliation_body",
)

# Matched against the subject after Re:/SV:/VB: prefixes are removed, case folded and
# diacritics dropped (ä -> a), so patterns are written lower-case without å/ä/ö.
DEFAULT_SUBJECT_PATTERNS: tuple[str, ...] = (
    r"\bans?lu\w*\b.{0,60}\bjamstalldhets\s*-?\s*strategi",
    r"\bjamstalldhets\s*-?\s*strategi\w*\b.{0,40}\bans?lut",
)

# Every built-in extraction step, in the order they run (ingest/extract/steps.py).
DEFAULT_STEPS: tuple[str, ...] = (
    "decision_document", "configured_patterns", "decision_fields", "decision_in_body", "contact_labelled",
    "contact_prose", "contact_signature", "organisation_name", "org_number", "organisation_type", "missing_parts",
    "score_fields", "review_low_confidence",
)
