"""Second held-out set: 30 affiliation messages written without reading the extractor.

    .venv/bin/python tests/heldout2/make_heldout2.py    # writes tests/heldout2/mail/*.eml and expected.json

Weighted to what the first set (tests/heldout/) had least of: companies (AB, "X i Västerås AB",
"Bostads AB Mimer", holding and subsidiary), associations and civil society (föreningar, stiftelser,
studieförbund, idrottsförbund, trossamfund), affiliations with no attachment (the decision in the
body), contacts given only in a signature, long titles, and organisation names that contain other
organisations' names (Sala Sparbank / Sala kommun, Fagerstahem AB / Fagersta kommun, Västerås Stads
Parkerings AB / Västerås stad, Västerås Stadsmission, Kungsörs KommunTeknik AB, ...). Client shapes:
Outlook (HTML, quoted reply, inline forward, logo), iPhone, Gmail, Apple Mail, Thunderbird, Roundcube.
Three incomplete mails. All people, phone numbers (mobiles in the fiction range 070-174 06 xx),
org numbers and decisions are invented; org numbers get their Luhn check digit from
`mailgen.model.org_number`, so they are valid.

Labels are what a careful registrar would record. Where the README's contract is ambiguous, these
readings were chosen:

1. Organisation: the legal entity that joins, named as in its own letterhead or decision. A
   committee's (nämnd's) decision is the municipality's affiliation. A subsidiary deciding for
   itself is the subsidiary; a holding company deciding for its whole group is the holding.
2. Type follows the legal form: every aktiebolag is `naringsliv`, also when a municipality owns it
   (Fagerstahem AB, Köpings Bostads AB, Mälarenergi AB ...); associations, foundations, study
   associations, sports federations and religious communities (also a Svenska kyrkan pastorat)
   are `civilsamhalle`.
3. org_number: only when the mail or its attachment states the organisation's *own* number;
   numbers of subsidiaries or owners named in the text are not it.
4. A decision quoted or stated in the body with the organ that decided and its date is a present
   decision: filename null, text_source "body". A decision announced for a later meeting is missing.
5. Contact: the person named as contact. When none is named otherwise, the sender who signs with
   personal details is the contact (one mail, 03, says nothing at all: the registrar would still
   call the signer). A functional mailbox with no person and "we will name someone later" is
   a missing contact.
6. Title: as written for that person (a signature's first title line; a long title in full).
   Phone: the contact's first personal number as written (direct line or mobile), never a
   switchboard (växel); E.164. E-mail addresses in lower case (as the examples' labels).
7. decided_by: the organ as the document names it, definite form, capitalised ("Styrelsen",
   "Förbundsstyrelsen", "Avdelningsstyrelsen", "Kyrkorådet", "Församlingsmötet", "Årsmötet",
   "Koncernledningen", "Ledningsgruppen", "Verkställande direktören", "Vård- och omsorgsnämnden").
8. paragraph: "§ N" also when written "§N" or "Paragraf N"; null when the decision has none.
   case_number: as written after Dnr/Diarienummer/Ärendenummer, without that word; else null.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "examples"))

from mailgen.clients import gmail_message, outlook_message, part, received, thunderbird_message, to_bytes  # noqa: E402
from mailgen.encoding import addr, apple_subject, b64, enc_auto, qp, rfc2231, rfc2822_date, single_q  # noqa: E402
from mailgen.model import CEST, CET, File, Person, e164, luhn_ok, org_number  # noqa: E402

from tests.documents import _page_image, decision_docx, decision_odt, font_path, logo_png, scanned_image  # noqa: E402

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TO = "vastmanland@lansstyrelsen.se"
SUBJECT = "Anslutning till jämställdhetsstrategin"

# Org numbers (first nine digits; the check digit is computed).
ON = {name: org_number(nine) for name, nine in {
    "parkering": "556183214", "fagerstahem": "556040572", "kbab": "556044118", "kkt": "556565302",
    "nordmark": "559214077", "mvg": "559087315", "svets": "556321840", "plat": "556410267",
    "abf": "802003619", "idrott": "817600124", "pastorat": "252004312", "equmenia": "817500448",
    "kvinnojouren": "802432170", "stadsmission": "882000573", "museum": "883200146", "hbk": "819000382",
    "boj": "802417655", "sv": "802005231", "nmv": "556312906", "malarenergi": "556554132",
    "vasteras": "212000206", "frida": "802540883", "skbtra": "556771459", "sheab": "556575110",
    "somaliska": "802500917", "elektro": "556720683", "ridklubb": "818000274", "mimer": "556032481",
    "hallstahem": "556048795",
}.items()}


# ---------------------------------------------------------------- documents (byte-stable)

def minutes_pdf(head_left: list[str], head_right: list[str], lines: list[str], footer: str | None = None) -> bytes:
    """A protocol extract: a two-column header, '# ' bold heading, '## ' bold paragraph title, a footer."""
    from fpdf import FPDF

    class Doc(FPDF):
        def header(self):
            self.set_font("DejaVu", "B", 12)
            y0 = self.get_y()
            for line in head_left:
                self.cell(95, 6, line, new_x="LMARGIN", new_y="NEXT")
                self.set_font("DejaVu", size=10)
            self.set_xy(115, y0)
            self.set_font("DejaVu", size=9)
            for line in head_right + [f"Sida {self.page_no()} ({{nb}})"]:
                self.set_x(115)
                self.cell(80, 5, line, new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), y0 + 6 * len(head_left)) + 4)
            self.line(15, self.get_y(), 195, self.get_y())
            self.ln(6)

        def footer(self):
            if footer:
                self.set_y(-22)
                self.line(15, self.get_y(), 195, self.get_y())
                self.set_font("DejaVu", size=8)
                self.multi_cell(0, 4, footer)

    pdf = Doc(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.alias_nb_pages("{nb}")
    pdf.set_creation_date(datetime(2024, 5, 1, tzinfo=CEST))
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.add_font("DejaVu", "B", fname=str(font_path().with_name("DejaVuSans-Bold.ttf")))
    pdf.add_page()
    for line in lines:
        if line.startswith("## "):
            pdf.set_font("DejaVu", "B", 11)
            pdf.multi_cell(0, 6, line[3:], new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("# "):
            pdf.set_font("DejaVu", "B", 14)
            pdf.multi_cell(0, 8, line[2:], new_x="LMARGIN", new_y="NEXT")
        elif not line:
            pdf.ln(3)
        else:
            pdf.set_font("DejaVu", size=10.5)
            pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def plain_pdf(text: str) -> bytes:
    """A one-page typed PDF (a company's or association's own minutes), with a fixed creation date."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2024, 5, 1, tzinfo=CEST))
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def scan_pdf(text: str) -> bytes:
    """An image-only PDF as an office copier makes it (fixed dates, so the bytes are stable)."""
    image = _page_image(text).convert("RGB")
    out = io.BytesIO()
    stamp = time.strptime("2024-02-22", "%Y-%m-%d")
    image.save(out, "PDF", resolution=200.0, creationDate=stamp, modDate=stamp)
    return out.getvalue()


def stable_zip(data: bytes) -> bytes:
    """Rewrite a ZIP (DOCX/ODT) with fixed timestamps, same order and compression."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def docx(text: str) -> bytes:
    return stable_zip(decision_docx(text))


def odt(text: str) -> bytes:
    return stable_zip(decision_odt(text))


# ---------------------------------------------------------------- client shapes not in mailgen.clients

def iphone(*, sender: Person, subject: str, moment: datetime, msgid: str, token: str, text: str,
           origin: tuple[str, str], attachments: tuple[File, ...] = ()) -> bytes:
    """iPhone Mail: text/plain alone, or mixed(text, file, 'Skickat från min iPhone')."""
    head = [
        ("Return-Path", f"<{sender.email}>"),
        received("mx1.lansstyrelsen.se", origin[0], origin[1], moment + timedelta(seconds=4), token[:10]),
    ]
    tail = [
        ("From", addr(sender.name, sender.email)),
        ("Mime-Version", "1.0 (1.0)"),
        ("Date", rfc2822_date(moment)),
        ("Subject", apple_subject(subject)),
        ("Message-Id", msgid),
        ("To", TO),
        ("X-Mailer", "iPhone Mail (21G93)"),
    ]
    if not attachments:
        top = part(head + [("Content-Type", "text/plain;\n\tcharset=utf-8"),
                           ("Content-Transfer-Encoding", "quoted-printable")] + tail,
                   qp(text + "\n\nSkickat från min iPhone\n", "utf-8"))
        return to_bytes(top)
    parts = [part([("Content-Type", "text/plain;\n\tcharset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable")],
                  qp(text + "\n\n", "utf-8"))]
    for f in attachments:
        name = f.filename if f.filename.isascii() else single_q(f.filename, "utf-8")
        parts.append(part([("Content-Type", f'{f.ctype};\n\tname="{name}"'),
                           ("Content-Disposition", f'attachment;\n\tfilename="{name}"'),
                           ("Content-Transfer-Encoding", "base64")], b64(f.data)))
    parts.append(part([("Content-Type", "text/plain;\n\tcharset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable")],
                      qp("\n\nSkickat från min iPhone", "utf-8")))
    top = part(head + [("Content-Type", f"multipart/mixed; boundary=Apple-Mail-{token}"),
                       ("Content-Transfer-Encoding", "7bit")] + tail, parts)
    return to_bytes(top)


def apple_mail(*, sender: Person, subject: str, moment: datetime, msgid: str, token: str, text: str,
               attachment: File, split_at: str, origin: tuple[str, str]) -> bytes:
    """Apple Mail on macOS: alternative(plain, mixed(html, the file inline, html))."""
    import html as h
    before, _, after = text.partition(split_at)
    before += split_at

    def to_html(block: str) -> str:
        return "".join(f"<div>{h.escape(line)}</div>" if line.strip() else "<div><br></div>" for line in block.split("\n"))

    head = ('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
            '<body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">')
    name = attachment.filename if attachment.filename.isascii() else single_q(attachment.filename, "utf-8")
    mixed = part([("Content-Type", f'multipart/mixed;\n\tboundary="Apple-Mail=_{token}-M"')], [
        part([("Content-Transfer-Encoding", "quoted-printable"), ("Content-Type", "text/html;\n\tcharset=utf-8")],
             qp(head + to_html(before) + "<div></div></body></html>", "utf-8")),
        part([("Content-Disposition", f'inline;\n\tfilename="{name}"'),
              ("Content-Type", f'{attachment.ctype};\n\tx-unix-mode=0644;\n\tname="{name}"'),
              ("Content-Transfer-Encoding", "base64")], b64(attachment.data)),
        part([("Content-Transfer-Encoding", "quoted-printable"), ("Content-Type", "text/html;\n\tcharset=utf-8")],
             qp(head + to_html(after) + "</body></html>", "utf-8")),
    ])
    plain = part([("Content-Transfer-Encoding", "quoted-printable"), ("Content-Type", "text/plain;\n\tcharset=utf-8")],
                 qp(before + "\n\n" + after + "\n", "utf-8"))
    top = part([
        ("Return-Path", f"<{sender.email}>"),
        received("mx1.lansstyrelsen.se", origin[0], origin[1], moment, token[:10]),
        ("From", addr(sender.name, sender.email, "q")),
        ("Content-Type", f'multipart/alternative;\n\tboundary="Apple-Mail=_{token}-A"'),
        ("Mime-Version", "1.0 (Mac OS X Mail 16.0 \\(3776.700.51\\))"),
        ("Subject", enc_auto(subject, "q")),
        ("Message-Id", msgid),
        ("Date", rfc2822_date(moment)),
        ("To", TO),
        ("X-Mailer", "Apple Mail (2.3776.700.51)"),
    ], [plain, mixed])
    return to_bytes(top)


def roundcube(*, sender_name: str | None, sender_email: str, subject: str, moment: datetime, msgid: str,
              token: str, text: str, origin: tuple[str, str], attachments: tuple[File, ...] = ()) -> bytes:
    """Roundcube webmail: text/plain QP format=flowed, files with RFC 2231 names and a size."""
    body = part([("Content-Type", "text/plain; charset=UTF-8; format=flowed"),
                 ("Content-Transfer-Encoding", "quoted-printable")], qp(text + "\n", "utf-8"))
    parts = [body]
    for f in attachments:
        fn = f'filename="{f.filename}"' if f.filename.isascii() else f"filename*={rfc2231(f.filename)}"
        parts.append(part([("Content-Transfer-Encoding", "base64"),
                           ("Content-Type", f"{f.ctype};\n name={f.filename}"),
                           ("Content-Disposition", f"attachment;\n {fn};\n size={len(f.data)}")], b64(f.data)))
    headers = [
        ("Return-Path", f"<{sender_email}>"),
        received("mx1.lansstyrelsen.se", origin[0], origin[1], moment, token[:10]),
        ("MIME-Version", "1.0"),
        ("Date", rfc2822_date(moment)),
        ("From", addr(sender_name, sender_email, "q")),
        ("To", TO),
        ("Subject", enc_auto(subject, "q")),
        ("Message-ID", msgid),
        ("X-Sender", sender_email),
        ("User-Agent", "Roundcube Webmail/1.6.7"),
    ]
    if attachments:
        top = part(headers + [("Content-Type", f'multipart/mixed;\n boundary="=_{token}"')], parts)
    else:
        top = part(headers + [("Content-Type", "text/plain; charset=UTF-8; format=flowed"),
                              ("Content-Transfer-Encoding", "quoted-printable")], qp(text + "\n", "utf-8"))
    return to_bytes(top)


# ---------------------------------------------------------------- labels

def label(subject: str, sender: str, org: tuple[str, str | None, str], decision: dict | None,
          contact: tuple[str, str | None, str, str | None] | None) -> dict:
    name, number, kind = org
    if number:
        assert luhn_ok(number), number
    dec_ = {"present": False, "filename": None, "decided_by": None, "date": None, "paragraph": None,
            "case_number": None, "text_source": None}
    if decision:
        dec_ = {"present": True, **decision}
    con = {"name": None, "title": None, "email": None, "phone": None}
    if contact:
        con = {"name": contact[0], "title": contact[1], "email": contact[2].lower(),
               "phone": e164(contact[3]) if contact[3] else None}
    missing = ([] if decision else ["decision"]) + ([] if contact else ["contact"])
    return {"kind": "affiliation", "subject": subject, "sender": sender.lower(),
            "organisation": {"name": name, "org_number": number, "type": kind},
            "decision": dec_, "contact": con, "missing": missing}


def dec(filename, decided_by, date, paragraph, case_number, text_source="pdf_text") -> dict:
    return {"filename": filename, "decided_by": decided_by, "date": date, "paragraph": paragraph,
            "case_number": case_number, "text_source": text_source}


def body_dec(decided_by, date, paragraph, case_number=None) -> dict:
    return dec(None, decided_by, date, paragraph, case_number, "body")


MAIL: dict[str, bytes] = {}
EXPECTED: dict[str, dict] = {}


def add(name: str, raw: bytes, expected: dict) -> None:
    assert name not in MAIL, name
    MAIL[name] = raw
    EXPECTED[name] = expected


def when(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2024, month, day, hour, minute, 21, tzinfo=CEST if 4 <= month <= 10 else CET)


def mid(token: str, domain: str) -> str:
    return f"<{hashlib.sha1(token.encode()).hexdigest()[:24].upper()}@{domain}>"


def exo(token: str) -> str:
    """An Exchange Online Message-ID, as long as real ones."""
    h = hashlib.sha1(token.encode()).hexdigest().upper()
    return f"<GV3P280MB{h[:20]}{h[20:32]}@GV3P280MB{h[:4]}.SWEP280.PROD.OUTLOOK.COM>"


O365 = ("mail-gv3swe01on2072.outbound.protection.outlook.com", "40.107.8.72")
STRATEGY = "Jämställdhetsstrategi för Västmanlands län 2024–2027"


# ================================================================ 01 Västerås Stads Parkerings AB: owned by Västerås stad, labelled contact
f01 = "Protokollsutdrag styrelsen 2024-04-17 § 9.pdf"
add("01-vasteras-stads-parkerings-ab.eml", outlook_message(
    sender=Person("Maria Lindqvist", None, "maria.lindqvist@vasterasparkering.se", None),
    to=TO, subject=SUBJECT, moment=when(4, 23, 10, 12), msgid=exo("m01"), token="m01a7c3e9d2f1", origin=O365,
    text=("Hej!\n\n"
          "Västerås Stads Parkerings AB har beslutat att ansluta sig till " + STRATEGY + ". Bolaget är ett "
          "helägt dotterbolag till Västerås Stadshus AB; Västerås stad fattar ett eget beslut för kommunen.\n\n"
          "Protokollsutdrag från styrelsens sammanträde bifogas.\n\n"
          "Kontaktperson: Jesper Holm, hållbarhetsansvarig, jesper.holm@vasterasparkering.se, 070-174 06 12\n\n"
          "Med vänlig hälsning\n\n"
          "Maria Lindqvist\n"
          "Ekonomichef och styrelsesekreterare\n"
          "Västerås Stads Parkerings AB\n"
          "Tel 021-39 87 40"),
    attachments=(File(f01, minutes_pdf(
        ["Västerås Stads Parkerings AB", "Styrelsen"],
        ["PROTOKOLLSUTDRAG", "Sammanträdesdatum 2024-04-17", f"Org.nr {ON['parkering']}"],
        ["§ 9                                                   Dnr VSP 2024/031",
         "",
         "## Anslutning till " + STRATEGY,
         "",
         "Västerås stad har i ägardirektivet för 2024 uppmanat de helägda bolagen att bidra till stadens "
         "arbete för jämställdhet. Länsstyrelsen bjuder in länets aktörer, även näringslivet, att ansluta "
         "sig till den regionala strategin.",
         "",
         "## Styrelsens beslut",
         "Styrelsen beslutar att Västerås Stads Parkerings AB ansluter sig till " + STRATEGY + " samt att "
         "bolagets hållbarhetsansvarige är kontaktperson gentemot Länsstyrelsen.",
         "",
         "Vid protokollet: Maria Lindqvist          Justeras: Ordförande Bengt Ohlsson"],
        footer="Västerås Stads Parkerings AB · Box 40, 721 04 Västerås · Ett bolag i Västerås Stadshuskoncernen")),)),
    label(SUBJECT, "maria.lindqvist@vasterasparkering.se", ("Västerås Stads Parkerings AB", ON["parkering"], "naringsliv"),
          dec(f01, "Styrelsen", "2024-04-17", "§ 9", "VSP 2024/031"),
          ("Jesper Holm", "hållbarhetsansvarig", "jesper.holm@vasterasparkering.se", "070-174 06 12")))

# ================================================================ 02 Fagerstahem AB: functional mailbox, contact named later (incomplete)
f02 = "Styrelseprotokoll Fagerstahem 2024-05-08.pdf"
add("02-fagerstahem-kontakt-saknas.eml", outlook_message(
    sender=Person("Fagerstahem AB", None, "info@fagerstahem.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin - Fagerstahem AB", moment=when(6, 3, 14, 40),
    msgid=exo("m02"), token="m02b8d4f0e3a2", origin=O365,
    text=("Hej,\n\n"
          "Härmed meddelar vi att Fagerstahem AB ansluter sig till jämställdhetsstrategin för Västmanlands län. "
          "Styrelsens beslut bifogas. Vi har samordnat oss med Fagersta kommun, som också ansluter sig.\n\n"
          "Vem som blir vår kontaktperson meddelar vi efter sommaren, när vår nya HR-chef har tillträtt.\n\n"
          "Med vänlig hälsning\n\n"
          "Fagerstahem AB\n"
          "Kundcenter\n"
          "Box 12, 737 21 Fagersta\n"
          "Tel 0223-450 00\n"
          "www.fagerstahem.se"),
    attachments=(File(f02, plain_pdf(
        "FAGERSTAHEM AB\n"
        f"Org.nr {ON['fagerstahem']}\n\n"
        "Protokoll fört vid styrelsesammanträde\n"
        "Datum: 8 maj 2024\n"
        "Plats: Bolagets kontor, Fagersta\n\n"
        "§ 31 Ekonomisk rapport\n"
        "VD redovisade resultatet per april.\n\n"
        "§ 32 Jämställdhetsstrategi för Västmanlands län 2024–2027\n"
        "Fagersta kommun har som ägare informerat om kommunens anslutning till länets jämställdhetsstrategi. "
        "Styrelsen beslutade att Fagerstahem AB ansluter sig till strategin. VD utser kontaktperson.\n\n"
        "§ 33 Underhållsplan 2025\n"
        "Bordlades.\n\n"
        "Vid protokollet: Karin Almqvist\n"
        "Justeras: Lars Fors, ordförande")),)),
    label("Anslutning till jämställdhetsstrategin - Fagerstahem AB", "info@fagerstahem.se",
          ("Fagerstahem AB", ON["fagerstahem"], "naringsliv"),
          dec(f02, "Styrelsen", "2024-05-08", "§ 32", None), None))

# ================================================================ 03 Köpings Bostads AB: DOCX, contact only in the signature, nothing said about it
f03 = "KBAB protokollsutdrag 240522.docx"
add("03-kopings-bostads-ab-signatur-docx.eml", outlook_message(
    sender=Person("Lena Järvinen", None, "lena.jarvinen@kopingsbostader.se", None),
    to=TO, subject="Anslutning jämställdhetsstrategin KBAB", moment=when(5, 28, 8, 55),
    msgid=mid("m03", "kopingsbostader.se"), token="m03c9e5a1f4b3", origin=("mail.kopingsbostader.se", "213.180.75.90"),
    text=("Hej!\n\n"
          "Bifogar protokollsutdrag från KBAB:s styrelsemöte där styrelsen beslutade att ansluta bolaget till "
          "länets jämställdhetsstrategi.\n\n"
          "Vänliga hälsningar\n\n"
          "Lena Järvinen\n"
          "Enhetschef för boendeservice och trygghet\n"
          "Köpings Bostads AB\n"
          "Direkt: 0221-255 71\n"
          "Mobil: 070-174 06 23\n"
          "lena.jarvinen@kopingsbostader.se\n\n"
          "Köpings Bostads AB ägs av Köpings kommun."),
    attachments=(File(f03, docx(
        f"Köpings Bostads AB (org.nr {ON['kbab']})\n"
        "PROTOKOLLSUTDRAG\n"
        "Styrelsesammanträde den 22 maj 2024\n"
        "\n"
        "§ 41 Anslutning till " + STRATEGY + "\n"
        "\n"
        "Köpings kommun har som ägare uppmanat de kommunala bolagen att ansluta sig till länets "
        "jämställdhetsstrategi. Bolaget arbetar redan med trygghet i bostadsområdena och med "
        "våldsutsatta hyresgäster.\n"
        "\n"
        "Styrelsen beslutar\n"
        "att Köpings Bostads AB ansluter sig till " + STRATEGY + ".\n"
        "\n"
        "Justeras: Åke Lindberg, ordförande\n"
        "Rätt utdraget intygar: Lena Järvinen"), DOCX),)),
    label("Anslutning jämställdhetsstrategin KBAB", "lena.jarvinen@kopingsbostader.se",
          ("Köpings Bostads AB", ON["kbab"], "naringsliv"),
          dec(f03, "Styrelsen", "2024-05-22", "§ 41", None, "docx"),
          ("Lena Järvinen", "Enhetschef för boendeservice och trygghet", "lena.jarvinen@kopingsbostader.se",
           "0221-255 71")))

# ================================================================ 04 Sala Sparbank: no attachment, protocol pasted in the body, mentions Sala kommun
add("04-sala-sparbank-beslut-i-texten.eml", outlook_message(
    sender=Person("Anders Öhrn", None, "anders.ohrn@salasparbank.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin – Sala Sparbank", moment=when(10, 2, 9, 18),
    msgid=mid("m04", "salasparbank.se"), token="m04d0f6b2a5c4", origin=("mx.salasparbank.se", "194.17.60.44"),
    text=("Hej,\n\n"
          "Sala Sparbank vill ansluta sig till " + STRATEGY + ". Vi har inget justerat protokoll i pdf-form "
          "ännu, så jag klistrar in beslutet här.\n\n"
          "Ur protokoll fört vid sammanträde med Sala Sparbanks styrelse 2024-09-26\n"
          "§ 14 Anslutning till länets jämställdhetsstrategi\n"
          "Styrelsen beslutar att Sala Sparbank ansluter sig till " + STRATEGY + " och att HR-chefen är bankens "
          "kontaktperson gentemot Länsstyrelsen.\n"
          "Vid protokollet: Anders Öhrn    Justeras: Karl-Gustav Ehn, ordförande\n\n"
          "Kontaktperson: Johanna Berg, HR-chef, johanna.berg@salasparbank.se, 0224-580 23\n\n"
          "Banken samarbetar sedan tidigare med Sala kommun och Kvinnojouren i Sala i frågor om ekonomiskt våld.\n\n"
          "Med vänlig hälsning\n\n"
          "Anders Öhrn\n"
          "Styrelsens sekreterare\n"
          "Sala Sparbank\n"
          "Stora Torget 3, 733 30 Sala\n"
          "0224-580 00")),
    label("Anslutning till jämställdhetsstrategin – Sala Sparbank", "anders.ohrn@salasparbank.se",
          ("Sala Sparbank", None, "naringsliv"),
          body_dec("Styrelsen", "2024-09-26", "§ 14"),
          ("Johanna Berg", "HR-chef", "johanna.berg@salasparbank.se", "0224-580 23")))

# ================================================================ 05 Kungsörs KommunTeknik AB: the municipality's domain, iPhone, contact in prose
f05 = "Protokoll KKTAB 2024-06-13.pdf"
add("05-kungsors-kommunteknik-iphone.eml", iphone(
    sender=Person("Peter Nyqvist", None, "peter.nyqvist@kungsor.se", None),
    subject=SUBJECT, moment=when(6, 17, 7, 42), msgid="<6B1E0F3A-2C4D-4E5F-9A8B-7C6D5E4F3A2B@kungsor.se>",
    token="E7F8A9B0C1D2", origin=("mail.kungsor.se", "81.216.64.5"),
    text=("Hej\n"
          "Här kommer styrelsens beslut om att Kungsörs KommunTeknik AB ansluter sig till jämställdhetsstrategin. "
          "Kontaktperson blir Sanna Lind (personalansvarig), sanna.lind@kungsor.se, 0227-600 75.\n\n"
          "/Peter Nyqvist, VD"),
    attachments=(File(f05, plain_pdf(
        "KUNGSÖRS KOMMUNTEKNIK AB\n"
        f"Org.nr {ON['kkt']}\n\n"
        "Protokoll från styrelsemöte 2024-06-13\n"
        "Plats: Kommunhuset, Kungsör\n\n"
        "§ 6 Föregående protokoll\n"
        "Lades till handlingarna.\n\n"
        "§ 7 Jämställdhetsstrategi för Västmanlands län\n"
        "Kungsörs kommun, som äger bolaget, har anslutit sig till länets jämställdhetsstrategi. "
        "Styrelsen beslutade att Kungsörs KommunTeknik AB också ansluter sig till strategin.\n\n"
        "§ 8 Övriga frågor\n"
        "Inga.\n\n"
        "Justeras: Eva Sjöholm, ordförande")),)),
    label(SUBJECT, "peter.nyqvist@kungsor.se", ("Kungsörs KommunTeknik AB", ON["kkt"], "naringsliv"),
          dec(f05, "Styrelsen", "2024-06-13", "§ 7", None),
          ("Sanna Lind", "personalansvarig", "sanna.lind@kungsor.se", "0227-600 75")))

# ================================================================ 06 Subsidiary of a holding group: "i Västerås AB", labelled block, Bosnian name
f06 = "Styrelseprotokoll 2024-10-04.pdf"
add("06-nordmark-dotterbolag.eml", outlook_message(
    sender=Person("Göran Nordmark", None, "goran.nordmark@nordmarkfastighet.se", None),
    to=TO, subject=SUBJECT, moment=when(10, 9, 16, 3), msgid=exo("m06"), token="m06f2b8d4c7e6", origin=O365,
    text=("Hej!\n\n"
          "Nordmark Fastighetsservice i Västerås AB, ett dotterbolag i Nordmark Holding-koncernen, ansluter sig "
          "till länets jämställdhetsstrategi. Beslutet fattades av bolagets styrelse den 4 oktober, se bifogat "
          "protokoll. Koncernens övriga bolag fattar egna beslut.\n\n"
          "Kontaktperson:\n"
          "Amra Hodžić\n"
          "Ansvarig för mångfald, jämställdhet och inkludering\n"
          "amra.hodzic@nordmarkfastighet.se\n"
          "070-174 06 34\n\n"
          "Vänliga hälsningar\n\n"
          "Göran Nordmark\n"
          "VD, Nordmark Fastighetsservice i Västerås AB\n"
          "En del av Nordmark Holding AB\n"
          "Tel 021-44 80 10"),
    attachments=(File(f06, plain_pdf(
        "Protokoll fört vid styrelsemöte i Nordmark Fastighetsservice i Västerås AB, "
        f"org.nr {ON['nordmark']}\n"
        "Datum: 2024-10-04\n"
        "Plats: Kopparbergsvägen 8, Västerås\n\n"
        "Närvarande: Göran Nordmark, Lisa Nordmark, Reza Karimi\n\n"
        "§ 4 Föregående protokoll\n"
        "Godkändes.\n\n"
        "§ 5 Anslutning till " + STRATEGY + "\n"
        "Styrelsen beslutade att bolaget ansluter sig till strategin. Amra Hodžić är bolagets kontaktperson.\n\n"
        "§ 6 Mötets avslutande\n\n"
        "Justeras: Lisa Nordmark")),)),
    label(SUBJECT, "goran.nordmark@nordmarkfastighet.se",
          ("Nordmark Fastighetsservice i Västerås AB", ON["nordmark"], "naringsliv"),
          dec(f06, "Styrelsen", "2024-10-04", "§ 5", None),
          ("Amra Hodžić", "Ansvarig för mångfald, jämställdhet och inkludering", "amra.hodzic@nordmarkfastighet.se",
           "070-174 06 34")))

# ================================================================ 07 Holding decides for the group; subsidiaries' names and numbers in the decision
f07 = "Styrelseprotokoll MVG Holding 2024-03-20 utdrag.pdf"
add("07-verkstadsgrupp-holding-koncern.eml", thunderbird_message(
    sender=Person("Cecilia Brandt", None, "cecilia.brandt@mvgruppen.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin (koncernen)", moment=when(3, 26, 13, 30),
    msgid="<4c2d8e1a-9b7f-4a6e-8d5c-3b2a1f0e9d8c@mvgruppen.se>", token="m07Q1w2E3r4T5y6U7i8O9p0A",
    user_agent="Mozilla Thunderbird 115.8.1", origin=("smtp.mvgruppen.se", "83.255.20.31"),
    text=("Hej,\n\n"
          "Styrelsen för Mälardalens Verkstadsgrupp Holding AB har beslutat att hela koncernen ansluter sig till "
          "jämställdhetsstrategin. Utdrag ur protokollet bifogas.\n\n"
          "Jag samordnar arbetet i koncernen och är kontaktperson.\n\n"
          "Hälsningar\n"
          "Cecilia\n\n"
          "-- \n"
          "Cecilia Brandt\n"
          "HR-direktör\n"
          "Mälardalens Verkstadsgrupp Holding AB\n"
          "070-174 06 45\n"
          "cecilia.brandt@mvgruppen.se"),
    attachments=(File(f07, plain_pdf(
        "MÄLARDALENS VERKSTADSGRUPP HOLDING AB\n"
        f"Org.nr {ON['mvg']}\n\n"
        "Protokoll fört vid styrelsemöte 2024-03-20\n\n"
        "§ 8 Anslutning till " + STRATEGY + "\n"
        "Styrelsen beslutar att koncernen, det vill säga moderbolaget och dotterbolagen "
        f"Köpings Svets AB ({ON['svets']}) och Arboga Plåt & Smide AB ({ON['plat']}), ansluter sig till "
        "strategin. HR-direktören samordnar arbetet och är kontaktperson.\n\n"
        "Vid protokollet: Cecilia Brandt\n"
        "Justeras: Håkan Lidén, ordförande")),)),
    label("Anslutning till jämställdhetsstrategin (koncernen)", "cecilia.brandt@mvgruppen.se",
          ("Mälardalens Verkstadsgrupp Holding AB", ON["mvg"], "naringsliv"),
          dec(f07, "Styrelsen", "2024-03-20", "§ 8", None),
          ("Cecilia Brandt", "HR-direktör", "cecilia.brandt@mvgruppen.se", "070-174 06 45")))

# ================================================================ 08 ABF Västmanland: study association, ODT, long title in the signature only
f08 = "Protokollsutdrag avdelningsstyrelsen 2024-03-12.odt"
add("08-abf-vastmanland-odt.eml", thunderbird_message(
    sender=Person("Fatima Al-Sayed", None, "fatima.al-sayed@abf.se", None),
    to=TO, subject=SUBJECT, moment=when(3, 18, 15, 7), msgid="<a91f3c2e-6d4b-4f1a-b8e7-2c9d0a1b3e4f@abf.se>",
    token="m08Z9x8C7v6B5n4M3a2S1d0F", user_agent="Mozilla Thunderbird 115.8.1",
    origin=("mail.abf.se", "195.67.12.140"),
    text=("Hej!\n\n"
          "ABF Västmanlands avdelningsstyrelse beslutade i mars att vi ansluter oss till jämställdhetsstrategin. "
          "Protokollsutdraget bifogas (odt, hoppas det går att öppna).\n\n"
          "Jag är kontaktperson och nås enklast på mobilen.\n\n"
          "Hälsningar\n"
          "Fatima\n\n"
          "-- \n"
          "Fatima Al-Sayed\n"
          "Verksamhetsutvecklare med ansvar för folkbildning och jämställdhet\n"
          "ABF Västmanland\n"
          "Mobil: 070-174 06 51\n"
          "Växel: 021-10 53 00\n"
          "fatima.al-sayed@abf.se\n"
          "www.abf.se/vastmanland"),
    attachments=(File(f08, odt(
        "ABF Västmanland\n"
        f"Org.nr {ON['abf']}\n"
        "PROTOKOLL\n"
        "fört vid avdelningsstyrelsens sammanträde den 12 mars 2024\n"
        "Plats: ABF-huset, Västerås\n"
        "\n"
        "§ 17 Anslutning till " + STRATEGY + "\n"
        "Avdelningsstyrelsen beslutar att ABF Västmanland ansluter sig till strategin, samt att utse "
        "verksamhetsutvecklare Fatima Al-Sayed till kontaktperson.\n"
        "\n"
        "§ 18 Studiecirkelverksamhet hösten 2024\n"
        "Verksamhetschefen informerade.\n"
        "\n"
        "Justeras: Lars Nilsson, ordförande      Bo Ek, justerare"), ODT),)),
    label(SUBJECT, "fatima.al-sayed@abf.se", ("ABF Västmanland", ON["abf"], "civilsamhalle"),
          dec(f08, "Avdelningsstyrelsen", "2024-03-12", "§ 17", None, "odt"),
          ("Fatima Al-Sayed", "Verksamhetsutvecklare med ansvar för folkbildning och jämställdhet",
           "fatima.al-sayed@abf.se", "070-174 06 51")))

# ================================================================ 09 Västmanlands Idrottsförbund: 29 februari, prose contact with a long title
f09 = "Protokoll förbundsstyrelsen 2024-02-29.pdf"
add("09-vastmanlands-idrottsforbund.eml", outlook_message(
    sender=Person("Jessica Engström", None, "jessica.engstrom@rfsisu.se", None),
    to=TO, subject=SUBJECT, moment=when(3, 5, 11, 21), msgid=exo("m09"), token="m09a4c0e6f9b8", origin=O365,
    text=("Hej,\n\n"
          "Västmanlands Idrottsförbund har beslutat att ansluta sig till " + STRATEGY + ". "
          "Protokollet från förbundsstyrelsens möte bifogas (se § 23).\n\n"
          "Kontaktperson för vår del blir Robin Andersson, utvecklingskonsulent för jämställdhet och inkludering, "
          "robin.andersson@rfsisu.se, 070-174 06 56.\n\n"
          "Med idrottslig hälsning\n\n"
          "Jessica Engström\n"
          "Distriktsidrottschef\n"
          "RF-SISU Västmanland\n"
          "Tel 021-10 48 10"),
    attachments=(File(f09, minutes_pdf(
        ["Västmanlands Idrottsförbund", "Förbundsstyrelsen"],
        ["PROTOKOLL", "Sammanträde 29 februari 2024", "Plats: Idrottens hus, Västerås"],
        ["§ 22  Ekonomisk rapport",
         "Kansliet redovisade bokslutet för 2023.",
         "",
         "§ 23  Anslutning till länets jämställdhetsstrategi",
         "Länsstyrelsen har bjudit in civilsamhället att ansluta sig till " + STRATEGY + ". Idrotten har ett "
         "ansvar för att flickor och pojkar ges samma möjligheter.",
         "Förbundsstyrelsen beslutar att Västmanlands Idrottsförbund ansluter sig till strategin.",
         "",
         "§ 24  Distriktsidrottsmötet 2024",
         "Förbundsstyrelsen fastställde kallelsen.",
         "",
         "Ordförande: Kjell Westin          Justerare: Mona Åberg"],
        footer=f"Västmanlands Idrottsförbund · Org.nr {ON['idrott']} · Idrottens hus, Box 5, 721 03 Västerås")),)),
    label(SUBJECT, "jessica.engstrom@rfsisu.se", ("Västmanlands Idrottsförbund", ON["idrott"], "civilsamhalle"),
          dec(f09, "Förbundsstyrelsen", "2024-02-29", "§ 23", None),
          ("Robin Andersson", "utvecklingskonsulent för jämställdhet och inkludering", "robin.andersson@rfsisu.se",
           "070-174 06 56")))

# ================================================================ 10 Västerås pastorat (Svenska kyrkan): kyrkorådet, registrar sends, prose contact
f10 = "KR 2024-06-19 § 67 Jämställdhetsstrategi.pdf"
add("10-vasteras-pastorat-kyrkoradet.eml", outlook_message(
    sender=Person("Registrator Västerås pastorat", None, "vasteras.pastorat.registrator@svenskakyrkan.se", None),
    to=TO, subject=SUBJECT, moment=when(6, 26, 9, 4), msgid=exo("m10"), token="m10b5d1f7a0c9", origin=O365,
    text=("Hej,\n\n"
          "Översänder protokollsutdrag från kyrkorådets sammanträde 2024-06-19, § 67, om Västerås pastorats "
          "anslutning till jämställdhetsstrategin.\n\n"
          "Som kontaktperson har kyrkorådet utsett Erik Lundmark, enhetschef för diakoni och samhällsansvar. "
          "Erik nås på erik.lundmark@svenskakyrkan.se och 021-81 46 30.\n\n"
          "Med vänlig hälsning\n\n"
          "Registrator\n"
          "Västerås pastorat\n"
          "Svenska kyrkan i Västerås\n"
          "Växel 021-81 46 00"),
    attachments=(File(f10, minutes_pdf(
        ["Västerås pastorat", "Kyrkorådet"],
        ["SAMMANTRÄDESPROTOKOLL", "Sammanträdesdatum 2024-06-19"],
        ["§ 67                                          Dnr VP 2024/145",
         "",
         "## Anslutning till " + STRATEGY,
         "",
         "Pastoratet arbetar med stöd till våldsutsatta genom diakonin och i samverkan med Västerås stad. "
         "Länsstyrelsen har bjudit in civilsamhället, däribland trossamfunden, att ansluta sig till strategin.",
         "",
         "## Kyrkorådets beslut",
         "Kyrkorådet beslutar att Västerås pastorat ansluter sig till " + STRATEGY + " och att enhetschefen "
         "för diakoni och samhällsansvar är kontaktperson.",
         "",
         "Expedieras: Länsstyrelsen Västmanlands län"],
        footer=f"Västerås pastorat · Org.nr {ON['pastorat']} · Box 7, 721 03 Västerås\n"
               "Justerandes sign ............   Utdragsbestyrkande ............")),)),
    label(SUBJECT, "vasteras.pastorat.registrator@svenskakyrkan.se", ("Västerås pastorat", ON["pastorat"], "civilsamhalle"),
          dec(f10, "Kyrkorådet", "2024-06-19", "§ 67", "VP 2024/145"),
          ("Erik Lundmark", "enhetschef för diakoni och samhällsansvar", "erik.lundmark@svenskakyrkan.se",
           "021-81 46 30")))

# ================================================================ 11 Equmeniakyrkan Sala: iPhone, no attachment, decision stated in the body
add("11-equmeniakyrkan-sala-iphone-i-texten.eml", iphone(
    sender=Person("Lars-Olof Grip", None, "lo.grip@telia.com", None),
    subject="Anslutning till jämställdhetsstrategin", moment=when(4, 24, 20, 16),
    msgid="<0C9D8E7F-6A5B-4C3D-2E1F-0A9B8C7D6E5F@telia.com>", token="F1E2D3C4B5A6",
    origin=("smtp-out.telia.com", "81.236.60.155"),
    text=("Hej!\n"
          "Equmeniakyrkan Sala vill ansluta sig till länets jämställdhetsstrategi. På församlingsmötet söndagen "
          "den 21 april 2024 beslutade vi enhälligt (§ 12 i protokollet) att församlingen ansluter sig. "
          "Protokollet är inte justerat än men jag skickar det när det är klart om ni behöver det.\n\n"
          "Kontaktperson blir vår pastor Hanna Sjölund, hanna.sjolund@equmeniakyrkansala.se, 070-174 06 62.\n\n"
          "Vänliga hälsningar\n"
          "Lars-Olof Grip\n"
          "Ordförande, Equmeniakyrkan Sala\n"
          f"Org.nr {ON['equmenia']}")),
    label(SUBJECT, "lo.grip@telia.com", ("Equmeniakyrkan Sala", ON["equmenia"], "civilsamhalle"),
          body_dec("Församlingsmötet", "2024-04-21", "§ 12"),
          ("Hanna Sjölund", "pastor", "hanna.sjolund@equmeniakyrkansala.se", "070-174 06 62")))

# ================================================================ 12 Kvinnojouren i Sala: Gmail, phone photo of the minutes, signature contact
f12 = "20240416_183205.jpg"
add("12-kvinnojouren-sala-gmail-foto.eml", gmail_message(
    sender=Person("Gunnel Ask", None, "gunnel.ask52@gmail.com", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin", moment=when(4, 16, 19, 2),
    msgid="<CAK7r2Pq0Xm9Ld4Nf8Gh1Jk3Ls5Qw7Er9Ty1Ui3Op5As@mail.gmail.com>", token="c1d2e3f4a5b6",
    origin=("mail-wm1-f48.google.com", "209.85.128.48"),
    text=("Hej!\n\n"
          "Här kommer ett foto av protokollet från vårt styrelsemöte igår, där vi beslutade att Kvinnojouren i "
          "Sala ansluter sig till strategin.\n\n"
          "Ring eller mejla mig om ni undrar något, jag är kontaktperson.\n\n"
          "Med vänlig hälsning"),
    signature=("Gunnel Ask\n"
               "Ordförande\n"
               "Kvinnojouren i Sala\n"
               "070-174 06 71"),
    attachments=(File(f12, scanned_image(
        "KVINNOJOUREN I SALA\n"
        f"Org.nr {ON['kvinnojouren']}\n"
        "\n"
        "Protokoll fört vid styrelsemöte 15/4 2024\n"
        "Plats: Jourens lokal\n"
        "\n"
        "Närvarande: Gunnel Ask (ordf), Maja Lind,\n"
        "Ronja Persson, Leila Nasser\n"
        "\n"
        "§ 3 Bidrag\n"
        "Sala kommuns föreningsbidrag är beviljat.\n"
        "\n"
        "§ 4 Jämställdhetsstrategin\n"
        "Styrelsen beslutar att föreningen ansluter sig\n"
        "till Jämställdhetsstrategi för Västmanlands\n"
        "län 2024-2027. Ordföranden är kontaktperson.\n"
        "\n"
        "§ 5 Nästa möte 13/5\n"
        "\n"
        "Vid protokollet: Maja Lind\n"
        "Justeras: Gunnel Ask\n", "JPEG"), "image/jpeg"),)),
    label(SUBJECT, "gunnel.ask52@gmail.com", ("Kvinnojouren i Sala", ON["kvinnojouren"], "civilsamhalle"),
          dec(f12, "Styrelsen", "2024-04-15", "§ 4", None, "ocr"),
          ("Gunnel Ask", "Ordförande", "gunnel.ask52@gmail.com", "070-174 06 71")))

# ================================================================ 13 Västerås Stadsmission: SV: reply quoting the board's own staff, long title
f13 = "Protokollsutdrag styrelsen 2024-11-05.pdf"
q13 = ("Från: Therése Clifford <therese.clifford@lansstyrelsen.se>\n"
       "Skickat: den 2 oktober 2024 10:14\n"
       "Till: Sara Holmberg <sara.holmberg@vasterasstadsmission.se>\n"
       "Ämne: SV: Anslutning till jämställdhetsstrategin\n\n"
       "Hej Sara!\n\n"
       "Vad roligt att ni vill ansluta er. Skicka beslutet när styrelsen har fattat det och ange vem som blir "
       "kontaktperson, så hör vi av oss för ett första dialogmöte.\n\n"
       "Vänliga hälsningar\n\n"
       "Therése Clifford\n"
       "Utvecklingsledare\n"
       "Länsstyrelsen Västmanlands län\n"
       "010-224 91 23\n"
       "therese.clifford@lansstyrelsen.se\n\n"
       "Från: Sara Holmberg <sara.holmberg@vasterasstadsmission.se>\n"
       "Skickat: den 1 oktober 2024 15:40\n"
       "Till: Västmanland <vastmanland@lansstyrelsen.se>\n"
       "Ämne: Anslutning till jämställdhetsstrategin\n\n"
       "Hej! Vi på Västerås Stadsmission funderar på att ansluta oss. Behöver beslutet vara från styrelsen?\n"
       "/Sara")
add("13-vasteras-stadsmission-sv-svar.eml", outlook_message(
    sender=Person("Sara Holmberg", None, "sara.holmberg@vasterasstadsmission.se", None),
    to="Therése Clifford <therese.clifford@lansstyrelsen.se>", cc="vastmanland@lansstyrelsen.se",
    subject="SV: Anslutning till jämställdhetsstrategin", moment=when(11, 8, 13, 51), msgid=exo("m13"),
    token="m13c6e2a8b1d0", origin=O365, in_reply_to=exo("m13-lst"),
    text=("Hej Therése!\n\n"
          "Tack för snabbt svar. Nu har styrelsen fattat beslut, protokollsutdraget bifogas.\n\n"
          "Kontaktperson är jag själv:\n"
          "Sara Holmberg\n"
          "Samordnare för våld i nära relationer och hedersrelaterat våld\n"
          "sara.holmberg@vasterasstadsmission.se\n"
          "070-174 06 83\n\n"
          "Med vänliga hälsningar\n"
          "Sara Holmberg\n"
          "Västerås Stadsmission"),
    quoted=q13,
    attachments=(File(f13, minutes_pdf(
        ["Västerås Stadsmission", "Styrelsen"],
        ["PROTOKOLLSUTDRAG", "Sammanträdesdatum 2024-11-05"],
        ["§ 88  Anslutning till " + STRATEGY,
         "",
         "Stadsmissionen möter kvinnor som utsatts för våld i verksamheterna Kvinnohuset och Stödcentrum. "
         "Verksamhetschefen föreslår att föreningen ansluter sig till länets jämställdhetsstrategi.",
         "",
         "Styrelsen beslutar",
         "att Västerås Stadsmission ansluter sig till " + STRATEGY + ",",
         "att samordnaren för våld i nära relationer är kontaktperson.",
         "",
         "Ordförande: Peter Almén          Justerare: Kerstin Bylund"],
        footer=f"Västerås Stadsmission · Ideell förening · Org.nr {ON['stadsmission']} · Västerås")),)),
    label("SV: Anslutning till jämställdhetsstrategin", "sara.holmberg@vasterasstadsmission.se",
          ("Västerås Stadsmission", ON["stadsmission"], "civilsamhalle"),
          dec(f13, "Styrelsen", "2024-11-05", "§ 88", None),
          ("Sara Holmberg", "Samordnare för våld i nära relationer och hedersrelaterat våld",
           "sara.holmberg@vasterasstadsmission.se", "070-174 06 83")))

# ================================================================ 14 Foundation: DOCX, prose contact "enhetschef för ...", Dnr with colon
f14 = "Protokoll styrelsemöte 4-2024 § 34.docx"
add("14-stiftelsen-lansmuseum-docx.eml", outlook_message(
    sender=Person("Birgitta Falk", None, "birgitta.falk@vastmanlandslansmuseum.se", None),
    to=TO, subject=SUBJECT, moment=when(9, 17, 10, 36), msgid=exo("m14"), token="m14d7f3b9c2e1", origin=O365,
    text=("Till Länsstyrelsen\n\n"
          "Stiftelsens styrelse har beslutat att Stiftelsen Västmanlands läns museum ansluter sig till "
          "jämställdhetsstrategin. Protokollet bifogas.\n\n"
          "Vår kontaktperson blir Johan Ekström, enhetschef för publik verksamhet och lärande, "
          "johan.ekstrom@vastmanlandslansmuseum.se, tel. 021-15 61 20.\n\n"
          "Vänliga hälsningar\n\n"
          "Birgitta Falk\n"
          "Museichef\n"
          "Västmanlands läns museum\n"
          "021-15 61 00"),
    attachments=(File(f14, docx(
        "Stiftelsen Västmanlands läns museum\n"
        f"Org.nr {ON['museum']}\n"
        "Protokoll styrelsemöte nr 4/2024\n"
        "Datum: 2024-09-12\n"
        "Dnr: 2024:58\n"
        "\n"
        "§ 33 Utställningsplan 2025\n"
        "Museichefen presenterade planen. Styrelsen godkände den.\n"
        "\n"
        "§ 34 Anslutning till " + STRATEGY + "\n"
        "Stiftelsens huvudmän, Region Västmanland och Västerås stad, har båda anslutit sig. "
        "Styrelsen beslutar att stiftelsen ansluter sig till strategin och att enhetschefen för publik "
        "verksamhet och lärande är kontaktperson.\n"
        "\n"
        "Justeras: Margareta Holm, ordförande"), DOCX),)),
    label(SUBJECT, "birgitta.falk@vastmanlandslansmuseum.se",
          ("Stiftelsen Västmanlands läns museum", ON["museum"], "civilsamhalle"),
          dec(f14, "Styrelsen", "2024-09-12", "§ 34", "2024:58", "docx"),
          ("Johan Ekström", "enhetschef för publik verksamhet och lärande", "johan.ekstrom@vastmanlandslansmuseum.se",
           "021-15 61 20")))

# ================================================================ 15 Sports club: hotmail, protocol pasted in the body, signature contact
add("15-hallstahammars-bk-hotmail-i-texten.eml", outlook_message(
    sender=Person("Jonas Wiklund", None, "jonas_wiklund@hotmail.com", None),
    to=TO, subject="anslutning till jämställdhetsstrategin", moment=when(10, 11, 21, 34),
    msgid="<AM9P191MB1642C3D4E5F6A7B8C9D0E1F2A3B4C5D6@AM9P191MB1642.EURP191.PROD.OUTLOOK.COM>",
    token="m15e8a4c0d3f2", origin=("EUR02-AM0-obe.outbound.protection.outlook.com", "40.92.49.101"),
    text=("Hej!\n\n"
          "Hallstahammars BK ansluter sig till jämställdhetsstrategin. Vi har ingen skanner på kansliet, så här "
          "är beslutet ur styrelseprotokollet:\n\n"
          "---\n"
          "Protokoll styrelsemöte Hallstahammars Bandyklubb\n"
          "Datum: 2024-10-09\n"
          "§ 6 Jämställdhetsstrategi för Västmanlands län\n"
          "Styrelsen beslutade att föreningen ansluter sig till strategin och att kanslichefen är kontaktperson.\n"
          "Justeras: Per Olsson, ordförande / Lina Karlsson, sekreterare\n"
          "---\n\n"
          "Det är alltså jag som är kontaktperson, hör av er om ni behöver något mer.\n\n"
          "Hälsningar\n"
          "Jonas Wiklund\n"
          "Kanslichef\n"
          "Hallstahammars Bandyklubb\n"
          f"Org.nr {ON['hbk']}\n"
          "Tel 070-174 06 88\n\n"
          "Skickat från Outlook för Android")),
    label("anslutning till jämställdhetsstrategin", "jonas_wiklund@hotmail.com",
          ("Hallstahammars Bandyklubb", ON["hbk"], "civilsamhalle"),
          body_dec("Styrelsen", "2024-10-09", "§ 6"),
          ("Jonas Wiklund", "Kanslichef", "jonas_wiklund@hotmail.com", "070-174 06 88")))

# ================================================================ 16 Brottsofferjouren: VB: inline forward, contact inside the forwarded mail, årsmöte
f16 = "Årsmötesprotokoll 2024.pdf"
q16 = ("Från: Malin Öst <malin.ost@boj.se>\n"
       "Skickat: den 25 mars 2024 16:02\n"
       "Till: Eva Bergström <eva.bergstrom@boj.se>\n"
       "Ämne: Anslutning till jämställdhetsstrategin\n\n"
       "Hej Eva!\n\n"
       "Här är det justerade årsmötesprotokollet (se § 14). Kan du skicka det vidare till Länsstyrelsen? "
       "Jag tar gärna kontakten med dem, här är mina uppgifter:\n\n"
       "Malin Öst\n"
       "Verksamhetsansvarig\n"
       "Brottsofferjouren Västmanland\n"
       "malin.ost@boj.se\n"
       "070-174 06 94\n\n"
       "Tack!\n"
       "Malin")
add("16-brottsofferjouren-vb-vidarebefordrat.eml", outlook_message(
    sender=Person("Eva Bergström", None, "eva.bergstrom@boj.se", None),
    to=TO, subject="VB: Anslutning till jämställdhetsstrategin", moment=when(3, 27, 8, 9), msgid=exo("m16"),
    token="m16f9b5d1e4a3", origin=O365,
    text=("Hej,\n\n"
          "Vidarebefordrar vår anslutning. Kontaktperson är Malin Öst, se hennes uppgifter nedan.\n\n"
          "Eva Bergström\n"
          "Ordförande, Brottsofferjouren Västmanland"),
    quoted=q16,
    attachments=(File(f16, plain_pdf(
        "BROTTSOFFERJOUREN VÄSTMANLAND\n"
        f"Org.nr {ON['boj']}\n\n"
        "Protokoll fört vid årsmöte lördagen den 16 mars 2024\n"
        "Plats: Folkets hus, Västerås\n\n"
        "§ 1 Mötets öppnande\n"
        "§ 2–12 Årsmötesförhandlingar enligt stadgarna\n"
        "§ 13 Val av styrelse\n"
        "Eva Bergström valdes till ordförande för ett år.\n\n"
        "§ 14 Anslutning till " + STRATEGY + "\n"
        "Årsmötet beslutade att Brottsofferjouren Västmanland ansluter sig till strategin.\n\n"
        "§ 15 Mötets avslutande\n\n"
        "Vid protokollet: Malin Öst    Justeras: Kurt Lindh, Amal Hassan")),)),
    label("VB: Anslutning till jämställdhetsstrategin", "eva.bergstrom@boj.se",
          ("Brottsofferjouren Västmanland", ON["boj"], "civilsamhalle"),
          dec(f16, "Årsmötet", "2024-03-16", "§ 14", None),
          ("Malin Öst", "Verksamhetsansvarig", "malin.ost@boj.se", "070-174 06 94")))

# ================================================================ 17 Studieförbundet Vuxenskolan: Thunderbird, weekday date, signature-only contact
f17 = "SV Västmanland styrelseprotokoll 2024-11-05 § 78.pdf"
add("17-vuxenskolan-thunderbird.eml", thunderbird_message(
    sender=Person("Nora Lindahl", None, "nora.lindahl@sv.se", None),
    to=TO, subject=SUBJECT, moment=when(11, 12, 9, 27), msgid="<f3e2d1c0-b9a8-4765-8432-10fedcba9876@sv.se>",
    token="m17P0o9I8u7Y6t5R4e3W2q1L", user_agent="Mozilla Thunderbird 128.4.2esr",
    origin=("smtp.sv.se", "185.33.12.7"),
    text=("Hej,\n\n"
          "Styrelsen för Studieförbundet Vuxenskolan Västmanland har beslutat att ansluta till "
          "jämställdhetsstrategin, se bifogat protokollsutdrag. Mina kontaktuppgifter som kontaktperson finns nedan.\n\n"
          "Vänliga hälsningar\n\n"
          "-- \n"
          "Nora Lindahl\n"
          "Verksamhetsutvecklare med inriktning mot mångfald och jämställdhet\n"
          "Studieförbundet Vuxenskolan Västmanland\n"
          "Mobil 070-174 06 15\n"
          "Växel 021-12 34 00\n"
          "nora.lindahl@sv.se"),
    attachments=(File(f17, minutes_pdf(
        ["Studieförbundet Vuxenskolan Västmanland", "Styrelsen"],
        ["PROTOKOLLSUTDRAG", f"Org.nr {ON['sv']}"],
        ["Sammanträde tisdagen den 5 november 2024",
         "",
         "## § 78 Anslutning till " + STRATEGY,
         "",
         "Studieförbundet når många människor i länet genom studiecirklar och kultur. Verksamhetschefen "
         "föreslår att förbundet ansluter sig till länets jämställdhetsstrategi.",
         "",
         "Styrelsen beslutar att Studieförbundet Vuxenskolan Västmanland ansluter sig till strategin.",
         "",
         "Ordförande: Gunilla Sand          Justerare: Hassan Abdi"])),)),
    label(SUBJECT, "nora.lindahl@sv.se", ("Studieförbundet Vuxenskolan Västmanland", ON["sv"], "civilsamhalle"),
          dec(f17, "Styrelsen", "2024-11-05", "§ 78", None),
          ("Nora Lindahl", "Verksamhetsutvecklare med inriktning mot mångfald och jämställdhet", "nora.lindahl@sv.se",
           "070-174 06 15")))

# ================================================================ 18 Small manufacturer: CEO's decision (no §), labelled contact, mentions Norbergs kommun
f18 = "VD-beslut jämställdhetsstrategi.pdf"
add("18-norbergs-mekaniska-vd-beslut.eml", outlook_message(
    sender=Person("Stefan Hedlund", None, "stefan.hedlund@nmv.se", None),
    to=TO, subject="Anslutning till jamstalldhetsstrategin", moment=when(9, 2, 7, 49),
    msgid=mid("m18", "nmv.se"), token="m18a0c6e2f5b4", origin=("mail.nmv.se", "91.206.210.33"),
    text=("Hej,\n\n"
          "Norbergs Mekaniska Verkstad AB ansluter sig till jämställdhetsstrategin. Beslutet bifogas. Vi deltar "
          "redan i Norbergs kommuns nätverk för lokala arbetsgivare och vill bidra även till länets arbete.\n\n"
          "Kontaktperson: Emelie Sund, personalchef, emelie.sund@nmv.se, 0223-213 45\n\n"
          "Mvh\n"
          "Stefan Hedlund\n"
          "VD\n"
          "Norbergs Mekaniska Verkstad AB\n"
          f"Org.nr {ON['nmv']}\n"
          "Tel 0223-213 00"),
    attachments=(File(f18, plain_pdf(
        "BESLUT\n\n"
        "Norbergs Mekaniska Verkstad AB\n"
        "Datum: 2024-08-30\n\n"
        "Anslutning till " + STRATEGY + "\n\n"
        "Verkställande direktören beslutar att Norbergs Mekaniska Verkstad AB ansluter sig till "
        "Jämställdhetsstrategi för Västmanlands län 2024–2027 och att personalchefen är bolagets kontaktperson.\n\n"
        "Beslutet har stämts av med styrelsens ordförande.\n\n"
        "Stefan Hedlund\n"
        "Verkställande direktör")),)),
    label("Anslutning till jamstalldhetsstrategin", "stefan.hedlund@nmv.se",
          ("Norbergs Mekaniska Verkstad AB", ON["nmv"], "naringsliv"),
          dec(f18, "Verkställande direktören", "2024-08-30", None, None),
          ("Emelie Sund", "personalchef", "emelie.sund@nmv.se", "0223-213 45")))

# ================================================================ 19 Västerås Science Park AB: Google Workspace, management-group note quoted in the body
add("19-science-park-ledningsgrupp-i-texten.eml", gmail_message(
    sender=Person("Per Malm", None, "per.malm@vasterassciencepark.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin - Västerås Science Park", moment=when(9, 6, 11, 58),
    msgid="<CAH5t8Wq2Zx4Cv6Bn8Mm0Ll2Kk4Jj6Hh8Gg0Ff2Dd4Ss6@mail.gmail.com>", token="d3e4f5a6b7c8",
    origin=("mail-ed1-f52.google.com", "209.85.208.52"),
    text=("Hej!\n\n"
          "Vi på Västerås Science Park vill ansluta oss till " + STRATEGY + ". Vi för inga formella protokoll "
          "från ledningsgruppens möten, men beslutet finns i minnesanteckningarna från mötet den 3 september 2024:\n\n"
          "\"Ledningsgruppen beslutar att Västerås Science Park AB ansluter sig till " + STRATEGY + ". "
          "Ida Forsberg är kontaktperson.\"\n\n"
          "Kontaktperson: Ida Forsberg, projektledare för inkludering och jämställd tillväxt, "
          "ida.forsberg@vasterassciencepark.se, 070-174 06 27\n\n"
          "Allt gott!"),
    signature=("Per Malm\n"
               "VD, Västerås Science Park AB\n"
               "Kopparlundsvägen 7, 721 30 Västerås\n"
               "021-15 09 00"),
    ),
    label("Anslutning till jämställdhetsstrategin - Västerås Science Park", "per.malm@vasterassciencepark.se",
          ("Västerås Science Park AB", None, "naringsliv"),
          body_dec("Ledningsgruppen", "2024-09-03", None),
          ("Ida Forsberg", "projektledare för inkludering och jämställd tillväxt", "ida.forsberg@vasterassciencepark.se",
           "070-174 06 27")))

# ================================================================ 20 Mälarenergi AB: logo, group management minutes with several items
f20 = "Protokoll koncernledningen 2024-05-06.pdf"
add("20-malarenergi-koncernledning-flera-paragrafer.eml", outlook_message(
    sender=Person("Sofia Wahlberg", None, "sofia.wahlberg@malarenergi.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin – Mälarenergi AB", moment=when(5, 13, 15, 22),
    msgid=exo("m20"), token="m20b1d7f3a6c5", origin=O365,
    logo=(logo_png((180, 54)), "image001.png", "Mälarenergi"),
    text=("Hej!\n\n"
          "Mälarenergis koncernledning har beslutat att bolaget ansluter sig till länets jämställdhetsstrategi, "
          "se § 6 i bifogat protokoll.\n\n"
          "Kontaktperson: Sofia Wahlberg, strateg för social hållbarhet och mänskliga rättigheter, "
          "sofia.wahlberg@malarenergi.se, 021-39 52 18\n\n"
          "Med vänlig hälsning\n\n"
          "Sofia Wahlberg\n"
          "Strateg för social hållbarhet och mänskliga rättigheter\n"
          "Hållbarhet & Kommunikation\n\n"
          "[cid]\n"
          "Mälarenergi AB | Box 14, 721 03 Västerås\n"
          f"Org.nr {ON['malarenergi']} | www.malarenergi.se"),
    attachments=(File(f20, minutes_pdf(
        ["Mälarenergi AB", "Koncernledningen"],
        ["PROTOKOLL", "Datum 2024-05-06", "Ärendenummer 2024-0117"],
        ["§ 3 Föregående protokoll",
         "Godkändes.",
         "",
         "§ 4 Ekonomisk uppföljning kvartal 1",
         "CFO redovisade utfallet. Koncernledningen noterade informationen.",
         "",
         "§ 5 Ägardialog med Västerås stad",
         "VD informerade om ägardialogen den 24 april. Västerås stad har beslutat att ansluta kommunen till "
         "länets jämställdhetsstrategi och ser positivt på att bolagen gör detsamma.",
         "",
         "§ 6 Anslutning till " + STRATEGY,
         "Koncernledningen beslutar att Mälarenergi AB ansluter sig till " + STRATEGY + ". Strategen för "
         "social hållbarhet är kontaktperson.",
         "",
         "§ 7 Arbetsmiljö",
         "Sjukfrånvaron har minskat.",
         "",
         "§ 8 Nästa möte 2024-05-20",
         "",
         "Vid protokollet: Sofia Wahlberg          Justeras: Niklas Ohlsson, VD"])),)),
    label("Anslutning till jämställdhetsstrategin – Mälarenergi AB", "sofia.wahlberg@malarenergi.se",
          ("Mälarenergi AB", ON["malarenergi"], "naringsliv"),
          dec(f20, "Koncernledningen", "2024-05-06", "§ 6", "2024-0117"),
          ("Sofia Wahlberg", "strateg för social hållbarhet och mänskliga rättigheter", "sofia.wahlberg@malarenergi.se",
           "021-39 52 18")))

# ================================================================ 21 Västerås stad: KS decision that names the municipal companies, long title
f21 = "KS 2024-05-08 § 142 Protokollsutdrag.pdf"
add("21-vasteras-stad-ks-bolagen-namns.eml", outlook_message(
    sender=Person("Hanna Virtanen", None, "hanna.virtanen@vasteras.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin, Västerås stad", moment=when(5, 15, 13, 3),
    msgid=mid("m21", "vasteras.se"), token="m21c2e8a4b7d6", origin=("mx2.vasteras.se", "195.198.28.71"),
    text=("Hej,\n\n"
          "Kommunstyrelsen i Västerås stad har beslutat att staden ansluter sig till " + STRATEGY + ". "
          "Protokollsutdrag bifogas. De helägda bolagen fattar egna beslut.\n\n"
          "Kontaktperson för Västerås stad är undertecknad.\n\n"
          "Vänliga hälsningar\n\n"
          "Hanna Virtanen\n"
          "Strateg för mänskliga rättigheter och jämställdhet\n"
          "Stadsledningskontoret\n"
          "Västerås stad\n"
          "Telefon 021-39 25 14\n"
          "Växel 021-39 00 00\n"
          "hanna.virtanen@vasteras.se"),
    attachments=(File(f21, minutes_pdf(
        ["Västerås stad", "Kommunstyrelsen"],
        ["PROTOKOLLSUTDRAG", "Sammanträdesdatum", "den 8 maj 2024"],
        ["§ 142                                        Dnr KS 2024/00412",
         "",
         "## Anslutning till " + STRATEGY,
         "",
         "## Kommunstyrelsens beslut",
         "1. Västerås stad ansluter sig till " + STRATEGY + ".",
         "2. De helägda bolagen, bland andra Mälarenergi AB, Bostads AB Mimer och Västerås Stads "
         "Parkerings AB, uppmanas att fatta egna beslut om anslutning.",
         "3. Stadsledningskontoret utser kontaktperson.",
         "",
         "## Ärendebeskrivning",
         "Länsstyrelsen har bjudit in länets kommuner att ansluta sig till strategin. Staden arbetar sedan "
         "2009 utifrån CEMR-deklarationen för jämställdhet.",
         "",
         "Beslutet skickas till: Länsstyrelsen Västmanlands län, Västerås Stadshus AB"],
        footer=f"Västerås stad · Org.nr {ON['vasteras']} · 721 87 Västerås\n"
               "Justerandes sign ............   Utdragsbestyrkande ............")),)),
    label("Anslutning till jämställdhetsstrategin, Västerås stad", "hanna.virtanen@vasteras.se",
          ("Västerås stad", ON["vasteras"], "kommun"),
          dec(f21, "Kommunstyrelsen", "2024-05-08", "§ 142", "KS 2024/00412"),
          ("Hanna Virtanen", "Strateg för mänskliga rättigheter och jämställdhet", "hanna.virtanen@vasteras.se",
           "021-39 25 14")))

# ================================================================ 22 Sala kommun: Apple Mail, nämnd decision, signature contact "Enhetschef för ...", direct + mobile
f22 = "VON 2024-10-22 § 98.pdf"
add("22-sala-kommun-apple-mail-signatur.eml", apple_mail(
    sender=Person("Susanne Berg", None, "susanne.berg@sala.se", None),
    subject="Anslutning till jämställdhetsstrategin", moment=when(10, 29, 16, 48), msgid=mid("m22", "sala.se"),
    token="m22D3F9B5C8E7", origin=("mx.sala.se", "194.17.66.12"),
    text=("Hej!\n\n"
          "Vård- och omsorgsnämnden i Sala kommun har beslutat att ansluta sig till jämställdhetsstrategin, "
          "se bifogat protokollsutdrag.\n"
          "\n\n"
          "Jag är nämndens kontaktperson. Vi samverkar redan med Kvinnojouren i Sala och Sala Sparbank kring "
          "ekonomiskt våld, så det finns en del att berätta på dialogmötet.\n\n"
          "Mvh\n"
          "Susanne Berg\n"
          "Enhetschef för Stöd och behandling\n"
          "Vård och omsorg, Sala kommun\n"
          "Direkt 0224-74 71 85\n"
          "Mobil 070-174 06 97\n"
          "susanne.berg@sala.se"),
    split_at="protokollsutdrag.\n", attachment=File(f22, minutes_pdf(
        ["Sala kommun", "Vård- och omsorgsnämnden"],
        ["SAMMANTRÄDESPROTOKOLL", "Sammanträdesdatum 2024-10-22"],
        ["§ 98    Dnr VON 2024/211",
         "",
         "## Anslutning till " + STRATEGY,
         "",
         "## Vård- och omsorgsnämndens beslut",
         "Vård- och omsorgsnämnden beslutar att ansluta nämndens verksamheter till " + STRATEGY + " och att "
         "enhetschefen för Stöd och behandling är kontaktperson.",
         "",
         "## Ärendebeskrivning",
         "Kommunstyrelsen beslutade i augusti att Sala kommun ansluter sig. Vård- och omsorgsnämnden ansvarar "
         "för stödet till våldsutsatta och beslutar om nämndens egen medverkan.",
         "",
         "Justerandes sign ............     Utdragsbestyrkande ............"]))),
    label(SUBJECT, "susanne.berg@sala.se", ("Sala kommun", None, "kommun"),
          dec(f22, "Vård- och omsorgsnämnden", "2024-10-22", "§ 98", "VON 2024/211"),
          ("Susanne Berg", "Enhetschef för Stöd och behandling", "susanne.berg@sala.se", "0224-74 71 85")))

# ================================================================ 23 Women's shelter association: decision not yet taken (incomplete), Gmail
add("23-frida-kvinnojour-beslut-saknas.eml", gmail_message(
    sender=Person("Frida Kvinnojour Köping", None, "fridakvinnojour.koping@gmail.com", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin", moment=when(10, 30, 18, 25),
    msgid="<CAM3s6Dd9Ff1Gg3Hh5Jj7Kk9Ll1Zz3Xx5Cc7Vv9Bb1Nn3@mail.gmail.com>", token="e5f6a7b8c9d0",
    origin=("mail-lj1-f170.google.com", "209.85.208.170"),
    text=("Hej!\n\n"
          "Vi i Frida Kvinnojour Köping vill gärna ansluta oss till jämställdhetsstrategin. Frågan ska upp på vårt "
          "styrelsemöte den 19 november, och vi skickar protokollet så snart det är justerat.\n\n"
          "Kontaktperson: Yasmin Haddad, samordnare, yasmin.frida@gmail.com, 070-174 06 38\n\n"
          "Vänliga hälsningar\n"
          "Frida Kvinnojour Köping\n"
          f"Org.nr {ON['frida']}")),
    label(SUBJECT, "fridakvinnojour.koping@gmail.com", ("Frida Kvinnojour Köping", ON["frida"], "civilsamhalle"),
          None, ("Yasmin Haddad", "samordnare", "yasmin.frida@gmail.com", "070-174 06 38")))

# ================================================================ 24 Small company: wants to join, no decision and no contact yet (webmail)
add("24-skinnskattebergs-tra-saknar-allt.eml", roundcube(
    sender_name="Skinnskattebergs Trä AB", sender_email="info@skbtra.se",
    subject="Anslutning till jämställdhetsstrategin", moment=when(8, 21, 10, 5),
    msgid="<7d1e4b9c2a3f5e6d8c0b1a2f3e4d5c6b@skbtra.se>", token="m24e6a2c8d1f0",
    origin=("webmail.loopia.se", "194.9.94.80"),
    text=("Hej\n\n"
          "Vi på Skinnskattebergs Trä AB vill också ansluta oss till jämställdhetsstrategin. Beslut och "
          "kontaktperson skickar vi när styrelsen har haft möte.\n\n"
          "Mvh\n"
          "Skinnskattebergs Trä AB\n"
          "Bruksvägen 4, 739 31 Skinnskatteberg\n"
          f"Org.nr {ON['skbtra']}\n"
          "0222-100 40")),
    label(SUBJECT, "info@skbtra.se", ("Skinnskattebergs Trä AB", ON["skbtra"], "naringsliv"), None, None))

# ================================================================ 25 Sala-Heby Energi AB: SV: to a question, quoted board staff signature, extra words in subject
f25 = "Styrelseprotokoll SHE 12 juni 2024.pdf"
q25 = ("Från: Dennis Nyström <dennis.u.nystrom@lansstyrelsen.se>\n"
       "Skickat: den 14 maj 2024 09:31\n"
       "Till: Linnea Håkansson <linnea.hakansson@sheab.se>\n"
       "Ämne: SV: Fråga om anslutning till jämställdhetsstrategin\n\n"
       "Hej Linnea,\n\n"
       "Ja, även företag är välkomna att ansluta sig. Beslutet kan fattas av styrelsen eller ledningsgruppen. "
       "Mejla beslutet till vastmanland@lansstyrelsen.se och ange en kontaktperson med kontaktuppgifter.\n\n"
       "Med vänlig hälsning\n"
       "Dennis Nyström\n"
       "Utvecklingsledare\n"
       "Enheten för social hållbarhet\n"
       "Länsstyrelsen Västmanlands län\n"
       "Telefon: 010-224 90 00\n"
       "dennis.u.nystrom@lansstyrelsen.se")
add("25-sala-heby-energi-sv-fraga.eml", outlook_message(
    sender=Person("Linnea Håkansson", None, "linnea.hakansson@sheab.se", None),
    to="Dennis Nyström <dennis.u.nystrom@lansstyrelsen.se>", cc=TO,
    subject="SV: Fråga om anslutning till jämställdhetsstrategin", moment=when(6, 18, 10, 44), msgid=exo("m25"),
    token="m25f7b3d9e2a1", origin=O365, in_reply_to=exo("m25-lst"),
    text=("Hej Dennis,\n\n"
          "Tack för svaret! Styrelsen har nu beslutat att Sala-Heby Energi AB ansluter sig till strategin. "
          "Protokollet bifogas.\n\n"
          "Kontaktperson hos oss: Linnea Håkansson, HR-strateg, linnea.hakansson@sheab.se, 0224-550 31\n\n"
          "Hälsningar\n"
          "Linnea Håkansson\n"
          "HR-strateg\n"
          "Sala-Heby Energi AB"),
    quoted=q25,
    attachments=(File(f25, plain_pdf(
        "SALA-HEBY ENERGI AB\n"
        "Protokoll fört vid styrelsemöte\n"
        "Datum: 12 juni 2024\n"
        "Plats: Bolagets kontor, Sala\n\n"
        "§ 10 Investeringsbudget\n"
        "Fastställdes enligt förslag.\n\n"
        "§ 11 Anslutning till " + STRATEGY + "\n"
        "Ägarna Sala kommun och Heby kommun har informerats. Styrelsen beslutade att Sala-Heby Energi AB "
        "ansluter sig till strategin, med HR-strategen som kontaktperson.\n\n"
        "§ 12 Mötets avslutande\n\n"
        "Justeras: Olle Bergkvist, ordförande\n\n"
        f"Sala-Heby Energi AB · Org.nr {ON['sheab']} · Box 78, 733 21 Sala")),)),
    label("SV: Fråga om anslutning till jämställdhetsstrategin", "linnea.hakansson@sheab.se",
          ("Sala-Heby Energi AB", ON["sheab"], "naringsliv"),
          dec(f25, "Styrelsen", "2024-06-12", "§ 11", None),
          ("Linnea Håkansson", "HR-strateg", "linnea.hakansson@sheab.se", "0224-550 31")))

# ================================================================ 26 Somali women's association: Gmail, decision in the body, chair is contact via signature
add("26-somaliska-kvinnoforeningen-gmail-i-texten.eml", gmail_message(
    sender=Person("Hodan Warsame", None, "hodan.warsame@gmail.com", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin", moment=when(5, 21, 12, 14),
    msgid="<CAN8y1Tt4Rr6Ee8Ww0Qq2Aa4Ss6Dd8Ff0Gg2Hh4Jj6Kk8@mail.gmail.com>", token="f7a8b9c0d1e2",
    origin=("mail-pj1-f44.google.com", "209.85.216.44"),
    text=("Hej,\n\n"
          "Vi i Somaliska kvinnoföreningen i Västerås har på vårt styrelsemöte lördagen den 18 maj 2024 beslutat "
          "att ansluta föreningen till jämställdhetsstrategin. Ur protokollet:\n\n"
          "§ 5 Föreningen ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027. "
          "Ordföranden är kontaktperson.\n\n"
          "Jag är ordförande och alltså kontaktperson.\n\n"
          "Vänliga hälsningar"),
    signature=("Hodan Warsame\n"
               "Ordförande\n"
               "Somaliska kvinnoföreningen i Västerås\n"
               f"Org.nr {ON['somaliska']}\n"
               "070-174 06 41")),
    label(SUBJECT, "hodan.warsame@gmail.com", ("Somaliska kvinnoföreningen i Västerås", ON["somaliska"], "civilsamhalle"),
          body_dec("Styrelsen", "2024-05-18", "§ 5"),
          ("Hodan Warsame", "Ordförande", "hodan.warsame@gmail.com", "070-174 06 41")))

# ================================================================ 27 "X i Västerås AB": iPhone with an iOS signature, long title, dd.mm.yyyy date
f27 = "Styrelseprotokoll.pdf"
add("27-elektroservice-i-vasteras-iphone.eml", iphone(
    sender=Person("Marcus Ek", None, "marcus.ek@elektroservice-vasteras.se", None),
    subject=SUBJECT, moment=when(11, 18, 17, 37),
    msgid="<5A4B3C2D-1E0F-4A9B-8C7D-6E5F4A3B2C1D@elektroservice-vasteras.se>", token="A1B2C3D4E5F6",
    origin=("smtp.elektroservice-vasteras.se", "79.136.40.18"),
    text=("Hej! Bifogar styrelsens beslut om att vi ansluter oss till strategin. Jag är kontaktperson.\n\n"
          "Mvh\n"
          "Marcus Ek\n"
          "Ansvarig för arbetsmiljö, jämställdhet och mångfald\n"
          "Elektroservice i Västerås AB\n"
          "070-174 06 19\n"
          "marcus.ek@elektroservice-vasteras.se"),
    attachments=(File(f27, plain_pdf(
        "Styrelseprotokoll\n"
        f"Elektroservice i Västerås AB, {ON['elektro']}\n"
        "Möte: 14.11.2024\n\n"
        "Närvarande: Tommy Ek (ordf.), Marcus Ek, Sandra Ek\n\n"
        "§ 1 Öppnande\n\n"
        "§ 2 Dagordning\n"
        "Godkändes.\n\n"
        "§ 3 Jämställdhetsstrategin\n"
        "Styrelsen beslutar att bolaget ansluter sig till Jämställdhetsstrategi för Västmanlands län "
        "2024–2027. Marcus Ek ansvarar.\n\n"
        "§ 4 Avslut\n\n"
        "Justeras: Tommy Ek")),)),
    label(SUBJECT, "marcus.ek@elektroservice-vasteras.se", ("Elektroservice i Västerås AB", ON["elektro"], "naringsliv"),
          dec(f27, "Styrelsen", "2024-11-14", "§ 3", None),
          ("Marcus Ek", "Ansvarig för arbetsmiljö, jämställdhet och mångfald", "marcus.ek@elektroservice-vasteras.se",
           "070-174 06 19")))

# ================================================================ 28 Riding club: webmail, subject without å/ä/ö, scanned PDF, board mailbox sends
f28 = "Scan_0042.pdf"
add("28-arboga-ridklubb-skannad-ascii-amne.eml", roundcube(
    sender_name="Arboga Ridklubb Styrelsen", sender_email="styrelsen@arbogaridklubb.se",
    subject="Anslutning till jamstalldhetsstrategin", moment=when(2, 26, 20, 11),
    msgid="<e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4@arbogaridklubb.se>", token="m28a3c9e5b0d2",
    origin=("webmail.one.com", "46.30.211.50"),
    text=("Hej!\n\n"
          "Arboga Ridklubb ansluter sig till jämställdhetsstrategin. Styrelsens beslut bifogas som inskannat "
          "protokoll.\n\n"
          "Kontaktperson: Emma Ståhl, ungdomsledare och jämställdhetsansvarig, emma.stahl@arbogaridklubb.se, "
          "070-174 06 29\n\n"
          "Med vänlig hälsning\n"
          "Styrelsen i Arboga Ridklubb\n"
          f"Org.nr {ON['ridklubb']}"),
    attachments=(File(f28, scan_pdf(
        "ARBOGA RIDKLUBB\n"
        "\n"
        "Protokoll fört vid styrelsemöte\n"
        "Datum: 2024-02-20\n"
        "Plats: Klubbstugan\n"
        "\n"
        "§ 8 Ekonomi\n"
        "Kassören redovisade ekonomin.\n"
        "\n"
        "§ 9 Jämställdhetsstrategin\n"
        "Styrelsen beslutar att Arboga Ridklubb ansluter\n"
        "sig till Jämställdhetsstrategi för Västmanlands\n"
        "län 2024-2027. Emma Ståhl är kontaktperson.\n"
        "\n"
        "§ 10 Nästa möte 2024-03-19\n"
        "\n"
        "Vid protokollet: Karin Moberg\n"
        "Justeras: Anna Wiik, ordförande\n")),)),
    label("Anslutning till jamstalldhetsstrategin", "styrelsen@arbogaridklubb.se",
          ("Arboga Ridklubb", ON["ridklubb"], "civilsamhalle"),
          dec(f28, "Styrelsen", "2024-02-20", "§ 9", None, "ocr"),
          ("Emma Ståhl", "ungdomsledare och jämställdhetsansvarig", "emma.stahl@arbogaridklubb.se", "070-174 06 29")))

# ================================================================ 29 Bostads AB Mimer: "AB" first, "Paragraf 47", mixed-case From, Kontaktuppgifter block
f29 = "Mimer styrelse 2024-06-12 paragraf 47.pdf"
add("29-bostads-ab-mimer-paragraf.eml", outlook_message(
    sender=Person("Jonas Ahlgren", None, "Jonas.Ahlgren@Mimer.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin - Bostads AB Mimer", moment=when(6, 19, 14, 2),
    msgid=exo("m29"), token="m29b4d0f6c1e3", origin=O365,
    text=("Hej,\n\n"
          "Bostads AB Mimer ansluter sig till " + STRATEGY + ". Styrelsens beslut bifogas.\n\n"
          "Kontaktuppgifter:\n"
          "Namn: Rebecka Ström\n"
          "Titel: Hållbarhetschef\n"
          "E-post: rebecka.strom@mimer.se\n"
          "Telefon: 021-39 70 22\n\n"
          "Med vänlig hälsning\n\n"
          "Jonas Ahlgren\n"
          "Styrelsesekreterare\n"
          "Bostads AB Mimer, ett bolag ägt av Västerås stad\n"
          f"Org.nr {ON['mimer']}\n"
          "Tel 021-39 70 00"),
    attachments=(File(f29, minutes_pdf(
        ["Bostads AB Mimer", "Styrelsen"],
        ["PROTOKOLL", "Styrelsesammanträde", "den 12 juni 2024"],
        ["Paragraf 47",
         "",
         "## Anslutning till " + STRATEGY,
         "",
         "Västerås stad har uppmanat de helägda bolagen att ansluta sig till länets jämställdhetsstrategi. "
         "Mimer arbetar redan med trygghet i bostadsområdena och med stöd till våldsutsatta hyresgäster.",
         "",
         "Styrelsen beslutar att Bostads AB Mimer ansluter sig till strategin och att hållbarhetschefen är "
         "kontaktperson.",
         "",
         "Vid protokollet: Jonas Ahlgren          Justeras: Ordförande Lars Kallin"])),)),
    label("Anslutning till jämställdhetsstrategin - Bostads AB Mimer", "jonas.ahlgren@mimer.se",
          ("Bostads AB Mimer", ON["mimer"], "naringsliv"),
          dec(f29, "Styrelsen", "2024-06-12", "§ 47", None),
          ("Rebecka Ström", "Hållbarhetschef", "rebecka.strom@mimer.se", "021-39 70 22")))

# ================================================================ 30 Hallstahem AB: prose contact with a long title, "25/4 2024", mentions Hallstahammars kommun
f30 = "Hallstahem styrelseprotokoll april 2024.pdf"
add("30-hallstahem-prosa-lang-titel.eml", outlook_message(
    sender=Person("Tomas Öberg", None, "tomas.oberg@hallstahem.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin", moment=when(5, 2, 11, 26),
    msgid=mid("m30", "hallstahem.se"), token="m30c5e1a7d2f4", origin=("mail.hallstahem.se", "217.21.240.60"),
    text=("Hej!\n\n"
          "Hallstahem AB har, precis som vår ägare Hallstahammars kommun, beslutat att ansluta sig till länets "
          "jämställdhetsstrategi. Styrelseprotokollet bifogas.\n\n"
          "Kontaktperson blir Nina Lehto, enhetschef för uthyrning och kundservice. Hon nås på "
          "nina.lehto@hallstahem.se eller 0220-244 15.\n\n"
          "Vänliga hälsningar\n"
          "Tomas Öberg\n"
          "VD\n"
          "Hallstahem AB\n"
          "0220-244 00"),
    attachments=(File(f30, plain_pdf(
        "HALLSTAHEM AB\n"
        f"Org.nr {ON['hallstahem']}\n\n"
        "Protokoll fört vid styrelsesammanträde\n"
        "Datum: 25/4 2024\n\n"
        "§ 27 Hyresförhandlingar 2025\n"
        "VD informerade.\n\n"
        "§ 28 Jämställdhetsstrategi för Västmanlands län 2024–2027\n"
        "Hallstahammars kommun har anslutit sig till strategin. Styrelsen beslutar att Hallstahem AB ansluter "
        "sig och att enhetschefen för uthyrning och kundservice är kontaktperson.\n\n"
        "§ 29 Övriga frågor\n"
        "Inga.\n\n"
        "Justeras: Birgitta Sundin, ordförande")),)),
    label(SUBJECT, "tomas.oberg@hallstahem.se", ("Hallstahem AB", ON["hallstahem"], "naringsliv"),
          dec(f30, "Styrelsen", "2024-04-25", "§ 28", None),
          ("Nina Lehto", "enhetschef för uthyrning och kundservice", "nina.lehto@hallstahem.se", "0220-244 15")))


def main() -> None:
    out = HERE / "mail"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.eml"):
        old.unlink()
    assert len(MAIL) == 30, len(MAIL)
    for name, raw in MAIL.items():
        (out / name).write_bytes(raw)
    (HERE / "expected.json").write_text(json.dumps(EXPECTED, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(MAIL)} messages to {out}")


if __name__ == "__main__":
    main()
