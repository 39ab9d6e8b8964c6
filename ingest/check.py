"""`inbox check`: classification and extraction of one message file, no database, nothing sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inbox.config import Settings
from ingest.classify import classify, compile_subject_patterns
from ingest.extract import KnownOrganisations, extract_configured
from ingest.extract.result import Extraction
from ingest.large_parts import parse_lean


def check_file(path: Path, settings: Settings) -> dict:
    """The public JSON shape (README, "The check JSON"); extra keys: authentication, reasons, reply_blockers, notes."""
    return check_bytes(path.read_bytes(), settings)


def check_bytes(raw: bytes, settings: Settings) -> dict:
    """check_file on a message already read (the workspace's upload, in its child process)."""
    # parse_lean, as the pipeline does: large parts decoded once and deep attached mails handed
    # over whole, so a person's `inbox check` on a bomb has the pipeline's memory bounds.
    mail = parse_lean(raw, authserv_ids=settings.service.authserv_ids)
    verdict = classify(
        mail, rules=settings.classify.rules,
        subject_patterns=compile_subject_patterns(settings.subject_patterns()),
    )
    extraction = Extraction()
    if verdict.kind == "affiliation":
        known = KnownOrganisations.load(settings.shipped_path(settings.extract.known_organisations))
        extraction = extract_configured(mail, settings, known)
    result: dict[str, Any] = {"kind": verdict.kind, "subject": mail.subject, "sender": mail.sender}
    result.update(extraction.model_dump(mode="json", exclude={"notes"}))
    result["authentication"] = {**mail.auth.as_json(), "summary": mail.auth.summary()}
    result["reasons"] = list(verdict.reasons)
    result["reply_blockers"] = list(verdict.reply_blockers)
    result["notes"] = [*mail.notes, *extraction.notes]
    return result
