"""One call per corpus message: the spec (organisation, sender, contact, decision, text, client) in,
an `Example` (raw bytes + labels) out. Message-IDs, boundaries and dates derive from the file name."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from corpus_docs import Doc, decision_docx, decision_pdf
from mailgen.clients import gmail_message, iphone_message, outlook_message, thunderbird_message
from mailgen.documents import png
from mailgen.encoding import addr
from mailgen.model import BOARD, BOARD_NAME, CEST, CET, DOCX, SUBJECT, Decision, Example, File, Org, Person

TO_BOARD = f'"{BOARD}" <{BOARD}>'
TO_BOARD_NAMED = addr(BOARD_NAME, BOARD, "q")
LOGO_COLOURS = [((0, 84, 150), (230, 0, 40)), ((0, 110, 70), (250, 180, 0)), ((90, 30, 110), (0, 150, 200))]


def token(name: str, length: int = 24) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:length].upper()


def logo(name: str) -> tuple[bytes, str, str]:
    colour, accent = LOGO_COLOURS[int(token(name, 2), 16) % len(LOGO_COLOURS)]
    return png(160, 48, colour, accent), "image001.png", name


def decision_file(doc: Doc, decision: Decision) -> File:
    if decision.fmt == "docx":
        return File(decision.filename, decision_docx(doc, decision), DOCX)
    return File(decision.filename, decision_pdf(doc, decision))


def moment_for(name: str, decision: Decision | None, days_after: int = 6) -> datetime:
    base = decision.day if decision else datetime(2024, 5, 20).date()
    minutes = int(token(name, 4), 16) % 480
    start = datetime(base.year, base.month, base.day, 8, 0) + timedelta(days=days_after, minutes=minutes)
    return start.replace(tzinfo=CEST if start.month in range(4, 11) else CET)


def message(client: str, name: str, *, sender: Person, text: str, files: tuple[File, ...], subject: str,
            moment: datetime, **options) -> bytes:
    """Dispatch to the mailgen client shapes with deterministic ids."""
    tok = token(name)
    if client == "outlook":
        domain = sender.email.split("@")[1].upper().replace(".", "")
        return outlook_message(sender=sender, to=options.pop("to", TO_BOARD), subject=subject, moment=moment,
                               msgid=f"<{tok}@{domain}.PROD.OUTLOOK.COM>", token=tok, text=text,
                               attachments=files, origin=("EUR01-HE1-obe.outbound.protection.outlook.com",
                                                          "40.107.7.91"), **options)
    if client == "gmail":
        return gmail_message(sender=sender, to=options.pop("to", BOARD), subject=subject, moment=moment,
                             msgid=f"<CA{tok.lower()}@mail.gmail.com>", token=tok.lower()[:12], text=text,
                             attachments=files, **options)
    if client == "iphone":
        return iphone_message(sender=sender, to=BOARD, subject=subject, moment=moment,
                              msgid=f"<{tok[:8]}-{tok[8:12]}-{tok[12:16]}@{sender.email.split('@')[1]}>",
                              token=tok[:32], text=text, attachments=files)
    if client == "thunderbird":
        return thunderbird_message(sender=sender, to=BOARD, subject=subject, moment=moment,
                                   msgid=f"<{tok[:8].lower()}-{tok[8:12].lower()}@{sender.email.split('@')[1]}>",
                                   token=tok[:24], text=text, attachments=files,
                                   origin=(f"smtp.{sender.email.split('@')[1]}", "194.17.211.41"), **options)
    raise ValueError(client)


def affiliation(name: str, summary: str, *, org: Org, sender: Person, contact: Person | None, text: str,
                decision: Decision | None = None, doc: Doc | None = None, client: str = "outlook",
                subject: str = SUBJECT, extra_files: tuple[File, ...] = (), with_logo: bool = False,
                **options) -> Example:
    files = (decision_file(doc, decision),) if decision and doc else ()
    files = extra_files + files if options.pop("extra_first", False) else files + extra_files
    if with_logo:
        options["logo"] = logo(org.name)
    raw = message(client, name, sender=sender, text=text, files=files, subject=subject,
                  moment=options.pop("moment", None) or moment_for(name, decision), **options)
    missing = (["decision"] if decision is None else []) + (["contact"] if contact is None else [])
    return Example(name, summary, "affiliation", subject, sender.email, raw, org, decision, contact, missing)
