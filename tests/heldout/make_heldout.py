"""Held-out labelled mail: 20 affiliation messages written independently of the extractor.

    .venv/bin/python tests/heldout/make_heldout.py      # writes tests/heldout/mail/*.eml and expected.json

The labels are what a careful registrar would record from each message. All people, phone numbers,
organisation numbers and decisions are invented (mobiles in the fiction range 070-174 06 xx);
org numbers are made valid with the Luhn check digit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "examples"))

from mailgen.clients import (  # noqa: E402
    gmail_message,
    iphone_message,
    outlook_message,
    part,
    received,
    thunderbird_message,
    to_bytes,
)
from mailgen.encoding import addr, b64, enc_auto, qp, rfc2231, rfc2822_date, single_q  # noqa: E402
from mailgen.model import CEST, CET, File, Person, e164, luhn_ok  # noqa: E402

from tests.documents import decision_docx, decision_pdf, font_path, logo_png, scanned_image, scanned_pdf, tnef_with  # noqa: E402

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TO = "vastmanland@lansstyrelsen.se"
TO_NAMED = "=?utf-8?Q?L=C3=A4nsstyrelsen_i_V=C3=A4stmanlands_l=C3=A4n?= <vastmanland@lansstyrelsen.se>"
SUBJECT = "Anslutning till jämställdhetsstrategin"


# ---------------------------------------------------------------- documents

def minutes_pdf(head_left: list[str], head_right: list[str], pages: list[list[str]], footer: str | None = None) -> bytes:
    """A protocol extract with a municipal-looking layout: a two-column header block on every page,
    '# ' lines as bold headings, '## ' as bold paragraph titles, and a signature footer."""
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
    for page in pages:
        pdf.add_page()
        for line in page:
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


# ---------------------------------------------------------------- extra client shapes

def apple_mail_message(*, sender: Person, to: str, subject: str, moment: datetime, msgid: str, token: str,
                       text: str, attachment: File, split_at: str) -> bytes:
    """Apple Mail on macOS: alternative(plain, mixed(html, the file inline, html)); the file sits where it was dropped."""
    import html as h
    before, _, after = text.partition(split_at)
    before += split_at

    def to_html(block: str) -> str:
        return "".join(f"<div>{h.escape(l)}</div>" if l.strip() else "<div><br></div>" for l in block.split("\n"))

    head = '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">'
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
        received("mx1.lansstyrelsen.se", "mx.sala.se", "194.17.66.12", moment, token[:10]),
        ("From", addr(sender.name, sender.email, "q")),
        ("Content-Type", f'multipart/alternative;\n\tboundary="Apple-Mail=_{token}-A"'),
        ("Mime-Version", "1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))"),
        ("Subject", enc_auto(subject, "q")),
        ("Message-Id", msgid),
        ("Date", rfc2822_date(moment)),
        ("To", to),
        ("X-Mailer", "Apple Mail (2.3774.600.62)"),
    ], [plain, mixed])
    return to_bytes(top)


def roundcube_message(*, sender_name: str | None, sender_email: str, to: str, subject: str, moment: datetime,
                      msgid: str, token: str, text: str, attachments: tuple[File, ...]) -> bytes:
    """Roundcube webmail: mixed(text/plain QP format=flowed, files with RFC 2231 names and a size)."""
    parts = [part([("Content-Type", "text/plain; charset=UTF-8; format=flowed"),
                   ("Content-Transfer-Encoding", "quoted-printable")], qp(text + "\n", "utf-8"))]
    for f in attachments:
        fn = f'filename="{f.filename}"' if f.filename.isascii() else f"filename*={rfc2231(f.filename)}"
        parts.append(part([("Content-Transfer-Encoding", "base64"),
                           ("Content-Type", f"{f.ctype};\n name={f.filename if f.filename.isascii() else single_q(f.filename, 'UTF-8')}"),
                           ("Content-Disposition", f"attachment;\n {fn};\n size={len(f.data)}")], b64(f.data)))
    top = part([
        ("Return-Path", f"<{sender_email}>"),
        received("mx1.lansstyrelsen.se", "webmail.skinnskatteberg.se", "185.45.12.80", moment, token[:10]),
        ("MIME-Version", "1.0"),
        ("Date", rfc2822_date(moment)),
        ("From", addr(sender_name, sender_email, "q")),
        ("To", to),
        ("Subject", enc_auto(subject, "q")),
        ("Message-ID", msgid),
        ("X-Sender", sender_email),
        ("User-Agent", "Roundcube Webmail/1.6.6"),
        ("Content-Type", f'multipart/mixed;\n boundary="=_{token}"'),
    ], parts)
    return to_bytes(top)


# ---------------------------------------------------------------- labels

def label(subject: str, sender: str, org: tuple[str, str | None, str], decision: dict | None,
          contact: tuple[str, str | None, str, str | None] | None) -> dict:
    name, number, kind = org
    if number:
        assert luhn_ok(number), number
    dec = {"present": False, "filename": None, "decided_by": None, "date": None, "paragraph": None,
           "case_number": None, "text_source": None}
    if decision:
        dec = {"present": True, **decision}
    con = {"name": None, "title": None, "email": None, "phone": None}
    if contact:
        con = {"name": contact[0], "title": contact[1], "email": contact[2],
               "phone": e164(contact[3]) if contact[3] else None}
    missing = ([] if decision else ["decision"]) + ([] if contact else ["contact"])
    return {"kind": "affiliation", "subject": subject, "sender": sender,
            "organisation": {"name": name, "org_number": number, "type": kind},
            "decision": dec, "contact": con, "missing": missing}


def dec(filename, decided_by, date, paragraph, case_number, text_source="pdf_text") -> dict:
    return {"filename": filename, "decided_by": decided_by, "date": date, "paragraph": paragraph,
            "case_number": case_number, "text_source": text_source}


MAIL: dict[str, bytes] = {}
EXPECTED: dict[str, dict] = {}


def add(name: str, raw: bytes, expected: dict) -> None:
    MAIL[name] = raw
    EXPECTED[name] = expected


def when(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2024, month, day, hour, minute, 12, tzinfo=CEST if 4 <= month <= 10 else CET)


def mid(token: str, domain: str) -> str:
    return f"<{hashlib.sha1(token.encode()).hexdigest()[:24].upper()}@{domain}>"


# ================================================================ h01 Arboga: registrar sends, contact in prose, Cc
arboga_pdf = minutes_pdf(
    ["ARBOGA KOMMUN", "Kommunstyrelsen"],
    ["SAMMANTRÄDESPROTOKOLL", "Sammanträdesdatum 2024-05-14"],
    [[
        "§ 87                                              Dnr KS 2024/312",
        "",
        "## Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
        "",
        "## Ärendebeskrivning",
        "Länsstyrelsen i Västmanlands län har tagit fram en regional jämställdhetsstrategi för "
        "perioden 2024–2027 och bjuder in länets kommuner att ansluta sig. En anslutning innebär "
        "att kommunen antar en viljeinriktning att bidra till strategins måluppfyllelse.",
        "Kommunstyrelsens arbetsutskott behandlade ärendet 2024-04-30, § 61.",
        "",
        "## Beslutsunderlag",
        "Tjänsteskrivelse från kommunledningskontoret, 2024-04-12",
        "Jämställdhetsstrategi för Västmanlands län 2024–2027",
        "",
        "## Kommunstyrelsens beslut",
        "1. Arboga kommun ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027.",
        "2. Kommunledningskontoret får i uppdrag att utse kontaktperson gentemot Länsstyrelsen.",
        "",
        "Beslutet skickas till",
        "Länsstyrelsen Västmanlands län",
        "Folkhälsosamordnare",
    ]],
    footer="Justerandes sign ............   ............        Utdragsbestyrkande ..................\n"
           "Protokollet justerat 2024-05-21. Anslaget på kommunens digitala anslagstavla 2024-05-22.",
)
arboga_file = "KS 2024-05-14 § 87 Anslutning jämställdhetsstrategi.pdf"
add("h01-arboga-registrator-prosa.eml", outlook_message(
    sender=Person("Registrator Arboga kommun", None, "registrator@arboga.se", None),
    to=TO, cc="Lena Ek <lena.ek@arboga.se>",
    subject="Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027 – Arboga kommun",
    moment=when(5, 23, 9, 41), msgid=mid("h01", "arboga.se"), token="h01ab3c9d7e2f",
    origin=("mail.arboga.se", "62.88.131.20"),
    text=("Hej,\n\n"
          "Översänder härmed protokollsutdrag från kommunstyrelsens sammanträde 2024-05-14, § 87, avseende "
          "Arboga kommuns anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027.\n\n"
          "Kontaktperson för arbetet är vår folkhälsosamordnare Lena Ek, lena.ek@arboga.se, 0589-871 23. "
          "Lena är kopierad på detta mejl.\n\n"
          "Med vänlig hälsning\n\n"
          "Registrator\n"
          "Kommunledningskontoret\n"
          "Arboga kommun\n"
          "Växel 0589-870 00\n"
          "registrator@arboga.se"),
    attachments=(File(arboga_file, arboga_pdf),)),
    label("Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027 – Arboga kommun",
          "registrator@arboga.se", ("Arboga kommun", None, "kommun"),
          dec(arboga_file, "Kommunstyrelsen", "2024-05-14", "§ 87", "KS 2024/312"),
          ("Lena Ek", "folkhälsosamordnare", "lena.ek@arboga.se", "0589-871 23")))

# ================================================================ h02 Fagersta: KF decision, KS proposal as distractor, labelled contact list
fagersta_pdf = minutes_pdf(
    ["Fagersta kommun", "Kommunfullmäktige"],
    ["PROTOKOLLSUTDRAG", "Sammanträdesdatum: 2024-05-27"],
    [[
        "Tid och plats: Måndagen den 27 maj 2024 kl. 18.00–20.45, Fagersta Folkets hus, stora salen",
        "",
        "KF § 64                                    Diarienummer: KS.2024.0099",
        "",
        "## Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
        "",
        "## Sammanfattning av ärendet",
        "Länsstyrelsen Västmanland har antagit en strategi för samtliga jämställdhetspolitiska delmål. "
        "Kommunerna i länet uppmanas att ansluta sig genom ett politiskt beslut och att utse en kontaktperson.",
        "",
        "Kommunstyrelsen föreslog vid sitt sammanträde 2024-05-06, § 71, att kommunfullmäktige "
        "beslutar att Fagersta kommun ansluter sig till strategin.",
        "",
        "## Yrkanden",
        "Ordföranden yrkar bifall till kommunstyrelsens förslag.",
        "",
        "## Kommunfullmäktiges beslut",
        "Fagersta kommun ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027.",
        "",
        "_______",
        "Expedieras: Länsstyrelsen Västmanlands län, Kommunstyrelsen, Utvecklingsstrateg",
    ]],
    footer="Ordförandes sign          Justerandes sign          Utdragsbestyrkande\n"
           "Justerat 2024-06-03                                   Rätt utdraget intygar: Maria Sandberg",
)
fagersta_file = "Protokollsutdrag KF 2024-05-27 § 64.pdf"
add("h02-fagersta-kf-kontaktlista.eml", outlook_message(
    sender=Person("Maria Sandberg", None, "maria.sandberg@fagersta.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin - Fagersta kommun",
    moment=when(6, 4, 14, 2), msgid=mid("h02", "fagersta.se"), token="h02f4a61c0b8e",
    charset="iso-8859-1", text_cte="quoted-printable", name_enc="q", subject_enc="q",
    origin=("mx.fagersta.se", "195.67.112.40"),
    text=("Hej!\n\n"
          "Kommunfullmäktige i Fagersta beslutade den 27 maj 2024 att Fagersta kommun ska ansluta sig till "
          "Jämställdhetsstrategi för Västmanlands län 2024–2027. Bifogar justerat protokollsutdrag.\n\n"
          "Kontaktperson:\n"
          "Namn: Jonas Berglund\n"
          "Titel: Utvecklingsstrateg\n"
          "E-post: jonas.berglund@fagersta.se\n"
          "Telefon: 0223-441 27\n\n"
          "Vänliga hälsningar\n"
          "Maria Sandberg\n"
          "Kommunsekreterare\n"
          "Kommunledningsförvaltningen\n"
          "Fagersta kommun\n"
          "Tel. 0223-441 05\n"
          "Växel 0223-440 00\n"
          "www.fagersta.se").replace("–", "-"),
    attachments=(File(fagersta_file, fagersta_pdf),)),
    label("Anslutning till jämställdhetsstrategin - Fagersta kommun", "maria.sandberg@fagersta.se",
          ("Fagersta kommun", None, "kommun"),
          dec(fagersta_file, "Kommunfullmäktige", "2024-05-27", "§ 64", "KS.2024.0099"),
          ("Jonas Berglund", "Utvecklingsstrateg", "jonas.berglund@fagersta.se", "0223-441 27")))

# ================================================================ h03 Hallstahammar: Socialnämnden, sender is contact, mobile + växel
hallsta_pdf = decision_pdf(
    "HALLSTAHAMMARS KOMMUN\n"
    "Socialnämnden\n"
    "Protokoll 2024-04-23\n\n"
    "SN § 34     SN 2024/77\n\n"
    "Anslutning till länets jämställdhetsstrategi\n\n"
    "Bakgrund\n"
    "Socialförvaltningen har berett frågan om anslutning till Jämställdhetsstrategi för "
    "Västmanlands län 2024–2027, särskilt delmålet att mäns våld mot kvinnor ska upphöra.\n\n"
    "Förvaltningens förslag till beslut\n"
    "Socialnämnden ansluter sig till strategin.\n\n"
    "Socialnämndens beslut\n"
    "Socialnämnden beslutar att ansluta sig till Jämställdhetsstrategi för Västmanlands län 2024–2027 "
    "samt att uppdra åt socialchefen att utse en kontaktperson.\n\n"
    "Justerandes signatur: ______     Utdragsbestyrkande: ______\n"
    "Protokollet justerades 2024-04-29")
hallsta_file = "SN § 34 jämställdhetsstrategi.pdf"
add("h03-hallstahammar-socialnamnden-mobil.eml", outlook_message(
    sender=Person("Sofia Karlsson", None, "sofia.karlsson@hallstahammar.se", None),
    to=TO, subject=SUBJECT, moment=when(5, 2, 10, 17), msgid=mid("h03", "hallstahammar.se"),
    token="h03c9d21e7a44", origin=("mail.hallstahammar.se", "217.21.240.14"),
    text=("Hej,\n\n"
          "Socialnämnden i Hallstahammars kommun har beslutat att ansluta nämnden och dess verksamheter till "
          "länets jämställdhetsstrategi. Se bifogat protokollsutdrag (SN § 34, 2024-04-23).\n\n"
          "Jag kommer att vara kontaktperson gentemot Länsstyrelsen i det fortsatta arbetet, så hör gärna av "
          "er till mig för att boka in dialogmötet. Jag är ledig v. 28–31.\n\n"
          "Med vänliga hälsningar\n\n"
          "Sofia Karlsson\n"
          "Verksamhetsutvecklare\n"
          "Socialförvaltningen, Hallstahammars kommun\n"
          "Mobil: 070-174 06 31\n"
          "Växel: 0220-240 00\n"
          "sofia.karlsson@hallstahammar.se\n\n"
          "Hallstahammars kommun behandlar personuppgifter enligt dataskyddsförordningen (GDPR). "
          "Läs mer på www.hallstahammar.se/gdpr"),
    attachments=(File(hallsta_file, hallsta_pdf),)),
    label(SUBJECT, "sofia.karlsson@hallstahammar.se", ("Hallstahammars kommun", None, "kommun"),
          dec(hallsta_file, "Socialnämnden", "2024-04-23", "§ 34", "SN 2024/77"),
          ("Sofia Karlsson", "Verksamhetsutvecklare", "sofia.karlsson@hallstahammar.se", "070-174 06 31")))

# ================================================================ h04 Kungsör: scanned PDF from the office copier
kungsor_scan = scanned_pdf(
    "KUNGSÖRS KOMMUN           SAMMANTRÄDESPROTOKOLL\n"
    "Kommunstyrelsen           Sammanträdesdatum\n"
    "                          2024-06-03\n"
    "\n"
    "§ 56                      Dnr 2024:115\n"
    "\n"
    "Anslutning till Jämställdhetsstrategi för\n"
    "Västmanlands län 2024-2027\n"
    "\n"
    "Kommunstyrelsens beslut\n"
    "Kungsörs kommun ansluter sig till\n"
    "Jämställdhetsstrategi för Västmanlands län\n"
    "2024-2027.\n"
    "\n"
    "Ärendet\n"
    "Länsstyrelsen har bjudit in kommunen att\n"
    "ansluta sig till den regionala strategin.\n"
    "Kommunstrategen har berett ärendet.\n"
    "\n"
    "Justerandes sign      Utdragsbestyrkande\n"
    "  B.L.   K.S.           E. Nord\n")
kungsor_file = "Skanning_20240610_094512.pdf"
add("h04-kungsor-skannad-pdf.eml", outlook_message(
    sender=Person("Eva Nord", None, "eva.nord@kungsor.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin – Kungsörs kommun",
    moment=when(6, 10, 9, 52), msgid=mid("h04", "kungsor.se"), token="h04e81b55f309",
    origin=("mail.kungsor.se", "81.216.64.5"),
    text=("Hej!\n\n"
          "Här kommer det justerade protokollsutdraget från kommunstyrelsen 3 juni gällande anslutning "
          "till jämställdhetsstrategin (inskannat, originalet finns i akten).\n\n"
          "Vår kontaktperson blir kommunstrateg Per Lindgren, som nås på per.lindgren@kungsor.se eller "
          "0227-600 14.\n\n"
          "Hälsningar\n"
          "Eva Nord\n"
          "Nämndsekreterare, Kungsörs kommun\n"
          "0227-600 02"),
    attachments=(File(kungsor_file, kungsor_scan),)),
    label("Anslutning till jämställdhetsstrategin – Kungsörs kommun", "eva.nord@kungsor.se", ("Kungsörs kommun", None, "kommun"),
          dec(kungsor_file, "Kommunstyrelsen", "2024-06-03", "§ 56", "2024:115", "ocr"),
          ("Per Lindgren", "kommunstrateg", "per.lindgren@kungsor.se", "0227-600 14")))

# ================================================================ h05 Köping: Kultur- och fritidsnämnden, DOCX, date "den 14/5 2024"
koping_docx = decision_docx(
    "Köpings kommun\n"
    "Kultur- och fritidsnämnden\n"
    "PROTOKOLLSUTDRAG\n"
    "Sammanträde den 14/5 2024\n"
    "\n"
    "Paragraf 22\n"
    "Diarienummer KFN 2024/41\n"
    "\n"
    "Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027\n"
    "\n"
    "Kultur- och fritidsförvaltningen har fått en förfrågan från Länsstyrelsen om att ansluta sig till "
    "länets jämställdhetsstrategi. Förvaltningen bedömer att föreningsbidragen och fritidsgårdsverksamheten "
    "kan bidra till delmålen om jämn fördelning av makt och inflytande samt till det våldsförebyggande arbetet.\n"
    "\n"
    "Beslut\n"
    "Kultur- och fritidsnämnden beslutar\n"
    "att ansluta nämnden till Jämställdhetsstrategi för Västmanlands län 2024–2027, samt\n"
    "att utse fritidskonsulent Anders Wik till nämndens kontaktperson.\n"
    "\n"
    "Vid protokollet: Helena Strömberg\n"
    "Justerat 2024-05-20")
koping_file = "Protokollsutdrag KFN 2024-05-14 p 22.docx"
add("h05-koping-kfn-docx.eml", outlook_message(
    sender=Person("Helena Strömberg", None, "helena.stromberg@koping.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin", moment=when(5, 21, 15, 33),
    msgid=mid("h05", "koping.se"), token="h05a0c4e96b21", origin=("mx01.koping.se", "213.180.75.33"),
    text=("Hej,\n\n"
          "Bifogar protokollsutdrag från kultur- och fritidsnämndens sammanträde den 14/5 2024.\n\n"
          "Kontaktperson: Anders Wik, fritidskonsulent, anders.wik@koping.se, tfn 0221-251 38\n\n"
          "Mvh\n"
          "Helena Strömberg\n"
          "Nämndsekreterare\n"
          "Kultur- och fritidsförvaltningen\n"
          "Köpings kommun"),
    attachments=(File(koping_file, koping_docx, DOCX),)),
    label(SUBJECT, "helena.stromberg@koping.se", ("Köpings kommun", None, "kommun"),
          dec(koping_file, "Kultur- och fritidsnämnden", "2024-05-14", "§ 22", "KFN 2024/41", "docx"),
          ("Anders Wik", "fritidskonsulent", "anders.wik@koping.se", "0221-251 38")))

# ================================================================ h06 Norberg: incomplete, decision not yet taken
add("h06-norberg-beslut-saknas.eml", outlook_message(
    sender=Person("Emma Lund", None, "emma.lund@norberg.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin", moment=when(5, 28, 8, 12),
    msgid=mid("h06", "norberg.se"), token="h06b7d0f2a9c5", origin=("smtp.norberg.se", "91.206.204.18"),
    text=("Hej!\n\n"
          "Norbergs kommun vill gärna ansluta sig till Jämställdhetsstrategi för Västmanlands län 2024–2027. "
          "Ärendet ska upp i kommunstyrelsen den 11 juni och vi skickar över protokollsutdraget så snart det "
          "är justerat.\n\n"
          "Under tiden går det bra att kontakta mig om ni vill boka in ett första dialogmöte redan nu, "
          "gärna efter midsommar.\n\n"
          "Hälsningar\n"
          "Emma Lund\n"
          "Folkhälsostrateg\n"
          "Norbergs kommun\n"
          "Telefon 0223-290 45\n"
          "emma.lund@norberg.se")),
    label(SUBJECT, "emma.lund@norberg.se", ("Norbergs kommun", None, "kommun"), None,
          ("Emma Lund", "Folkhälsostrateg", "emma.lund@norberg.se", "0223-290 45")))

# ================================================================ h07 Sala: Apple Mail, contact + deputy, date "20 augusti 2024"
sala_pdf = minutes_pdf(
    ["Sala kommun", "Kommunstyrelsen"],
    ["Protokoll", "Datum: 20 augusti 2024", "Diarienr: 2024/188"],
    [[
        "# § 121 Jämställdhetsstrategi för Västmanlands län 2024–2027 – anslutning",
        "",
        "INLEDNING",
        "Länsstyrelsen i Västmanlands län har den 8 februari 2024 antagit Jämställdhetsstrategi för "
        "Västmanlands län – En strategi för samtliga jämställdhetspolitiska delmål 2024–2027.",
        "",
        "Beredning",
        "Bilaga KS 2024/112/1, missiv från Länsstyrelsen",
        "Bilaga KS 2024/112/2, tjänsteskrivelse",
        "",
        "Yrkanden",
        "Ordföranden yrkar bifall till arbetsutskottets förslag.",
        "",
        "Beslut",
        "Kommunstyrelsen beslutar",
        "att Sala kommun ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027, och",
        "att ge kommunstyrelsens förvaltning i uppdrag att samordna arbetet.",
        "",
        "Utdrag: Länsstyrelsen, Kommunstyrelsens förvaltning, Vård och omsorg, Skola och förskola",
    ]],
    footer="Justerandes sign                          Utdragsbestyrkande",
)
sala_file = "KS 240820 §121.pdf"
add("h07-sala-apple-mail-ersattare.eml", apple_mail_message(
    sender=Person("Johan Strand", None, "johan.strand@sala.se", None),
    to=TO, subject="Beslut: anslutning till jämställdhetsstrategin", moment=when(8, 27, 16, 5),
    msgid=mid("h07", "sala.se"), token="h07F1E2D3C4B5",
    text=("Hej\n\n"
          "Bifogat finns kommunstyrelsens beslut om anslutning till den regionala jämställdhetsstrategin.\n"
          "\n\n"
          "Kontaktperson är Maria Holm, folkhälsostrateg (maria.holm@sala.se, 0224-74 70 12). Vid hennes "
          "frånvaro kan ni vända er till Jonas Ekdahl, samhällsstrateg, jonas.ekdahl@sala.se, 0224-74 70 31.\n\n"
          "Vänligen\n"
          "Johan Strand\n"
          "Kommunsekreterare\n"
          "Sala kommun\n"
          "Box 304, 733 25 Sala\n"
          "Tel 0224-74 70 03"),
    split_at="jämställdhetsstrategin.\n", attachment=File(sala_file, sala_pdf)),
    label("Beslut: anslutning till jämställdhetsstrategin", "johan.strand@sala.se", ("Sala kommun", None, "kommun"),
          dec(sala_file, "Kommunstyrelsen", "2024-08-20", "§ 121", "2024/188"),
          ("Maria Holm", "folkhälsostrateg", "maria.holm@sala.se", "0224-74 70 12")))

# ================================================================ h08 Skinnskatteberg: incomplete, no contact person (functional mailbox, webmail)
skb_pdf = decision_pdf(
    "Skinnskattebergs kommun\n"
    "SAMMANTRÄDESPROTOKOLL\n"
    "Kommunstyrelsen\n"
    "Sammanträdesdatum 2024-09-10\n\n"
    "Ks § 98\n"
    "Diarienummer KS 2024/0213\n\n"
    "Anslutning till jämställdhetsstrategin för Västmanlands län\n\n"
    "Beslut\n"
    "Kommunstyrelsen beslutar att Skinnskattebergs kommun ansluter sig till Jämställdhetsstrategi för "
    "Västmanlands län 2024–2027.\n\n"
    "Sammanfattning\n"
    "Kommunen har fått en inbjudan från Länsstyrelsen att ansluta sig. Förvaltningen föreslår att "
    "kommunen ansluter sig och att arbetet bedrivs inom ramen för det ordinarie folkhälsoarbetet.\n\n"
    "Expedieras till: Länsstyrelsen Västmanlands län\n\n"
    "Justerandes signatur                 Utdragsbestyrkande")
skb_file = "Ks 2024-09-10 § 98.pdf"
add("h08-skinnskatteberg-utan-kontakt-webmail.eml", roundcube_message(
    sender_name="Kommunkansliet Skinnskatteberg", sender_email="kommunkansliet@skinnskatteberg.se",
    to=TO, subject="Anslutning till jämställdhetsstrategin", moment=when(9, 16, 11, 20),
    msgid="<3b9f0c1a77de2e4b5c8a0d6f1e2a9b70@skinnskatteberg.se>", token="h08d9e1f0c3a7",
    text=("Hej.\n\n"
          "Bifogar kommunstyrelsens beslut om anslutning till jämställdhetsstrategin.\n\n"
          "Mvh\n"
          "Kommunkansliet\n"
          "Skinnskattebergs kommun\n"
          "0222-450 00"),
    attachments=(File(skb_file, skb_pdf),)),
    label(SUBJECT, "kommunkansliet@skinnskatteberg.se", ("Skinnskattebergs kommun", None, "kommun"),
          dec(skb_file, "Kommunstyrelsen", "2024-09-10", "§ 98", "KS 2024/0213"), None))

# ================================================================ h09 Surahammar: Outlook rich text -> winmail.dat holding the PDF
sura_pdf = minutes_pdf(
    ["Surahammars kommun", "Kommunstyrelsen"],
    ["PROTOKOLLSUTDRAG", "Sammanträdesdatum", "2024-09-02"],
    [[
        "KS § 112",
        "KS 2024/145",
        "",
        "## Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
        "",
        "Kommunstyrelsens beslut",
        "Surahammars kommun ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027.",
        "",
        "Ärendebeskrivning",
        "Strategin omfattar samtliga sex jämställdhetspolitiska delmål. Anslutningen är inte juridiskt "
        "bindande. Länsstyrelsen kommer att föra dialog med kommunen om vilka problemområden kommunen "
        "kan bidra till.",
        "",
        "Beslutsunderlag",
        "Tjänsteskrivelse daterad 2024-08-12",
    ]],
    footer="Surahammars kommun · Org.nr 212000-2098 · Box 206, 735 23 Surahammar · 0220-390 00",
)
sura_inner = "Protokollsutdrag KS 2024-09-02 § 112.pdf"
add("h09-surahammar-winmail-dat.eml", outlook_message(
    sender=Person("Karin Åberg", None, "karin.aberg@surahammar.se", None),
    to=TO, subject=SUBJECT, moment=when(9, 9, 13, 48), msgid=mid("h09", "surahammar.se"), token="h09a2b3c4d5e6",
    origin=("exch01.surahammar.se", "194.17.142.9"),
    text=("Hej,\n\n"
          "Surahammars kommun ansluter sig härmed till Jämställdhetsstrategi för Västmanlands län 2024–2027. "
          "Kommunstyrelsens beslut bifogas.\n\n"
          "Kontaktuppgifter:\n"
          "Karin Åberg, kommunutvecklare\n"
          "Direkt: 0220-392 14\n"
          "Växel: 0220-390 00\n"
          "karin.aberg@surahammar.se\n\n"
          "Med vänlig hälsning\n"
          "Karin Åberg"),
    attachments=(File("winmail.dat", tnef_with(sura_inner, sura_pdf), "application/ms-tnef"),)),
    label(SUBJECT, "karin.aberg@surahammar.se", ("Surahammars kommun", "212000-2098", "kommun"),
          dec(sura_inner, "Kommunstyrelsen", "2024-09-02", "§ 112", "KS 2024/145"),
          ("Karin Åberg", "kommunutvecklare", "karin.aberg@surahammar.se", "0220-392 14")))

# ================================================================ h10 Västerås: IFN, greeting names board staff, direct + växel
vas_pdf = minutes_pdf(
    ["Västerås stad", "Individ- och familjenämnden"],
    ["Protokollsutdrag", "Sammanträdesdatum: 18 juni 2024"],
    [[
        "§ 78    Dnr IFN 2024/00231-1.1.3",
        "",
        "## Yttrande över anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
        "",
        "Individ- och familjenämndens beslut",
        "1. Individ- och familjenämnden ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027.",
        "2. Nämnden prioriterar problemområdet systematisk upptäckt av våld.",
        "",
        "Ärendebeskrivning",
        "Länsstyrelsen har i samråd med länets aktörer tagit fram en ny strategi för jämställdhet. "
        "Individ- och familjeförvaltningen har ansvar för stadens arbete mot våld i nära relationer och "
        "föreslår därför att nämnden ansluter sig.",
        "",
        "Ärendet har beretts av individ- och familjeförvaltningen, handläggare Anna-Karin Lindström.",
        "",
        "Beslutet skickas till: Länsstyrelsen Västmanlands län; Stadsledningskontoret",
    ]],
    footer="Justerare: ____________     Rätt utdraget intygar: ____________",
)
vas_file = "IFN 2024-06-18 §78 Protokollsutdrag.pdf"
add("h10-vasteras-ifn-direkt-och-vaxel.eml", outlook_message(
    sender=Person("Anna-Karin Lindström", None, "anna-karin.lindstrom@vasteras.se", None),
    to="Dennis Nyström <dennis.u.nystrom@lansstyrelsen.se>",
    cc="vastmanland@lansstyrelsen.se", subject=SUBJECT, moment=when(6, 25, 11, 9),
    msgid=mid("h10", "vasteras.se"), token="h10e5f6a7b8c9", origin=("mx2.vasteras.se", "195.198.28.71"),
    text=("Hej Dennis!\n\n"
          "Som vi pratade om på samverkansrådet i maj: individ- och familjenämnden har nu fattat beslut om att "
          "ansluta sig till jämställdhetsstrategin. Protokollsutdraget bifogas. Jag skickar en kopia till "
          "funktionsbrevlådan också så att det blir registrerat.\n\n"
          "Det är jag som är kontaktperson för nämnden. Vi ser fram emot dialogen!\n\n"
          "Vänliga hälsningar\n\n"
          "Anna-Karin Lindström\n"
          "Strateg våld i nära relationer\n"
          "Västerås stad, Individ- och familjeförvaltningen\n"
          "Telefon: 021-39 14 72\n"
          "Växel: 021-39 00 00\n"
          "anna-karin.lindstrom@vasteras.se\n"
          "Postadress: Västerås stad, 721 87 Västerås\n"
          "www.vasteras.se"),
    attachments=(File(vas_file, vas_pdf),)),
    label(SUBJECT, "anna-karin.lindstrom@vasteras.se", ("Västerås stad", None, "kommun"),
          dec(vas_file, "Individ- och familjenämnden", "2024-06-18", "§ 78", "IFN 2024/00231-1.1.3"),
          ("Anna-Karin Lindström", "Strateg våld i nära relationer", "anna-karin.lindstrom@vasteras.se",
           "021-39 14 72")))

# ================================================================ h11 Region Västmanland: secretary sends, contact in prose, org nr in signature
region_pdf = minutes_pdf(
    ["Region Västmanland", "Regionstyrelsen"],
    ["PROTOKOLL", "Sammanträdesdatum 2024-06-11", "Diarienummer RV2024-00789"],
    [[
        "§ 143",
        "",
        "## Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
        "",
        "Regionstyrelsens beslut",
        "1. Region Västmanland ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027.",
        "2. Regiondirektören ges i uppdrag att utse ansvarig kontaktperson.",
        "",
        "Sammanfattning",
        "Länsstyrelsen har tagit fram en sammanhållen strategi för samtliga jämställdhetspolitiska delmål. "
        "Region Västmanland har deltagit i framtagandet genom samverkansrådet för social hållbarhet. "
        "Ärendet bereddes av regionstyrelsens arbetsutskott 2024-05-28, § 97.",
        "",
        "Beslutsunderlag",
        "Tjänsteskrivelse 2024-05-15",
        "",
        "Expedieras till: Länsstyrelsen Västmanland, Regional utveckling",
    ]],
    footer="Region Västmanland, 721 89 Västerås. Organisationsnummer 232100-0180.\n"
           "Justerandes signatur          Utdragsbestyrkande",
)
region_file = "Protokollsutdrag RS 2024-06-11 § 143.pdf"
add("h11-region-sekreterare-prosa.eml", outlook_message(
    sender=Person("Johan Palm", None, "johan.palm@regionvastmanland.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin - Region Västmanland", moment=when(6, 17, 10, 30),
    msgid=mid("h11", "regionvastmanland.se"), token="h11b1c2d3e4f5", origin=("mx.regionvastmanland.se", "193.235.1.40"),
    text=("Till Länsstyrelsen i Västmanlands län\n\n"
          "Regionstyrelsen beslutade den 11 juni 2024 (§ 143) att Region Västmanland ansluter sig till "
          "Jämställdhetsstrategi för Västmanlands län 2024–2027. Protokollsutdrag bifogas.\n\n"
          "Ansvarig kontaktperson för Region Västmanland blir Sara Nyberg, regional utvecklingsledare inom "
          "enheten för folkhälsa och social hållbarhet. Sara nås på sara.nyberg@regionvastmanland.se eller "
          "telefon 021-17 38 52.\n\n"
          "Med vänlig hälsning\n\n"
          "Johan Palm\n"
          "Nämndsekreterare\n"
          "Regionkansliet\n"
          "Region Västmanland\n"
          "021-17 30 00 (vxl)\n"
          "Org.nr 232100-0180"),
    attachments=(File(region_file, region_pdf),)),
    label("Anslutning till jämställdhetsstrategin - Region Västmanland", "johan.palm@regionvastmanland.se",
          ("Region Västmanland", "232100-0180", "region"),
          dec(region_file, "Regionstyrelsen", "2024-06-11", "§ 143", "RV2024-00789"),
          ("Sara Nyberg", "regional utvecklingsledare", "sara.nyberg@regionvastmanland.se", "021-17 38 52")))

# ================================================================ h12 Polismyndigheten: ledningsgrupp minutes with several items, police case number
police_pdf = minutes_pdf(
    ["Polismyndigheten", "Polisregion Bergslagen", "Lokalpolisområde Västerås"],
    ["PROTOKOLL", "Ledningsgruppsmöte", "Datum: 2024-04-29"],
    [[
        "Närvarande: lokalpolisområdeschef, biträdande lokalpolisområdeschef, gruppchefer, kommunpoliser",
        "",
        "§ 7 Föregående protokoll",
        "Föregående protokoll (2024-04-15) lades till handlingarna.",
        "",
        "§ 8 Medborgarlöften 2024",
        "Uppföljning av medborgarlöften med Västerås stad. Ansvarig: kommunpolis.",
        "",
        "§ 9 Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
        "Diarienummer A245.118/2024",
        "Ledningsgruppen beslutar att lokalpolisområde Västerås ansluter sig till länets jämställdhetsstrategi. "
        "Arbetet bedrivs inom ramen för det brottsförebyggande arbetet mot våld i nära relationer.",
        "",
        "§ 10 Övriga frågor",
        "Inga övriga frågor.",
        "",
        "Vid protokollet: Linda Ström",
        "Justeras: Lokalpolisområdeschef Mats Öhman",
    ]],
    footer="POLISMYNDIGHETEN · Postadress Box 12256, 102 26 Stockholm · Telefon 114 14 · www.polisen.se",
)
police_file = "Protokoll LG LPO Västerås 240429.pdf"
add("h12-polisen-ledningsgrupp-flera-paragrafer.eml", outlook_message(
    sender=Person("Jens Holmqvist", None, "jens.holmqvist@polisen.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin – LPO Västerås", moment=when(5, 6, 7, 58),
    msgid=mid("h12", "polisen.se"), token="h12c3d4e5f6a7", origin=("mx.polisen.se", "192.71.81.5"),
    text=("Hej,\n\n"
          "Lokalpolisområde Västerås vill ansluta sig till jämställdhetsstrategin. Bifogar protokoll från vår "
          "ledningsgrupp där beslutet fattades (se § 9).\n\n"
          "Jag är kontaktperson.\n\n"
          "Med vänlig hälsning\n\n"
          "Jens Holmqvist\n"
          "Kommunpolis\n"
          "Lokalpolisområde Västerås\n"
          "Polisregion Bergslagen\n"
          "Polismyndigheten\n"
          "Tfn: 010-564 43 21\n"
          "Växel: 114 14\n"
          "jens.holmqvist@polisen.se\n"
          "www.polisen.se\n\n"
          "Tänk på miljön innan du skriver ut detta mejl."),
    attachments=(File(police_file, police_pdf),)),
    label("Anslutning till jämställdhetsstrategin – LPO Västerås", "jens.holmqvist@polisen.se",
          ("Polismyndigheten", None, "statlig_myndighet"),
          dec(police_file, "Ledningsgruppen", "2024-04-29", "§ 9", "A245.118/2024"),
          ("Jens Holmqvist", "Kommunpolis", "jens.holmqvist@polisen.se", "010-564 43 21")))

# ================================================================ h13 Mälardalens universitet: rector's decision (no §), iPhone
mdu_pdf = minutes_pdf(
    ["MÄLARDALENS UNIVERSITET", "Rektor"],
    ["BESLUT", "2024-03-19", "Dnr MDU 2024/0412", "Org.nr 202100-5539"],
    [[
        "# Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
        "",
        "Beslut",
        "Rektor beslutar att Mälardalens universitet ansluter sig till Jämställdhetsstrategi för "
        "Västmanlands län 2024–2027 och att universitetets jämställdhetssamordnare är kontaktperson "
        "gentemot Länsstyrelsen.",
        "",
        "Bakgrund",
        "Universitetet arbetar med jämställdhetsintegrering sedan 2016. Strategin ligger i linje med "
        "universitetets plan för lika villkor 2023–2026.",
        "",
        "Beslut i detta ärende har fattats av rektor efter föredragning av HR-direktören. "
        "I den slutliga handläggningen har även jämställdhetssamordnaren deltagit.",
        "",
        "Paula Berg",
        "Rektor",
    ]],
    footer="Mälardalens universitet, Box 883, 721 23 Västerås · 021-10 13 00 · www.mdu.se",
)
mdu_file = "Rektorsbeslut jämställdhetsstrategi Västmanland.pdf"
add("h13-mdu-rektorsbeslut-iphone.eml", iphone_message(
    sender=Person("Ulf Sandin", None, "ulf.sandin@mdu.se", None),
    to=TO, subject="Jämställdhetsstrategin - anslutning MDU", moment=when(3, 21, 18, 44),
    msgid="<9E4C2A1B-77D0-4F3A-B8C5-0E1D2F3A4B5C@mdu.se>", token="h13D1E2F3A4B5",
    text=("Hej,\n"
          "Här kommer rektors beslut om att MDU ansluter sig till strategin.\n\n"
          "Kontaktperson: Linnea Sjöberg, jämställdhetssamordnare, linnea.sjoberg@mdu.se, 021-10 13 55\n\n"
          "Hälsningar\n"
          "Ulf Sandin\n"
          "HR-direktör, Mälardalens universitet"),
    attachments=(File(mdu_file, mdu_pdf),)),
    label("Jämställdhetsstrategin - anslutning MDU", "ulf.sandin@mdu.se",
          ("Mälardalens universitet", "202100-5539", "statlig_myndighet"),
          dec(mdu_file, "Rektor", "2024-03-19", None, "MDU 2024/0412"),
          ("Linnea Sjöberg", "jämställdhetssamordnare", "linnea.sjoberg@mdu.se", "021-10 13 55")))

# ================================================================ h14 Kriminalvården: regionchef decision, contact in multi-line block, Gmail-free Outlook
krim_pdf = decision_pdf(
    "KRIMINALVÅRDEN                                   BESLUT\n"
    "Region Mitt                                      Datum 2024-10-08\n"
    "                                                 Dnr 2024-014577\n\n"
    "Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027\n\n"
    "Beslut\n"
    "Regionchefen beslutar att Kriminalvården, region Mitt, genom frivården Västerås och anstalten "
    "Salberga ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027.\n\n"
    "Skälen för beslutet\n"
    "Kriminalvården har ett uppdrag att minska återfall i brott, bland annat genom behandlingsprogram "
    "för män som utövat våld i nära relationer. Strategins delmål 6 ligger nära myndighetens uppdrag.\n\n"
    "Detta beslut har fattats av regionchefen Kristina Holm efter föredragning av "
    "kvalitetsspecialisten Omar Rahimi.\n\n"
    "Kristina Holm\n"
    "Regionchef")
krim_file = "Beslut anslutning jämställdhetsstrategi 2024-014577.pdf"
add("h14-kriminalvarden-regionchef.eml", outlook_message(
    sender=Person("Omar Rahimi", None, "omar.rahimi@kriminalvarden.se", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin", moment=when(10, 14, 13, 27),
    msgid=mid("h14", "kriminalvarden.se"), token="h14d5e6f7a8b9", origin=("mx.kriminalvarden.se", "192.36.200.7"),
    text=("Hej!\n\n"
          "Kriminalvården region Mitt ansluter sig till länets jämställdhetsstrategi, se bifogat beslut.\n\n"
          "Kontaktperson\n"
          "Omar Rahimi\n"
          "Kvalitetsspecialist\n"
          "Kriminalvården, region Mitt\n"
          "Telefon: 010-513 84 26\n"
          "E-post: omar.rahimi@kriminalvarden.se\n\n"
          "Med vänliga hälsningar\n"
          "Omar\n\n"
          "Kriminalvården\n"
          "Växel 0771-63 60 00\n"
          "www.kriminalvarden.se"),
    attachments=(File(krim_file, krim_pdf),)),
    label(SUBJECT, "omar.rahimi@kriminalvarden.se", ("Kriminalvården", None, "statlig_myndighet"),
          dec(krim_file, "Regionchefen", "2024-10-08", None, "2024-014577"),
          ("Omar Rahimi", "Kvalitetsspecialist", "omar.rahimi@kriminalvarden.se", "010-513 84 26")))

# ================================================================ h15 Company with logo: contact is HR, not the CEO sender
elteknik_pdf = decision_pdf(
    "PROTOKOLL\n"
    "fört vid styrelsesammanträde i Bergslagens Elteknik AB (org.nr 556912-3416)\n"
    "Tid: 22 maj 2024 kl. 15.00\n"
    "Plats: Bolagets kontor, Fagersta\n\n"
    "Närvarande: Gunilla Ahl (ordförande), Mikael Forsberg (VD), Petra Lind, Stefan Berg\n\n"
    "§ 1 Mötets öppnande\n"
    "Ordföranden förklarade mötet öppnat.\n\n"
    "§ 2 Val av justerare\n"
    "Petra Lind utsågs att jämte ordföranden justera protokollet.\n\n"
    "§ 3 Ekonomisk rapport\n"
    "VD redovisade resultatet för januari–april.\n\n"
    "§ 4 Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027\n"
    "Styrelsen beslutade att bolaget ansluter sig till länets jämställdhetsstrategi och att "
    "HR-ansvarig ska vara kontaktperson.\n\n"
    "§ 5 Mötets avslutande\n\n"
    "Vid protokollet: Mikael Forsberg\n"
    "Justeras: Gunilla Ahl, Petra Lind")
elteknik_file = "Styrelseprotokoll 2024-05-22.pdf"
add("h15-bergslagens-elteknik-logo.eml", outlook_message(
    sender=Person("Mikael Forsberg", None, "mikael.forsberg@bergslagenselteknik.se", None),
    to=TO, subject=SUBJECT, moment=when(5, 29, 8, 35),
    msgid=mid("h15", "bergslagenselteknik.se"), token="h15e6f7a8b9c0",
    origin=("mail-db8eur05on2101.outbound.protection.outlook.com", "40.107.20.101"),
    logo=(logo_png((160, 48)), "image001.png", "Bergslagens Elteknik AB"),
    text=("Hej!\n\n"
          "Vi på Bergslagens Elteknik vill gärna vara med och bidra till ett jämställt Västmanland. "
          "Styrelsen har fattat beslut om anslutning, protokollet bifogas.\n\n"
          "Kontaktperson hos oss blir Therese Wallin, HR-ansvarig, therese.wallin@bergslagenselteknik.se, "
          "070-174 06 58.\n\n"
          "Med vänlig hälsning\n"
          "Mikael Forsberg\n"
          "VD\n\n"
          "[cid]\n"
          "Bergslagens Elteknik AB | Industrigatan 14, 737 30 Fagersta\n"
          "Tel 0223-155 10 | Mobil 070-174 06 57\n"
          "Org.nr 556912-3416 | www.bergslagenselteknik.se"),
    attachments=(File(elteknik_file, elteknik_pdf),)),
    label(SUBJECT, "mikael.forsberg@bergslagenselteknik.se", ("Bergslagens Elteknik AB", "556912-3416", "naringsliv"),
          dec(elteknik_file, "Styrelsen", "2024-05-22", "§ 4", None),
          ("Therese Wallin", "HR-ansvarig", "therese.wallin@bergslagenselteknik.se", "070-174 06 58")))

# ================================================================ h16 Company, Google Workspace, DOCX minutes, "undertecknad" is contact
norrby_docx = decision_docx(
    "Protokoll fört vid styrelsemöte i Norrby Fastigheter i Västerås AB, 559123-4579\n"
    "Datum: 18 september 2024\n"
    "Plats: Teams\n"
    "\n"
    "Närvarande ledamöter: Karl-Erik Norrby (ordf.), Camilla Roos, Fredrik Sahlin\n"
    "\n"
    "§ 6 Föregående protokoll\n"
    "Godkändes och lades till handlingarna.\n"
    "\n"
    "§ 7 Jämställdhetsstrategi för Västmanlands län\n"
    "Camilla Roos föredrog Länsstyrelsens inbjudan att ansluta till länets jämställdhetsstrategi "
    "2024–2027. Styrelsen beslutade att bolaget ska ansluta sig.\n"
    "\n"
    "§ 8 Nästa möte\n"
    "Nästa styrelsemöte hålls den 20 november 2024.\n"
    "\n"
    "Justeras:\n"
    "Karl-Erik Norrby          Fredrik Sahlin")
norrby_file = "Styrelseprotokoll 2024-09-18.docx"
add("h16-norrby-fastigheter-docx-gmail.eml", gmail_message(
    sender=Person("Camilla Roos", None, "camilla.roos@norrbyfastigheter.se", None),
    to=TO, subject="anslutning jämställdhetsstrategin", moment=when(9, 23, 20, 14),
    msgid="<CAF3kz9uQ1bV7wXh2Lr0pT8mN4yE6dA5sG1cJ0oK@mail.gmail.com>", token="a1b2c3d4e5f6",
    origin=("mail-ej1-f41.google.com", "209.85.218.41"),
    text=("Hej!\n\n"
          "Norrby Fastigheter ansluter sig till länets jämställdhetsstrategi. Bifogar utdrag ur "
          "styrelseprotokollet (§ 7).\n"
          "Kontaktperson är undertecknad.\n\n"
          "Ha en fin kväll!"),
    signature=("Camilla Roos\n"
               "HR- och kvalitetschef\n"
               "Norrby Fastigheter i Västerås AB\n"
               "Direkt 021-448 20 15 | Växel 021-448 20 00\n"
               "camilla.roos@norrbyfastigheter.se"),
    attachments=(File(norrby_file, norrby_docx, DOCX),)),
    label("anslutning jämställdhetsstrategin", "camilla.roos@norrbyfastigheter.se",
          ("Norrby Fastigheter i Västerås AB", "559123-4579", "naringsliv"),
          dec(norrby_file, "Styrelsen", "2024-09-18", "§ 7", None, "docx"),
          ("Camilla Roos", "HR- och kvalitetschef", "camilla.roos@norrbyfastigheter.se", "021-448 20 15")))

# ================================================================ h17 Company, Thunderbird, management group, "den 3 oktober 2024"
hl_pdf = decision_pdf(
    "Hallsta Logistik AB\n"
    "Minnesanteckningar/beslut – Ledningsgruppen\n"
    "Mötesdatum: torsdagen den 3 oktober 2024\n\n"
    "Deltagare: VD, ekonomichef, driftchef, HR-chef\n\n"
    "§ 12 Jämställdhetsstrategi för Västmanlands län 2024–2027\n"
    "Ledningsgruppen beslutar att Hallsta Logistik AB ansluter sig till strategin. HR-chefen är "
    "kontaktperson och återkommer med förslag på åtgärder till ledningsgruppen den 14 november.\n\n"
    "§ 13 Övrigt\n"
    "Inget att rapportera.\n\n"
    "Hallsta Logistik AB · Org.nr 556644-2017 · Kolbäcksvägen 9, 734 40 Hallstahammar")
hl_file = "LG-beslut jamstalldhetsstrategi.pdf"
add("h17-hallsta-logistik-thunderbird.eml", thunderbird_message(
    sender=Person("Nils Åkerlund", None, "nils.akerlund@hallstalogistik.se", None),
    to=TO, subject=SUBJECT, moment=when(10, 7, 9, 3), msgid="<b7e1c2d0-5f6a-4b3c-9d8e-7f6a5b4c3d2e@hallstalogistik.se>",
    token="h17yQ3wE5rT7uI9oP1aS2dF4", user_agent="Mozilla Thunderbird 115.15.0",
    origin=("mail.hallstalogistik.se", "83.255.14.220"),
    text=("Hej,\n\n"
          "Hallsta Logistik AB vill ansluta sig till Jämställdhetsstrategi för Västmanlands län 2024–2027. "
          "Beslut från vår ledningsgrupp bifogas.\n\n"
          "Kontaktperson:\n"
          "Nils Åkerlund\n"
          "HR-chef\n"
          "Direktnr 0220-155 62\n"
          "Växel 0220-155 00\n"
          "nils.akerlund@hallstalogistik.se\n\n"
          "Mvh Nils\n\n"
          "-- \n"
          "Hallsta Logistik AB\n"
          "Kolbäcksvägen 9, 734 40 Hallstahammar"),
    attachments=(File(hl_file, hl_pdf),)),
    label(SUBJECT, "nils.akerlund@hallstalogistik.se", ("Hallsta Logistik AB", "556644-2017", "naringsliv"),
          dec(hl_file, "Ledningsgruppen", "2024-10-03", "§ 12", None),
          ("Nils Åkerlund", "HR-chef", "nils.akerlund@hallstalogistik.se", "0220-155 62")))

# ================================================================ h18 Association: private gmail, phone photo (JPEG) of the minutes
tjej_jpg = scanned_image(
    "Tjejjouren Västmanland\n"
    "Protokoll styrelsemöte 2024-05-22\n"
    "Plats: Föreningens lokal, Västerås\n"
    "\n"
    "Närvarande: Birgitta Lundh (ordf), Sanna Eriksson,\n"
    "Amira Khalil, Josefin Berg\n"
    "\n"
    "§ 5 Ekonomi\n"
    "Kassören redogjorde för ekonomin.\n"
    "\n"
    "§ 6 Jämställdhetsstrategin\n"
    "Styrelsen beslutar att föreningen ansluter sig\n"
    "till Jämställdhetsstrategi för Västmanlands län\n"
    "2024-2027. Ordföranden är kontaktperson.\n"
    "\n"
    "§ 7 Nästa möte 2024-06-19\n"
    "\n"
    "Vid protokollet: Sanna Eriksson\n"
    "Justeras: Birgitta Lundh\n", "JPEG")
tjej_file = "IMG_4471.jpg"
add("h18-tjejjouren-gmail-fotograferat-protokoll.eml", gmail_message(
    sender=Person("Birgitta Lundh", None, "birgitta.lundh58@gmail.com", None),
    to=TO, subject="Anslutning till jämställdhetsstrategin från Tjejjouren Västmanland", moment=when(5, 24, 21, 47),
    msgid="<CAJx8m2N0q9RsT5vU7wY1zA3bC5dE7fG9hI1jK3lM5nO@mail.gmail.com>", token="f0e1d2c3b4a5",
    text=("Hej!\n\n"
          "Tjejjouren Västmanland vill gärna ansluta oss till strategin. Vi tog beslut på styrelsemötet i "
          "onsdags, jag bifogar ett foto på protokollet (vi har ingen skanner, hoppas det går bra).\n\n"
          "Jag är själv kontaktperson, bäst når ni mig på mobilen kvällstid eller på den här mejlen.\n\n"
          "Hälsningar"),
    signature=("Birgitta Lundh\n"
               "Ordförande, Tjejjouren Västmanland\n"
               "070-174 06 77\n"
               "Org.nr 802481-2367"),
    attachments=(File(tjej_file, tjej_jpg, "image/jpeg"),)),
    label("Anslutning till jämställdhetsstrategin från Tjejjouren Västmanland", "birgitta.lundh58@gmail.com",
          ("Tjejjouren Västmanland", "802481-2367", "civilsamhalle"),
          dec(tjej_file, "Styrelsen", "2024-05-22", "§ 6", None, "ocr"),
          ("Birgitta Lundh", "Ordförande", "birgitta.lundh58@gmail.com", "070-174 06 77")))

# ================================================================ h19 Foundation: board minutes, "14 maj 2024", contact in prose, sender is chair
kvh_pdf = minutes_pdf(
    ["Stiftelsen Kvinnohuset i Västmanland", "Styrelsen"],
    ["PROTOKOLL nr 3/2024", "Sammanträde 14 maj 2024"],
    [[
        "Org.nr 817602-9919",
        "",
        "§ 11  Anslutning till länets jämställdhetsstrategi",
        "",
        "Verksamhetschefen informerade om Länsstyrelsens jämställdhetsstrategi för 2024–2027 och om "
        "möjligheten att ansluta sig. Stiftelsens ändamål, att stödja kvinnor och barn som utsatts för "
        "våld, ligger i linje med strategins delmål 6.",
        "",
        "Styrelsen beslutar",
        "att Stiftelsen Kvinnohuset i Västmanland ansluter sig till Jämställdhetsstrategi för Västmanlands "
        "län 2024–2027,",
        "att verksamhetschefen är stiftelsens kontaktperson.",
        "",
        "§ 12  Övriga frågor",
        "Inga.",
        "",
        "Ordförande: Ingrid Malmberg          Justerare: Eva-Lena Persson",
    ]],
)
kvh_file = "Styrelseprotokoll 2024-05-14 utdrag § 11.pdf"
add("h19-stiftelse-kvinnohuset-ordforande.eml", outlook_message(
    sender=Person("Ingrid Malmberg", None, "ingrid.malmberg@kvinnohuset-vastmanland.se", None),
    to=TO, subject=SUBJECT, moment=when(5, 16, 19, 12),
    msgid=mid("h19", "kvinnohuset-vastmanland.se"), token="h19a8b9c0d1e2",
    origin=("mail-he1eur04on0712.outbound.protection.outlook.com", "40.107.7.112"),
    text=("Till Länsstyrelsen\n\n"
          "Stiftelsen Kvinnohuset i Västmanland har vid styrelsemöte den 14 maj 2024 beslutat att ansluta sig "
          "till jämställdhetsstrategin. Utdrag ur protokollet bifogas.\n\n"
          "Kontaktperson för arbetet blir vår verksamhetschef Nadia Haddad, nadia.haddad@kvinnohuset-vastmanland.se, "
          "021-417 63 08. Nadia arbetar deltid (mån–ons).\n\n"
          "Vänliga hälsningar\n"
          "Ingrid Malmberg\n"
          "Styrelseordförande\n"
          "Stiftelsen Kvinnohuset i Västmanland\n"
          "070-174 06 90"),
    attachments=(File(kvh_file, kvh_pdf),)),
    label(SUBJECT, "ingrid.malmberg@kvinnohuset-vastmanland.se",
          ("Stiftelsen Kvinnohuset i Västmanland", "817602-9919", "civilsamhalle"),
          dec(kvh_file, "Styrelsen", "2024-05-14", "§ 11", None),
          ("Nadia Haddad", "verksamhetschef", "nadia.haddad@kvinnohuset-vastmanland.se", "021-417 63 08")))

# ================================================================ h20 Sports club: hotmail sender, contact is the office (role address)
hk_pdf = decision_pdf(
    "KÖPINGS HANDBOLLSKLUBB\n"
    "Org.nr 802009-9126\n\n"
    "Protokoll fört vid styrelsemöte 2024-10-15\n"
    "Plats: Kansliet, Karlbergshallen\n\n"
    "§ 8  Jämställdhet och trygghet i föreningen\n"
    "Styrelsen diskuterade föreningens arbete för jämställdhet och mot våld och trakasserier, "
    "bland annat utbildningen Trygg idrott för alla ledare.\n\n"
    "Styrelsen beslöt\n"
    "- att Köpings HK ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027\n"
    "- att kansliet är föreningens kontakt mot Länsstyrelsen\n\n"
    "§ 9  Hallbokning säsongen 2024/25\n"
    "Bordlades till nästa möte.\n\n"
    "Sekreterare: Lotta Nyström        Ordförande: Tomas Ek\n"
    "Justerare: Ahmed Yusuf")
hk_file = "Styrelseprotokoll 15 okt 2024.pdf"
add("h20-kopings-hk-hotmail-kansli.eml", outlook_message(
    sender=Person("Tomas Ek", None, "tomas.ek@hotmail.com", None),
    to=TO, subject="Ang. anslutning till Jämställdhetsstrategin", moment=when(10, 18, 22, 3),
    msgid="<DB9PR02MB7322A1B2C3D4E5F6A7B8C9D0E1F2A@DB9PR02MB7322.eurprd02.prod.outlook.com>", token="h20b9c0d1e2f3",
    origin=("EUR05-DB8-obe.outbound.protection.outlook.com", "40.92.89.12"),
    text=("Hej!\n\n"
          "Köpings HK har beslutat att ansluta sig till jämställdhetsstrategin, se bifogat protokoll "
          "(§ 8). Som kontakt har vi vår kanslist Elin Marklund, kansli@kopingshk.se, 0221-181 90 "
          "(kansliet är bemannat tis och tors 16–19).\n\n"
          "Sportsliga hälsningar\n"
          "Tomas Ek\n"
          "Ordförande Köpings HK\n\n"
          "Skickat från Outlook för Android"),
    attachments=(File(hk_file, hk_pdf),)),
    label("Ang. anslutning till Jämställdhetsstrategin", "tomas.ek@hotmail.com",
          ("Köpings Handbollsklubb", "802009-9126", "civilsamhalle"),
          dec(hk_file, "Styrelsen", "2024-10-15", "§ 8", None),
          ("Elin Marklund", "kanslist", "kansli@kopingshk.se", "0221-181 90")))


def main() -> None:
    out = HERE / "mail"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.eml"):
        old.unlink()
    assert len(MAIL) == 20
    for name, raw in MAIL.items():
        (out / name).write_bytes(raw)
    (HERE / "expected.json").write_text(json.dumps(EXPECTED, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(MAIL)} messages to {out}")


if __name__ == "__main__":
    main()
