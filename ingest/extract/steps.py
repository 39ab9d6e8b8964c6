"""Extraction steps: small named units that fill what is still empty and note what they did."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.extract import fields as f
from ingest.extract.documents import document_text
from ingest.extract.known import KnownOrganisations
from ingest.extract.result import Extraction
from ingest.message import ParsedMail

KEYWORDS = ("protokoll", "protokollsutdrag", "beslut", "justera", "§", "anslut", "jämställdhetsstrategi", "sammanträde")
GREETING = re.compile(r"^\s*(med vänlig(a)? hälsning(ar)?|vänliga hälsningar|vänlig hälsning|hälsningar|mvh|bästa hälsningar)\b", re.I | re.M)
ORG_NAME = re.compile(r"\b([A-ZÅÄÖ][\wåäöÅÄÖ\-]+(?:\s[A-ZÅÄÖ][\wåäöÅÄÖ\-]+)?\s(?:kommun|stad)|Region\s[A-ZÅÄÖ][\wåäö]+|"
                      r"[A-ZÅÄÖ][\w&åäöÅÄÖ\-]*(?:\s[\w&åäöÅÄÖ\-]+){0,4}\sAB|"
                      r"(?:Föreningen|Stiftelsen|Förbundet)\s[\wåäöÅÄÖ\-]+(?:\s[\wåäöÅÄÖ\-]+){0,3})\b")
NAME = re.compile(r"^[A-ZÅÄÖÉ][a-zåäöéü\-]+(?:\s[A-ZÅÄÖÉ][a-zåäöéü\-]+){1,2}$")


@dataclass
class ExtractionContext:
    mail: ParsedMail
    known: KnownOrganisations
    result: Extraction = field(default_factory=Extraction)
    decision_text: str = ""

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
    best = None
    for att in ctx.mail.attachments:
        # Only PDF/DOCX/ODT text counts, so an inline signature logo (image001.png) is never the
        # decision; a Content-ID alone proves nothing: Gmail gives every attachment one.
        doc = document_text(att)
        if doc is None:
            continue
        lowered = doc.text.lower()
        score = sum(lowered.count(word) for word in KEYWORDS)
        if score and (best is None or score > best[0]):
            best = (score, att, doc)
    if best is None:
        ctx.note("decision_document", "no attachment reads as a decision")
        return
    _, att, doc = best
    ctx.decision_text = doc.text
    d = ctx.result.decision
    d.present, d.filename, d.text_source = True, att.filename, doc.text_source
    ctx.note("decision_document", f"{att.filename} (score {best[0]})")


def decision_fields(ctx: ExtractionContext) -> None:
    text, d = ctx.decision_text, ctx.result.decision
    if not text:
        return
    d.decided_by = d.decided_by or f.find_deciding_body(text)
    d.date = d.date or f.find_date(text)
    d.paragraph = d.paragraph or f.find_paragraph(text)
    d.case_number = d.case_number or f.find_case_number(text)
    ctx.note("decision_fields", f"{d.decided_by}, {d.date}, {d.paragraph}, {d.case_number}")


LABELS = {"name": r"namn", "title": r"titel|befattning|roll", "email": r"e-?post|mejl|mail|e-mail", "phone": r"telefon|tel|mobil|mobilnummer"}


def contact_labelled(ctx: ExtractionContext) -> None:
    c = ctx.result.contact
    if c.name:
        return
    line = re.search(r"kontaktperson[^:\n]{0,30}:\s*(.+)", ctx.body, re.I)
    if line and line.group(1).strip():
        parts = [p.strip() for p in re.split(r",|;|\s–\s|\s-\s", line.group(1)) if p.strip()]
        if parts and NAME.match(parts[0]):
            c.name = parts[0]
            c.title = next((p for p in parts[1:] if "@" not in p and not re.search(r"\d{3}", p)), None)
    block = ctx.body[line.start():] if line else ctx.body
    for key, label in LABELS.items():
        found = re.search(rf"^\s*(?:{label})\s*:\s*(.+)$", block, re.I | re.M)
        if found and getattr(c, key) is None:
            setattr(c, key, found.group(1).strip())
    if line:
        tail = ctx.body[line.start():line.start() + 400]
        c.email = f.normalise_email(c.email or tail)
        c.phone = f.normalise_phone(c.phone or tail)
    elif c.email or c.phone:
        c.email, c.phone = f.normalise_email(c.email or ""), f.normalise_phone(c.phone or "")
    if c.name:
        c.source = "labelled"
        ctx.note("contact_labelled", f"{c.name}")


def contact_signature(ctx: ExtractionContext) -> None:
    c = ctx.result.contact
    if c.name:
        return
    greeting = GREETING.search(ctx.body)
    if not greeting:
        return
    lines = [ln.strip() for ln in ctx.body[greeting.end():].split("\n") if ln.strip()][:8]
    if not lines or not NAME.match(lines[0]):
        return
    block = "\n".join(lines)
    c.name = lines[0]
    c.title = lines[1] if len(lines) > 1 and not re.search(r"\d|@|kommun|stad|region", lines[1], re.I) else None
    c.email = f.normalise_email(block) or (ctx.mail.sender if ctx.mail.sender_name and c.name in ctx.mail.sender_name else None)
    c.phone = f.normalise_phone(block)
    c.source = "signature"
    ctx.note("contact_signature", c.name)


def organisation_name(ctx: ExtractionContext) -> None:
    o = ctx.result.organisation
    for source, text in (("decision", ctx.decision_text), ("text", ctx.body)):
        known = ctx.known.by_name(text)
        m = ORG_NAME.search(text)
        name = known.name if known else (m.group(1) if m else None)
        if name and "Länsstyrelsen" not in name:
            o.name, o.source = name, source
            ctx.note("organisation_name", f"{name} from {source}")
            return
    domain = (ctx.mail.sender or "").rpartition("@")[2]
    known = ctx.known.by_domain(domain)
    if known and not known.self:
        o.name, o.source, o.type = known.name, "domain", known.type
        o.org_number = o.org_number or known.org_number
        ctx.note("organisation_name", f"{known.name} from the domain {domain}")


def org_number(ctx: ExtractionContext) -> None:
    o = ctx.result.organisation
    valid, invalid = f.find_org_numbers(f"{ctx.decision_text}\n{ctx.body}")
    for bad in invalid:
        ctx.note("org_number", f"{bad} fails the Luhn check; not used")
    ours = ctx.known.own_numbers()
    mine = [n for n in valid if n not in ours]
    if mine and not o.org_number:
        o.org_number = mine[0]


def organisation_type(ctx: ExtractionContext) -> None:
    o = ctx.result.organisation
    prefix_type = _type_from_number(o.org_number) if o.org_number else None
    o.type = prefix_type or o.type or _type_from_name(o.name or "")


def _type_from_number(number: str) -> str | None:
    for prefix, kind in (("2120", "kommun"), ("2321", "region"), ("2021", "statlig_myndighet"), ("55", "naringsliv"),
                         ("7", "civilsamhalle"), ("8", "civilsamhalle")):
        if number.startswith(prefix):
            return kind
    return None


def _type_from_name(name: str) -> str | None:
    lowered = name.lower()
    for words, kind in ((("kommun", " stad"), "kommun"), (("region ",), "region"),
                        (("myndighet", "verket", "länsstyrelsen", "arbetsförmedlingen", "försäkringskassan", "skatteverket", "kriminalvården"), "statlig_myndighet"),
                        ((" ab",), "naringsliv"), (("förening", "förbund", "stiftelse"), "civilsamhalle")):
        if any(w in f" {lowered}" for w in words):
            return kind
    return None


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
    Step("decision_fields", "deciding body, date, § and case number from the decision text", decision_fields),
    Step("contact_labelled", "contact person from a 'Kontaktperson:' line or a labelled list", contact_labelled),
    Step("contact_signature", "contact person from the sender's signature", contact_signature),
    Step("organisation_name", "organisation from the decision, the text or the sender's domain", organisation_name),
    Step("org_number", "Luhn-checked org number, never the board's own", org_number),
    Step("organisation_type", "type from the org-number prefix, else from the name", organisation_type),
    Step("missing_parts", "what the affiliation still lacks", missing_parts),
)
