"""Extraction steps: small named units that fill what is still empty and note what they did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.extract import fields as f
from ingest.extract.body_decision import decision_in_body
from ingest.extract.choose import choose_decision
from ingest.extract.confidence import review_low_confidence, score_fields
from ingest.extract.configured import configured_patterns
from ingest.extract.contact_steps import contact_labelled, contact_prose, contact_signature
from ingest.extract.known import KnownOrganisations
from ingest.extract.limits import DocumentLimits, Reading
from ingest.extract.organisation import org_number, organisation_name, organisation_type
from ingest.extract.result import Extraction
from ingest.message import ParsedMail


@dataclass
class ExtractionContext:
    mail: ParsedMail
    known: KnownOrganisations
    result: Extraction = field(default_factory=Extraction)
    decision_text: str = ""
    evidence: dict[str, str] = field(default_factory=dict)  # field -> how a step found it; read by score_fields
    limits: DocumentLimits = field(default_factory=DocumentLimits)  # size, pages, OCR time ([extract])
    rules: tuple = ()  # the admin's field rules (inbox.rules_file.FieldRule), see configured.py
    review_below: float = 0.7  # [extract] review_below: fields scored lower are listed for a person

    @property
    def body(self) -> str:
        return self.mail.text.replace("\r\n", "\n")

    def note(self, step: str, text: str) -> None:
        self.result.notes.append(f"{step}: {text}")


@dataclass(frozen=True)
class Step:
    name: str
    description: str
    run: Callable[[ExtractionContext], None]

    def __call__(self, ctx: ExtractionContext) -> None:
        self.run(ctx)


def decision_document(ctx: ExtractionContext) -> None:
    # Chosen by content among every attachment and what containers hold (choose.py); an inline
    # signature logo is never OCR'd. A Content-ID alone proves nothing: Gmail gives every
    # attachment one. Limits come from extract(limits=...); anything not read is flagged.
    reading = Reading(ctx.limits)
    choice = choose_decision(ctx.mail.attachments, reading)
    for note in reading.notes:
        ctx.note("decision_document", note)
    for problem in reading.problems:
        ctx.result.flag("decision", problem)
    if choice is None:
        ctx.note("decision_document", "no attachment reads as a decision")
        return
    ctx.decision_text = choice.text
    d = ctx.result.decision
    d.present, d.filename, d.text_source = True, choice.filename, choice.text_source
    via = f" in {choice.via}" if choice.via and choice.via != choice.filename else ""
    ctx.note("decision_document", f"{choice.filename}{via} ({choice.text_source or 'not read'}, score {choice.score})")


def decision_fields(ctx: ExtractionContext) -> None:
    text, d = ctx.decision_text, ctx.result.decision
    if not text:
        return
    d.decided_by = d.decided_by or f.find_deciding_body(text)
    d.date = d.date or f.find_date(text)
    d.paragraph = d.paragraph or f.find_paragraph(text, cited_in=ctx.body)
    d.case_number = d.case_number or f.find_case_number(text)
    label = f.DATE_LABEL.search(text)
    labelled_date = label and f.parse_date(text[label.end():][:40])
    ctx.evidence["decision.date"] = "labelled" if labelled_date == d.date else "first date"
    ctx.note("decision_fields", f"{d.decided_by}, {d.date}, {d.paragraph}, {d.case_number}")


# The contact and organisation steps live in their own modules; their names are listed below.


def missing_parts(ctx: ExtractionContext) -> None:
    r = ctx.result
    if r.contact.email and ctx.known.is_own_address(r.contact.email):
        ctx.note("missing_parts", f"{r.contact.email} is the board's own address (quoted mail); not a contact")
        r.contact.email = None
    r.missing = []
    if not r.decision.present:
        r.missing.append("decision")
    if not (r.contact.name and (r.contact.email or r.contact.phone)):
        r.missing.append("contact")


STEP_LIST = (
    Step("decision_document", "choose the decision attachment by its content", decision_document),
    Step("configured_patterns", "the admin's field rules from rules.toml; they run first, so they win", configured_patterns),
    Step("decision_fields", "deciding body, date, § and case number from the decision text", decision_fields),
    Step("decision_in_body", "no decision attached: one stated in the mail (who decided to join, and when)",
         decision_in_body),
    Step("contact_labelled", "contact person from a 'Kontaktperson:' line or a labelled list", contact_labelled),
    Step("contact_prose", "contact person named in a sentence ('Kontaktperson är ...', 'Jag är kontaktperson')",
         contact_prose),
    Step("contact_signature", "contact person from the sender's signature; missing details of the named contact",
         contact_signature),
    Step("organisation_name", "organisation from the decision, the text or the sender's domain", organisation_name),
    Step("org_number", "Luhn-checked org number, never the board's own", org_number),
    Step("organisation_type", "type from the org-number prefix, else from the name", organisation_type),
    Step("missing_parts", "what the affiliation still lacks", missing_parts),
    Step("score_fields", "a confidence 0..1 per field from how it was found", score_fields),
    Step("review_low_confidence", "list fields below the review threshold for a person's look", review_low_confidence),
)
