"""Build the bundled example mail and its labels: `examples/mail/*.eml` and `examples/expected.json`.

Every message is fictional but shaped like what a real client sends (Outlook/Exchange,
Gmail, iPhone Mail, Thunderbird, an MTA's bounce, a newsletter service). Each example is
built from one spec; the same spec fills `expected.json`, so the labels cannot drift from
the mail. The build is deterministic (fixed dates, Message-IDs, MIME boundaries, PDF and
DOCX timestamps): running it twice gives byte-identical files.

    .venv/bin/python examples/make_examples.py           # (re)write examples/mail and expected.json
    .venv/bin/python examples/make_examples.py --check   # exit 1 if the files on disk differ from a fresh build

The building blocks live in `mailgen/`: `model` (the specs and the labels), `encoding` (RFC 2047/2231,
quoted-printable, format=flowed), `documents` (protocol PDFs, DOCX minutes, logo) and `clients`
(Outlook, Gmail, iPhone Mail and Thunderbird message shapes). This file holds the examples themselves.

Person names, telephone numbers and organisation numbers are invented. Mobile numbers are
taken from the series 070-174 06 05 – 070-174 06 99 that PTS keeps for fiction. The real
municipality domains are used so that organisation matching can be tested: never send the
demo's replies through a real SMTP server.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from mailgen.clients import (
    gmail_message,
    iphone_message,
    linkify,
    outlook_message,
    part,
    received,
    thunderbird_message,
    to_bytes,
)
from mailgen.documents import ProtocolLayout, brochure_pdf, docx_protocol, png, protocol_pdf
from mailgen.encoding import addr, b64, enc_b, enc_q, flowed, qp, raw8, rfc2231, rfc2822_date, single_q
from mailgen.model import (
    BOARD,
    BOARD_NAME,
    CEST,
    CET,
    DOCX,
    STRATEGY,
    SUBJECT,
    Decision,
    Example,
    File,
    Org,
    Person,
    luhn_ok,
    org_number,
)
from mailgen.output import sync

HERE = Path(__file__).resolve().parent
MAIL_DIR = HERE / "mail"
EXPECTED = HERE / "expected.json"


# --------------------------------------------------------------------------- the examples

TO_BOARD = f'"{BOARD}" <{BOARD}>'
TO_BOARD_NAMED = addr(BOARD_NAME, BOARD, "q")


def ex_vasteras() -> Example:
    org = Org("Västerås stad", "kommun")
    contact = Person("Anna Lindqvist", "strateg social hållbarhet", "anna.lindqvist@vasteras.se", "021-39 12 47")
    decision = Decision("Kommunstyrelsen", date(2024, 3, 12), "§ 62", "KS 2024/00318",
                        "Protokollsutdrag KS § 62 2024-03-12.pdf", pages=2,
                        extra_clauses=("Kommunstyrelsen uppdrar åt stadsledningskontoret att utse en kontaktperson "
                                       "gentemot Länsstyrelsen.",))
    layout = ProtocolLayout(
        "Västerås stad", "Kommunstyrelsen",
        background=(
            "Länsstyrelsen i Västmanlands län har i samråd med länets aktörer tagit fram en ny strategi för "
            f"jämställdhetsarbetet i länet: {STRATEGY}. Strategin samlar de tidigare strategierna för de fem första "
            "jämställdhetspolitiska delmålen och för det sjätte delmålet, att mäns våld mot kvinnor ska upphöra.",
            "Strategin vänder sig till kommuner, statliga myndigheter, näringsliv, region och civilsamhälle. Att ansluta "
            "sig innebär att anta en viljeinriktning och att bidra till strategins måluppfyllelse och till visionen Ett "
            "jämställt Västmanland fritt från våld. Anslutningen innebär inga juridiskt bindande åtaganden.",
            "Under 2024 prioriteras tre problemområden: utrikesfödda kvinnors etablering på arbetsmarknaden, att "
            "systematiskt upptäcka våld, inklusive våld som en arbetsgivarfråga, samt våldsförebyggande arbete riktat "
            "till barn och unga. Västerås stad bedriver redan arbete inom samtliga tre områden, bland annat genom "
            "stadens handlingsplan mot våld i nära relationer och arbetet med jämställdhetsintegrering i "
            "förvaltningarnas verksamhetsplaner.",
            "Stadsledningskontoret bedömer att en anslutning ger goda förutsättningar för samverkan med övriga aktörer "
            "i länet och att anslutningen kan hanteras inom befintliga resurser. Efter anslutningen tar Länsstyrelsen "
            "kontakt med stadens kontaktperson för ett första dialogmöte om vad staden kan och vill bidra med.",
            "Ärendet har beretts i kommunstyrelsens arbetsutskott den 27 februari 2024. Arbetsutskottet föreslår att "
            "kommunstyrelsen beslutar i enlighet med stadsledningskontorets förslag. Ärendet har även stämts av med "
            "välfärdsnämnderna, som tillstyrker en anslutning.",
            "Stadsledningskontoret konstaterar att strategins vision och delmål stämmer väl överens med stadens "
            "egna mål för social hållbarhet. En anslutning bedöms därför stärka stadens pågående arbete snarare än "
            "att medföra nya uppdrag. Eventuella kostnader för deltagande i dialoger och nätverk ryms inom "
            "stadsledningskontorets budget för 2024.",
            "Stadsledningskontoret föreslår vidare att uppföljningen av anslutningen redovisas i stadens årliga "
            "rapport om social hållbarhet, så att kommunstyrelsen får en samlad bild av vad anslutningen har "
            "inneburit för stadens verksamheter och för samverkan med länets övriga aktörer.",
        ),
        basis=("Tjänsteskrivelse från stadsledningskontoret 2024-02-20",
               f"{STRATEGY} – En strategi för samtliga jämställdhetspolitiska delmål",
               "Kommunstyrelsens arbetsutskott 2024-02-27 § 31"),
        proposal="Kommunstyrelsens arbetsutskott föreslår att kommunstyrelsen beslutar enligt stadsledningskontorets förslag.",
        adjusters=("Elisabeth Sandqvist", "Tomas Rydén"),
        certifier="Mats Eriksson, kommunsekreterare",
        send_to=("Länsstyrelsen Västmanlands län", "Stadsledningskontoret"),
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 3, 20, 9, 41, 12, tzinfo=CET)
    text = (
        "Hej!\n\n"
        f"Västerås stad ansluter sig till {STRATEGY}. Kommunstyrelsen fattade beslut om anslutning den "
        "12 mars 2024, se bifogat protokollsutdrag.\n\n"
        f"Kontaktperson: {contact.name}, {contact.title}, tel. {contact.phone}, {contact.email}\n\n"
        "Vi ser fram emot dialogen med Länsstyrelsen.\n\n"
        "Med vänlig hälsning\n\n"
        f"{contact.name}\n"
        "Strateg social hållbarhet\n"
        "Stadsledningskontoret\n"
        "Västerås stad\n"
        f"Telefon: {contact.phone}\n"
        f"{contact.email}\n"
        "[cid]\n"
        "Västerås stad, 721 87 Västerås, www.vasteras.se"
    )
    raw = outlook_message(
        sender=contact, to=TO_BOARD, subject=SUBJECT, moment=moment,
        msgid="<GV3P280MB0593C1D2A4E5F6B7C8D9E0F1A2B3C4D5@GV3P280MB0593.SWEP280.PROD.OUTLOOK.COM>",
        token="GV3P280MB0593C1D2A4E5F6B7C8D9", text=text, attachments=(pdf,),
        logo=(png(160, 48, (0, 84, 150), (230, 0, 40)), "image001.png", "Västerås stad"),
        origin=("SWEP280CU001.outbound.protection.outlook.com", "40.107.104.63"))
    return Example("01-vasteras-stad-outlook.eml", "Municipality via Outlook/Exchange Online: signature logo in "
                   "multipart/related, 2-page PDF, contact on a 'Kontaktperson:' line, base64 UTF-8 bodies, B-encoded "
                   "subject, Exchange-style RFC 2047 filename", "affiliation", SUBJECT, contact.email, raw,
                   org, decision, contact)


def ex_region() -> Example:
    org = Org("Region Västmanland", "region", org_number("232100018"))
    contact = Person("Helena Björk", "Regional utvecklingsledare", "helena.bjork@regionvastmanland.se", "021-17 46 12")
    sender = Person("Johanna Westin", "Nämndsekreterare", "johanna.westin@regionvastmanland.se", None)
    decision = Decision("Regionstyrelsen", date(2024, 3, 26), "§ 58", "RV240345",
                        "Protokollsutdrag RS 2024-03-26 § 58.pdf", date_style="long", pages=2,
                        decision_text=f"Regionstyrelsen beslutar att Region Västmanland ansluter sig till {STRATEGY}.",
                        extra_clauses=("Regionstyrelsen uppdrar åt regiondirektören att utse en kontaktperson för "
                                       "dialogen med Länsstyrelsen.",))
    layout = ProtocolLayout(
        "Region Västmanland", "Regionstyrelsen", heading="PROTOKOLLSUTDRAG", org_number=org.org_number,
        background=(
            f"Länsstyrelsen har bjudit in länets aktörer att ansluta sig till {STRATEGY}. Strategin omfattar samtliga "
            "jämställdhetspolitiska delmål, inklusive delmålet att mäns våld mot kvinnor ska upphöra.",
            "Region Västmanland har ett uppdrag inom hälso- och sjukvård, folkhälsa och regional utveckling som berör "
            "flera av strategins problemområden, bland annat arbetet med att systematiskt upptäcka våld i vården och "
            "våldsförebyggande insatser för barn och unga tillsammans med länets kommuner.",
            "Anslutningen innebär en viljeinriktning och inga juridiskt bindande åtaganden. Regionen deltar redan i "
            "samverkansrådet för social hållbarhet, där de årliga prioriteringarna inom strategin tas fram.",
            "Regionkontoret bedömer att en anslutning stärker den regionala samverkan och ligger i linje med regionens "
            "utvecklingsstrategi och med det pågående arbetet med jämställdhetsintegrering i hälso- och sjukvården.",
            "Ärendet har beretts av regionkontoret, enheten för folkhälsa och social hållbarhet, i dialog med "
            "hälso- och sjukvårdsförvaltningen och förvaltningen för regional utveckling. Berörda förvaltningar "
            "tillstyrker en anslutning och bedömer att arbetet kan bedrivas inom befintlig budgetram.",
            "Regionen har sedan 2019 en handlingsplan mot mäns våld mot kvinnor och våld i nära relationer. Rutinerna "
            "för att fråga om våld har införts i primärvården och inom psykiatrin och ska under 2024 och 2025 "
            "spridas till fler verksamheter. Anslutningen ger möjlighet att samordna detta arbete med kommunernas.",
            "Regionkontoret föreslår att anslutningen följs upp i regionens årsredovisning och att erfarenheterna "
            "från dialogerna med Länsstyrelsen återrapporteras till regionstyrelsen under 2025.",
        ),
        basis=("Tjänsteskrivelse från regionkontoret 2024-03-05", STRATEGY),
        adjusters=("Kristina Malm", "Göran Ekdahl"),
        certifier=f"{sender.name}, nämndsekreterare",
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 4, 3, 10, 12, 44, tzinfo=CEST)
    text = (
        "Hej,\n\n"
        f"Härmed meddelas att Region Västmanland ansluter sig till {STRATEGY}. Beslutet fattades av regionstyrelsen "
        "den 26 mars 2024, § 58. Protokollsutdraget bifogas.\n\n"
        "Kontaktperson för anslutningen:\n"
        f"Namn: {contact.name}\n"
        f"Titel: {contact.title}\n"
        f"E-post: {contact.email}\n"
        f"Telefon: {contact.phone}\n\n"
        "Vänliga hälsningar"
    )
    signature = (f"{sender.name}\nNämndsekreterare, Regionkontoret\nRegion Västmanland\n"
                 f"Org.nr {org.org_number}\nwww.regionvastmanland.se")
    raw = gmail_message(sender=sender, to=BOARD, subject=SUBJECT, moment=moment,
                        msgid="<CAJx9pQv4nT2kR8sLmW3bYc5dE7fG1hH0iK2jL4mN6oP8qR0sT2@mail.gmail.com>",
                        token="b7f2c40613a2", text=text, signature=signature, attachments=(pdf,),
                        origin=("mail-ej1-f41.google.com", "209.85.218.41"))
    return Example("02-region-vastmanland-gmail.eml", "Region via Google Workspace: Gmail's 000000000000 boundaries, "
                   "QP UTF-8 bodies, Q-encoded filename, contact in a labelled Namn/Titel/E-post/Telefon list that is "
                   "not the sender, org number in the signature", "affiliation", SUBJECT, sender.email, raw,
                   org, decision, contact)


def ex_agency() -> Example:
    org = Org("Arbetsförmedlingen Västerås", "statlig_myndighet")
    contact = Person("Fredrik Lund", "sektionschef", "fredrik.lund@arbetsformedlingen.se", "070-174 06 19")
    decision = Decision("Ledningsgruppen", date(2024, 4, 17), "§ 12", "Af-2024/0031577", "Protokoll LG 2024-04-17.pdf",
                        decision_text=f"Ledningsgruppen beslutar att Arbetsförmedlingen Västerås ansluter sig till {STRATEGY}.",
                        extra_clauses=(f"Ledningsgruppen utser sektionschef {contact.name} till kontaktperson.",))
    layout = ProtocolLayout(
        "Arbetsförmedlingen", "Ledningsgruppen, Arbetsförmedlingen Västerås", heading="PROTOKOLL", date_label="Datum",
        background=(
            "Länsstyrelsen i Västmanlands län har bjudit in statliga myndigheter i länet att ansluta sig till den "
            "regionala jämställdhetsstrategin. Ett av de prioriterade problemområdena 2024 är utrikesfödda kvinnors "
            "etablering på arbetsmarknaden, där Arbetsförmedlingen har ett centralt uppdrag.",
            "Anslutningen ska enligt Länsstyrelsen föregås av ett beslut i ledningsgrupp. Kontoret i Västerås deltar "
            "redan i den regionala samverkan kring etablering och i nätverket mot våld i nära relationer.",
        ),
        basis=("PM från sektionen Rusta och matcha, 2024-04-10",),
        adjusters=("Malin Forsberg",),
        certifier="Sara Pettersson, handläggare",
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 4, 18, 19, 42, 18, tzinfo=CEST)
    text = (
        "Hej!\n"
        f"Arbetsförmedlingen Västerås ansluter sig till jämställdhetsstrategin enligt beslut i ledningsgruppen "
        "17 april, se bifogat protokoll.\n\n"
        f"Kontaktperson hos oss blir jag: {contact.name}, {contact.title}, {contact.email}, mobil {contact.phone}\n\n"
        "Hälsningar\nFredrik"
    )
    raw = iphone_message(sender=contact, to=BOARD, subject=SUBJECT, moment=moment,
                         msgid="<4C8E2A17-93B5-4F0D-A6E1-7D2C9B3F5E80@arbetsformedlingen.se>",
                         token="4C8E2A17-93B5-4F0D-A6E1-7D2C9B3F5E80", text=text, attachments=(pdf,))
    return Example("03-arbetsformedlingen-iphone.eml", "State agency office from iPhone Mail: Apple-Mail boundary, "
                   "text/plain before and after the PDF, partially Q-encoded subject, Ledningsgruppen decision",
                   "affiliation", SUBJECT, contact.email, raw, org, decision, contact)


def ex_company_docx() -> Example:
    org = Org("Kolbäcksåns Verkstads AB", "naringsliv", org_number("556781234"))
    contact = Person("Jenny Nordin", "HR-chef", "jenny.nordin@kolbacksverkstad.se", "0220-245 80")
    decision = Decision("Styrelsen", date(2024, 4, 22), "§ 6", None,
                        "Styrelseprotokoll 2024-04-22 jämställdhetsstrategi.docx", date_style="long", fmt="docx",
                        decision_text=f"Styrelsen beslutade att ansluta bolaget till {STRATEGY}.",
                        extra_clauses=(f"Styrelsen beslutade vidare att utse HR-chef {contact.name} till "
                                       "kontaktperson gentemot Länsstyrelsen.",))
    docx_bytes = docx_protocol(org, decision,
                               ("Bengt Olausson", "Lena Frisk", "Ola Wikman", "Jenny Nordin"), "Lena Frisk")
    moment = datetime(2024, 4, 25, 13, 5, 51, tzinfo=CEST)
    text = (
        "Hej,\n\n"
        f"{org.name} ansluter sig till jämställdhetsstrategin för Västmanlands län. Bifogat finns utdrag ur "
        "styrelseprotokollet från den 22 april 2024.\n\n"
        f"Jag är kontaktperson för anslutningen och nås på {contact.email} eller {contact.phone}.\n\n"
        "Med vänlig hälsning\n"
        f"{contact.name}\n"
        "HR-chef\n"
        f"{org.name}\n"
        "Verkstadsgatan 4, 734 30 Hallstahammar\n"
        f"Org.nr {org.org_number}"
    )
    raw = outlook_message(
        sender=contact, to=TO_BOARD_NAMED, subject=SUBJECT, moment=moment,
        msgid="<8d1f3b2e6a7c4e5f9b0a1c2d3e4f5a6b@EXCH01.kolbacksverkstad.local>",
        token="8d1f3b2e6a7c4e5f9b0a1c2d", text=text, charset="iso-8859-1", text_cte="quoted-printable",
        attachments=(File(decision.filename, docx_bytes, DOCX),), name_enc="q1", subject_enc="q1",
        extra=[("x-originating-ip", "[10.12.0.45]"), ("X-Mailer", "Microsoft Outlook 16.0")],
        origin=("mail.kolbacksverkstad.se", "185.13.72.9"))
    return Example("04-kolbacksans-verkstad-ab-docx.eml", "Company AB, on-premises Exchange: iso-8859-1 QP bodies, "
                   "Q-encoded subject, Word (.docx) board minutes (Styrelsen, no Dnr), org number in the signature "
                   "and the document", "affiliation", SUBJECT, contact.email, raw, org, decision, contact)


def ex_association() -> Example:
    org = Org("Föreningen Trygga Hem Västmanland", "civilsamhalle", org_number("802470123"))
    contact = Person("Eva Sundberg", "sekreterare", "eva.sundberg@tryggahem-vastmanland.se", "070-174 06 35")
    decision = Decision("Årsmötet", date(2024, 3, 16), "§ 14", None, "Årsmötesprotokoll 2024 – utdrag § 14 anslutning.pdf",
                        date_style="den",
                        decision_text=f"Årsmötet beslutade att föreningen ansluter sig till {STRATEGY}.",
                        extra_clauses=("Årsmötet uppdrog åt styrelsen att anmäla anslutningen till Länsstyrelsen.",))
    layout = ProtocolLayout(
        org.name, "Årsmöte", heading="PROTOKOLLSUTDRAG", date_label="Datum", org_number=org.org_number,
        place="Plats: Föreningslokalen, Kopparbergsvägen 12, Västerås",
        background=(
            "Styrelsen föreslog att föreningen ansluter sig till Länsstyrelsens jämställdhetsstrategi för länet. "
            "Föreningens verksamhet med stöd till våldsutsatta och förebyggande samtalsgrupper för unga ligger nära "
            "strategins prioriterade områden.",
        ),
        proposal="Styrelsen föreslår att årsmötet beslutar att föreningen ansluter sig till strategin.",
        adjusters=("Birgitta Hed", "Yusuf Demir"),
        certifier=f"{contact.name}, sekreterare",
        send_to=("Länsstyrelsen Västmanlands län",),
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 3, 18, 20, 14, 37, tzinfo=CET)
    text = (
        "Hej!\n\n"
        f"På vårt årsmöte den 16 mars beslutade {org.name} att ansluta sig till jämställdhetsstrategin. "
        "Utdrag ur årsmötesprotokollet bifogas.\n\n"
        f"Kontaktperson: {contact.name} ({contact.title}), {contact.email}, {contact.phone}\n\n"
        "Hälsningar\n"
        f"{contact.name}\n"
        f"{org.name}"
    )
    raw = thunderbird_message(sender=contact, to=BOARD, subject=SUBJECT, moment=moment,
                              msgid="<3b9e1c74-52d8-4a6f-9c01-7e2d5b8a4f13@tryggahem-vastmanland.se>",
                              token="Xq7Lk2Pz9Rb4Tn6Wc1Vd8Hs3", text=text, attachments=(pdf,),
                              origin=("smtp.tryggahem-vastmanland.se", "95.217.44.18"))
    return Example("05-forening-trygga-hem-thunderbird.eml", "Association via Thunderbird: 8-bit UTF-8 format=flowed "
                   "body, lower-case Q-encoding, RFC 2231 filename continuations (filename*0*/filename*1*), Årsmötet "
                   "decision", "affiliation", SUBJECT, contact.email, raw, org, decision, contact)


def ex_koping_registrar() -> Example:
    org = Org("Köpings kommun", "kommun", org_number("212000221"))
    contact = Person("Maria Ekström", "folkhälsostrateg", "maria.ekstrom@koping.se", "+46 221 251 34")
    registrar = Person("Registrator Köpings kommun", None, "registrator@koping.se", None)
    decision = Decision("Kommunstyrelsen", date(2024, 4, 2), "§ 87", "KS.2024.0142",
                        "KS 2024-04-02 § 87 Protokollsutdrag.pdf", date_style="iso",
                        extra_clauses=(f"att utse folkhälsostrateg {contact.name} till kontaktperson gentemot "
                                       "Länsstyrelsen.",))
    layout = ProtocolLayout(
        "Köpings kommun", "Kommunstyrelsen",
        background=(
            f"Länsstyrelsen har tagit fram {STRATEGY} och uppmuntrar länets kommuner att ansluta sig. "
            "Kommunledningskontoret har berett ärendet och föreslår att kommunen ansluter sig.",
            "Köpings kommun arbetar sedan flera år med jämställdhetsintegrering och med en lokal handlingsplan "
            "mot våld i nära relationer. Anslutningen bedöms inte medföra några ökade kostnader.",
        ),
        basis=("Tjänsteskrivelse 2024-03-14", STRATEGY),
        adjusters=("Per-Olof Lindh",),
        certifier="Annika Borg, kommunsekreterare",
        send_to=("Länsstyrelsen Västmanlands län", f"{contact.name}, kommunledningskontoret"),
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 4, 10, 8, 2, 33, tzinfo=CEST)
    text = (
        "Hej,\n\n"
        f"Översänder protokollsutdrag från kommunstyrelsen 2024-04-02 § 87 gällande anslutning till {STRATEGY}.\n\n"
        f"Kontaktperson i ärendet är {contact.title} {contact.name}, {contact.email}, telefon {contact.phone}. "
        "Frågor om anslutningen besvaras av henne.\n\n"
        "Vänliga hälsningar\n\n"
        "Registrator\n"
        "Kommunledningskontoret\n"
        "Köpings kommun\n"
        "731 85 Köping\n"
        f"Organisationsnummer: {org.org_number}\n"
        "Ange diarienummer KS.2024.0142 vid kontakt i ärendet."
    )
    raw = outlook_message(
        sender=registrar, sender_display="Registrator Köpings kommun", to=TO_BOARD, subject=SUBJECT, moment=moment,
        msgid="<AM9P190MB1187E3F4A5B6C7D8E9F0A1B2C3D4E5F6@AM9P190MB1187.EURP190.PROD.OUTLOOK.COM>",
        token="AM9P190MB1187E3F4A5B6C7D8E9F0", text=text, attachments=(pdf,), cc=addr(contact.name, contact.email, "b"),
        origin=("EUR03-AM7-obe.outbound.protection.outlook.com", "40.107.105.92"))
    return Example("06-koping-registrator.eml", "Municipal registry (registrator@) sends; the contact is another "
                   "person named in prose and in Cc; case number in the KS.2024.0142 style", "affiliation", SUBJECT,
                   registrar.email, raw, org, decision, contact)


def ex_kungsor_logo_brochure() -> Example:
    org = Org("Kungsörs kommun", "kommun", org_number("212000219"))
    contact = Person("Kerstin Åhlund", "kommunstrateg", "kerstin.ahlund@kungsor.se", "0227-600 47")
    decision = Decision("Kommunstyrelsen", date(2024, 5, 13), "§ 102", "KS 2024/212",
                        "Protokollsutdrag KS 2024-05-13 § 102.pdf")
    layout = ProtocolLayout(
        "Kungsörs kommun", "Kommunstyrelsen",
        background=(
            f"Kommunen har fått en inbjudan från Länsstyrelsen att ansluta sig till {STRATEGY}. "
            "En anslutning innebär en viljeinriktning att bidra till strategins mål och inga bindande åtaganden.",
        ),
        basis=("Tjänsteskrivelse 2024-04-22",),
        adjusters=("Ingrid Sjöstedt", "Leif Almqvist"),
        certifier="Camilla Öst, nämndsekreterare",
    )
    protocol = File(decision.filename, protocol_pdf(org, decision, layout))
    brochure = File("Kungsör informationsfolder 2024.pdf", brochure_pdf())
    moment = datetime(2024, 5, 21, 14, 31, 2, tzinfo=CEST)
    text = (
        "Hej!\n\n"
        f"Kungsörs kommun ansluter sig härmed till {STRATEGY}. Beslutet fattades av kommunstyrelsen den "
        "13 maj 2024 § 102 och protokollsutdraget bifogas. Jag bifogar också vår informationsfolder om kommunen, "
        "om den kan vara till nytta inför dialogmötet.\n\n"
        f"Kontaktperson: {contact.name}, {contact.title}, {contact.email}, {contact.phone}\n\n"
        "Med vänliga hälsningar\n"
        f"{contact.name}\n"
        "Kommunstrateg, Kommunledningsförvaltningen\n"
        "[cid]\n"
        "Kungsörs kommun | 736 85 Kungsör\n"
        f"Org.nr: {org.org_number}"
    )
    raw = outlook_message(
        sender=contact, to=TO_BOARD, subject=SUBJECT, moment=moment,
        msgid="<DB8P191MB0662F1A2B3C4D5E6F7A8B9C0D1E2F3A4@DB8P191MB0662.EURP191.PROD.OUTLOOK.COM>",
        token="DB8P191MB0662F1A2B3C4D5E6F7A8", text=text, attachments=(brochure, protocol),
        logo=(png(160, 48, (0, 94, 110), (250, 190, 0)), "image001.png", "Kungsörs kommun"),
        origin=("EUR05-DB8-obe.outbound.protection.outlook.com", "40.107.20.71"))
    return Example("07-kungsor-logo-broschyr-protokoll.eml", "Inline logo + an unrelated brochure PDF listed first + "
                   "the real protocol PDF: the decision is the second file", "affiliation", SUBJECT, contact.email,
                   raw, org, decision, contact)


def ex_arboga_reply() -> Example:
    org = Org("Arboga kommun", "kommun")
    contact = Person("Lena Strand", "HR-strateg", "lena.strand@arboga.se", "+46 70 174 06 71")
    decision = Decision("Kommunstyrelsen", date(2024, 4, 23), "§ 77", "KS 2024/305",
                        "Justerat protokollsutdrag KS § 77.pdf", date_style="long")
    layout = ProtocolLayout(
        "Arboga kommun", "Kommunstyrelsen",
        background=(f"Arboga kommun har bjudits in att ansluta sig till {STRATEGY}.",
                    "Kommunstyrelsens förvaltning föreslår att kommunen ansluter sig."),
        adjusters=("Anders Kjellberg",),
        certifier="Susanne Lind, kommunsekreterare",
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 4, 30, 11, 18, 40, tzinfo=CEST)
    subject = f"SV: {SUBJECT}"
    text = (
        "Hej Dennis!\n\n"
        "Tack för inbjudan. Arboga kommun har nu beslutat att ansluta sig till strategin, bifogar justerat "
        "protokollsutdrag från kommunstyrelsen.\n\n"
        f"Kontaktperson för oss blir {contact.name}, {contact.title}, {contact.email}, tel {contact.phone}.\n\n"
        "Hälsningar\n"
        f"{contact.name}\n"
        "HR-strateg | Arboga kommun"
    )
    quoted = (
        f"Från: {BOARD_NAME} <{BOARD}>\n"
        "Skickat: den 6 februari 2024 15:02\n"
        "Till: Registrator Arboga kommun <registrator@arboga.se>\n"
        f"Ämne: {SUBJECT}\n\n"
        f"Hej! Länsstyrelsen uppmuntrar alla aktörer i länet att ansluta sig till {STRATEGY}.\n"
        "Mejla er anslutning till vastmanland@lansstyrelsen.se med ämnesraden \"Anslutning till "
        "jämställdhetsstrategin\", bifoga beslut om anslutning och ange kontaktperson med kontaktuppgifter.\n\n"
        "Vid frågor, kontakta dennis.u.nystrom@lansstyrelsen.se eller therese.clifford@lansstyrelsen.se.\n\n"
        "Med vänlig hälsning\nDennis Nyström\nUtvecklingsledare, Länsstyrelsen Västmanlands län\n010-224 90 00"
    )
    raw = outlook_message(
        sender=contact, to=TO_BOARD_NAMED, subject=subject, moment=moment,
        msgid="<HE1P190MB0401A9B8C7D6E5F4A3B2C1D0E9F8A7B6@HE1P190MB0401.EURP190.PROD.OUTLOOK.COM>",
        token="HE1P190MB0401A9B8C7D6E5F4A3B2", text=text, quoted=quoted, attachments=(pdf,),
        in_reply_to="<20240206140212.5F1A2B3C@lansstyrelsen.se>", charset="Windows-1252",
        text_cte="quoted-printable", subject_enc="q1",
        origin=("EUR01-HE1-obe.outbound.protection.outlook.com", "40.107.13.55"))
    return Example("08-arboga-sv-svar.eml", "'SV:' reply (iso-8859-1 Q subject) to the board's invitation; the quoted "
                   "original holds the board's own staff addresses, which are not the contact", "affiliation", subject,
                   contact.email, raw, org, decision, contact)


def ex_fagersta_ascii() -> Example:
    org = Org("Fagersta kommun", "kommun")
    contact = Person("Johan Berg", "Utvecklingsstrateg", "johan.berg@fagersta.se", "0223-441 52")
    decision = Decision("Kommunstyrelsen", date(2024, 5, 7), "§ 98", "KS 2024/211",
                        "KS protokollsutdrag 2024-05-07 §98.pdf", date_style="weekday")
    layout = ProtocolLayout(
        "Fagersta kommun", "Kommunstyrelsen",
        background=(f"Ärendet gäller anslutning till {STRATEGY}. Förvaltningen föreslår att kommunen ansluter sig.",),
        adjusters=("Marie Nyberg", "Kent Öhman"),
        certifier="Therese Gran, kommunsekreterare",
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 5, 14, 16, 7, 3, tzinfo=CEST)
    subject = "Anslutning till Jamstalldhetsstrategin"
    text = (
        "Hej,\n\n"
        "Fagersta kommun vill ansluta sig till jämställdhetsstrategin. Kommunstyrelsen beslutade om anslutning "
        "den 7 maj, protokollsutdraget är bifogat.\n"
        "Jag är kontaktperson för anslutningen.\n\n"
        "Med vänlig hälsning\n\n"
        f"{contact.name}\n"
        f"{contact.title}\n"
        "Kommunledningsförvaltningen, Fagersta kommun\n"
        "Växel: 0223-44 10 00\n"
        f"Direkt: {contact.phone}\n"
        f"E-post: {contact.email}"
    )
    boundary_token = "B7E4D2A1-6C3F-4E8B-9A05-1D7F3C2E8B64"
    alt_b, mix_b = f"B_3798285034_{boundary_token[:8]}", f"B_3798285034_{boundary_token[9:13]}"
    plain = part([("Content-type", 'text/plain;\n\tcharset="UTF-8"'), ("Content-transfer-encoding", "quoted-printable")],
                 qp(text + "\n", "utf-8"))
    html_body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
                 '<body><div class="WordSection1">'
                 + "".join(f'<p class="MsoNormal">{linkify(html.escape(l, quote=False)) or "&nbsp;"}</p>'
                           for l in text.split("\n"))
                 + "</div></body></html>\n")
    html_part = part([("Content-type", 'text/html;\n\tcharset="UTF-8"'), ("Content-transfer-encoding", "quoted-printable")],
                     qp(html_body, "utf-8"))
    alt = part([("Content-type", f'multipart/alternative;\n\tboundary="{alt_b}"')], [plain, html_part])
    att = part([
        ("Content-type", f'application/pdf; name="{single_q(pdf.filename, "UTF-8")}"'),
        ("Content-disposition", f"attachment;\n\tfilename*={rfc2231(pdf.filename)}"),
        ("Content-transfer-encoding", "base64"),
    ], b64(pdf.data))
    top = part([
        ("Return-Path", f"<{contact.email}>"),
        received("mx1.lansstyrelsen.se", "EUR02-AM0-obe.outbound.protection.outlook.com", "40.107.22.49",
                 moment + timedelta(seconds=2), "B7E4D2A16C"),
        ("User-Agent", "Microsoft-MacOutlook/16.84.24041420"),
        ("Date", rfc2822_date(moment)),
        ("Subject", subject),
        ("From", addr(contact.name, contact.email)),
        ("To", BOARD),
        ("Message-ID", f"<{boundary_token}@fagersta.se>"),
        ("Thread-Topic", subject),
        ("Mime-version", "1.0"),
        ("Content-type", f'multipart/mixed;\n\tboundary="{mix_b}"'),
    ], [alt, att], preamble="> This message is in MIME format. Since your mail reader does not understand\n"
                             "this format, some or all of this message may not be legible.\n")
    return Example("09-fagersta-utan-diakritiska-tecken.eml", "Outlook for Mac: subject without diacritics "
                   "('Jamstalldhetsstrategin'), contact in the signature with a switchboard number (Växel) besides the "
                   "direct number that is expected, RFC 2231 filename", "affiliation", subject, contact.email, to_bytes(top),
                   org, decision, contact)


def ex_sala_forward() -> Example:
    org = Org("Sala kommun", "kommun")
    contact = Person("Elin Sjöberg", "Folkhälsosamordnare", "elin.sjoberg@sala.se", "0224-74 71 26")
    decision = Decision("Kommunstyrelsen", date(2024, 4, 9), "§ 72", "KS 2024/190",
                        "Protokollsutdrag KS 2024-04-09 § 72.pdf", date_style="long")
    layout = ProtocolLayout(
        "Sala kommun", "Kommunstyrelsen",
        background=(f"Länsstyrelsen har bjudit in kommunen att ansluta sig till {STRATEGY}.",
                    "Kommunstyrelsens förvaltning har berett ärendet tillsammans med socialförvaltningen."),
        basis=("Tjänsteskrivelse 2024-03-21",),
        adjusters=("Carina Hellström", "Bo Sandin"),
        certifier="Jonas Wikström, kommunsekreterare",
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 4, 16, 9, 55, 20, tzinfo=CEST)
    subject = "VB: anslutning till JÄMSTÄLLDHETSSTRATEGIN – Sala kommun"
    text = (
        "Hej,\n\n"
        "Vidarebefordrar Sala kommuns beslut om anslutning till jämställdhetsstrategin. Jag är kontaktperson för "
        "arbetet hos oss.\n\n"
        "Med vänlig hälsning\n"
        f"{contact.name}\n"
        "Folkhälsosamordnare\n"
        "Sala kommun\n"
        f"Tfn: {contact.phone}\n"
        f"{contact.email}"
    )
    quoted = (
        "Från: Jonas Wikström <jonas.wikstrom@sala.se>\n"
        "Skickat: den 15 april 2024 10:02\n"
        f"Till: {contact.name} <{contact.email}>\n"
        "Ämne: anslutning till JÄMSTÄLLDHETSSTRATEGIN – Sala kommun\n\n"
        "Hej Elin!\n"
        "Här kommer justerat protokollsutdrag från kommunstyrelsen den 9 april. Kan du skicka det vidare till "
        "Länsstyrelsen?\n\n"
        "/Jonas\n"
        "Jonas Wikström, kommunsekreterare, 0224-74 70 12"
    )
    raw = outlook_message(
        sender=contact, to=TO_BOARD, subject=subject, moment=moment,
        msgid="<SA1PR19MB5F2B8C3D4E5A6B7C8D9E0F1A2B3C4D5E@SA1PR19MB5F2B.EURP193.PROD.OUTLOOK.COM>",
        token="SA1PR19MB5F2B8C3D4E5A6B7C8D9E", text=text, quoted=quoted, attachments=(pdf,),
        thread_topic="anslutning till JÄMSTÄLLDHETSSTRATEGIN – Sala kommun",
        origin=("EUR04-VI1-obe.outbound.protection.outlook.com", "40.107.8.90"))
    return Example("10-sala-vidarebefordrat.eml", "'VB:' forward with an upper-case, en-dash subject (B-encoded); the "
                   "forwarded colleague in the quote is not the contact", "affiliation", subject, contact.email, raw,
                   org, decision, contact)


def ex_hallstahammar_kf() -> Example:
    org = Org("Hallstahammars kommun", "kommun")
    contact = Person("Sofia Karlsson", "Jämställdhetsstrateg", "sofia.karlsson@hallstahammar.se", "070-174 06 58")
    decision = Decision("Kommunfullmäktige", date(2024, 4, 29), "§ 41", "KS 2024/66",
                        "KF § 41 Anslutning jämställdhetsstrategi.pdf",
                        decision_text=f"Kommunfullmäktige beslutar att Hallstahammars kommun ansluter sig till {STRATEGY}.")
    layout = ProtocolLayout(
        "Hallstahammars kommun", "Kommunfullmäktige",
        background=(f"Kommunstyrelsen föreslår att kommunen ansluter sig till {STRATEGY}.",
                    "Kommunstyrelsen behandlade ärendet den 8 april 2024, § 59."),
        basis=("Kommunstyrelsens protokoll 2024-04-08 § 59", "Tjänsteskrivelse 2024-03-18"),
        proposal="Kommunstyrelsens förslag till kommunfullmäktige: att kommunen ansluter sig till strategin.",
        adjusters=("Rolf Engström", "Amira Hadzic"),
        certifier="Linda Sahlin, nämndsekreterare",
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 5, 6, 8, 47, 30, tzinfo=CEST)
    subject = "Ansökan om anslutning till jämställdhetsstrategin 2024-2027"
    text = (
        "Hej!\n\n"
        "Hallstahammars kommun ansöker härmed om anslutning till Jämställdhetsstrategi för Västmanlands län. "
        "Kommunfullmäktige fattade beslut den 29 april 2024, § 41.\n\n"
        "Kontaktperson:\n"
        f"{contact.name}\n"
        f"{contact.title}\n"
        f"{contact.email}\n"
        f"{contact.phone}\n\n"
        "Med vänlig hälsning\n"
        "Linda Sahlin\n"
        "Nämndsekreterare, Hallstahammars kommun"
    )
    sender = Person("Linda Sahlin", "Nämndsekreterare", "linda.sahlin@hallstahammar.se", None)
    raw = outlook_message(
        sender=sender, to=TO_BOARD, subject=subject, moment=moment,
        msgid="<VI1P190MB0734C2D3E4F5A6B7C8D9E0F1A2B3C4D5@VI1P190MB0734.EURP190.PROD.OUTLOOK.COM>",
        token="VI1P190MB0734C2D3E4F5A6B7C8D9", text=text, attachments=(pdf,), charset="iso-8859-1",
        text_cte="quoted-printable", cc=addr(contact.name, contact.email),
        origin=("EUR02-VI1-obe.outbound.protection.outlook.com", "40.107.21.84"))
    return Example("11-hallstahammar-ansokan-kf.eml", "Subject 'Ansökan om anslutning … 2024-2027', decision by "
                   "Kommunfullmäktige, multi-line 'Kontaktperson:' block, sent by a secretary",
                   "affiliation", subject, sender.email, raw, org, decision, contact)


def ex_surahammar_1252() -> Example:
    org = Org("Surahammars kommun", "kommun")
    contact = Person("Ahmed Yilmaz", "kommunutvecklare", "ahmed.yilmaz@surahammar.se", "0220-392 14")
    decision = Decision("Kommunstyrelsen", date(2024, 3, 12), "§ 45", "KS 2024/123", "Protokollsutdrag KS § 45.pdf")
    layout = ProtocolLayout(
        "Surahammars kommun", "Kommunstyrelsen",
        background=(f"Kommunen har fått inbjudan att ansluta sig till {STRATEGY}.",
                    "Kommunledningsförvaltningen föreslår att kommunen ansluter sig – anslutningen innebär inga "
                    "juridiskt bindande åtaganden."),
        adjusters=("Gunilla Roos",),
        certifier="Peter Lundin, nämndsekreterare",
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 3, 19, 13, 26, 9, tzinfo=CET)
    text = (
        "Hej!\n\n"
        "Surahammars kommun ansluter sig till jämställdhetsstrategin – beslut i kommunstyrelsen den 12 mars "
        "2024, § 45. Protokollsutdraget bifogas.\n\n"
        f"Kontaktperson är {contact.name}, {contact.title}, {contact.email}, tel {contact.phone}.\n\n"
        "Mvh\n"
        f"{contact.name}\n"
        "Surahammars kommun – Kommunledningsförvaltningen"
    )
    raw = thunderbird_message(
        sender=contact, to=BOARD, subject=SUBJECT, moment=moment,
        msgid="<5F3A9C21.7080402@surahammar.se>", token="090806030104020507030908", text=text, attachments=(pdf,),
        charset="windows-1252", continued_names=False,
        user_agent="Mozilla/5.0 (Windows NT 6.1; WOW64; rv:52.0) Gecko/20100101\n Thunderbird/52.9.1",
        origin=("smtp.surahammar.se", "194.17.211.40"))
    return Example("12-surahammar-windows-1252.eml", "Old Thunderbird: 8-bit windows-1252 plain body (with an en dash, "
                   "byte 0x96), filename*=utf-8''… (RFC 2231)", "affiliation", SUBJECT, contact.email, raw,
                   org, decision, contact)


def ex_mtb_raw_subject() -> Example:
    org = Org("Mälardalens Trä & Bygg AB", "naringsliv", org_number("559412307"))
    contact = Person("Nils Åkesson", "VD", "nils.akesson@mtbygg.se", "070-1740688")
    decision = Decision("Styrelsen", date(2024, 6, 10), "§ 4", None, "Styrelseprotokoll MTB 2024-06-10.pdf",
                        decision_text=f"Styrelsen beslutade att bolaget ansluter sig till {STRATEGY}.")
    layout = ProtocolLayout(
        org.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum", org_number=org.org_number,
        place="Plats: Bolagets kontor, Västerleden 3, Arboga",
        background=("VD föredrog Länsstyrelsens inbjudan till anslutning till den regionala jämställdhetsstrategin "
                    "och bolagets arbete med rekrytering av fler kvinnor till produktionen.",),
        adjusters=("Karin Åkesson",),
        certifier=f"{contact.name}, VD",
        send_to=("Länsstyrelsen Västmanlands län",),
    )
    pdf = File(decision.filename, protocol_pdf(org, decision, layout))
    moment = datetime(2024, 6, 12, 7, 58, 11, tzinfo=CEST)
    subject = f"{SUBJECT} – {org.name}"
    text = (
        "Hej!\n\n"
        f"{org.name} ansluter sig till jämställdhetsstrategin. Styrelsen beslutade om det den 10 juni, "
        "protokollet bifogas.\n\n"
        f"Kontaktperson: {contact.name}, {contact.title}, {contact.email}, {contact.phone}\n\n"
        "Hälsningar\n"
        f"{contact.name}\n"
        f"{org.name} | Org.nr {org.org_number} | Västerleden 3, 732 30 Arboga"
    )
    top = part([
        ("Return-Path", f"<{contact.email}>"),
        received("mx1.lansstyrelsen.se", "mailout.mtbygg.se", "46.30.211.70", moment + timedelta(seconds=1),
                 "4VzK1q0Xb2z9"),
        ("MIME-Version", "1.0"),
        ("Date", rfc2822_date(moment)),
        ("From", raw8(addr(contact.name, contact.email), "utf-8")),
        ("To", BOARD),
        ("Subject", raw8(subject, "utf-8")),
        ("Message-ID", "<2c1f0a9e8d7b6c5a4f3e2d1c0b9a8f7e@mtbygg.se>"),
        ("X-Sender", contact.email),
        ("User-Agent", "Roundcube Webmail/1.6.6"),
        ("Content-Type", 'multipart/mixed;\n boundary="=_7c3e9a1b2d4f6e8a0c2b4d6f8e0a1c3b"'),
    ], [
        part([("Content-Transfer-Encoding", "8bit"), ("Content-Type", "text/plain; charset=UTF-8;\n format=flowed")],
             raw8(flowed(text) + "\n", "utf-8")),
        part([("Content-Transfer-Encoding", "base64"),
              ("Content-Type", f'application/pdf;\n name="{pdf.filename}"'),
              ("Content-Disposition", f'attachment;\n filename="{pdf.filename}";\n size={len(pdf.data)}')],
             b64(pdf.data)),
    ], preamble="")
    return Example("13-mtb-ab-ra-utf8-amnesrad.eml", "Company AB: raw 8-bit UTF-8 in Subject and From (no RFC 2047), "
                   "8-bit UTF-8 body, ASCII filename", "affiliation", subject, contact.email, to_bytes(top),
                   org, decision, contact)


def ex_norberg_no_attachment() -> Example:
    org = Org("Norbergs kommun", "kommun")
    contact = Person("Peter Holmgren", "folkhälsosamordnare", "peter.holmgren@norberg.se", "0223-291 45")
    moment = datetime(2024, 5, 8, 10, 3, 55, tzinfo=CEST)
    text = (
        "Hej!\n\n"
        "Norbergs kommun avser att ansluta sig till jämställdhetsstrategin. Ärendet behandlas av kommunstyrelsen "
        "den 3 juni och protokollsutdraget skickas till er så snart protokollet är justerat.\n\n"
        f"Kontaktperson: {contact.name}, {contact.title}, {contact.email}, {contact.phone}\n\n"
        "Vänliga hälsningar\n"
        f"{contact.name}\n"
        "Norbergs kommun"
    )
    raw = outlook_message(
        sender=contact, to=TO_BOARD, subject=SUBJECT, moment=moment,
        msgid="<PA4P190MB1345B2C3D4E5F6A7B8C9D0E1F2A3B4C5@PA4P190MB1345.EURP190.PROD.OUTLOOK.COM>",
        token="PA4P190MB1345B2C3D4E5F6A7B8C9", text=text, charset="iso-8859-1", text_cte="quoted-printable",
        origin=("EUR05-AM6-obe.outbound.protection.outlook.com", "40.107.22.112"))
    return Example("14-norberg-beslut-kommer-senare.eml", "Incomplete: no attachment; the decision will come after "
                   "the board meeting. Plain multipart/alternative at the top", "affiliation", SUBJECT, contact.email,
                   raw, org, None, contact, ["decision"])


def ex_skinnskatteberg_no_contact() -> Example:
    org = Org("Skinnskattebergs kommun", "kommun")
    decision = Decision("Kommunstyrelsen", date(2024, 5, 14), "§ 63", "KS 2024/0045",
                        "Protokollsutdrag_KS_20240514_63.pdf")
    layout = ProtocolLayout(
        "Skinnskattebergs kommun", "Kommunstyrelsen",
        background=(f"Ärende: anslutning till {STRATEGY}.",),
        adjusters=("Eva Granström",),
        certifier="Kansliet",
    )
    pdf = protocol_pdf(org, decision, layout)
    moment = datetime(2024, 5, 22, 15, 40, 0, tzinfo=CEST)
    sender = "kansli@skinnskatteberg.se"
    text = "Hej,\n\nSe bifogat protokollsutdrag.\n\nMvh\nKansliet\n"
    top = part([
        ("Return-Path", f"<{sender}>"),
        received("mx1.lansstyrelsen.se", "mail.skinnskatteberg.se", "194.68.130.14", moment + timedelta(seconds=1),
                 "15.1.2507.39"),
        ("From", f"<{sender}>"),
        ("To", BOARD),
        ("Subject", enc_q(SUBJECT, "iso-8859-1")),
        ("Date", rfc2822_date(moment)),
        ("Message-ID", "<b41e0f6a2c7d4e99a3c1f5e7d9b2a4c6@EX01.skinnskatteberg.local>"),
        ("Content-Language", "sv-SE"),
        ("X-MS-Has-Attach", "yes"),
        ("X-MS-TNEF-Correlator", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="_002_b41e0f6a2c7d4e99a3c1f5e7d9b2a4c6_"'),
    ], [
        part([("Content-Type", 'text/plain; charset="iso-8859-1"'), ("Content-Transfer-Encoding", "quoted-printable")],
             qp(text, "iso-8859-1")),
        part([("Content-Type", f'application/octet-stream; name="{decision.filename}"'),
              ("Content-Description", decision.filename),
              ("Content-Disposition", f'attachment; filename="{decision.filename}"; size={len(pdf)}'),
              ("Content-Transfer-Encoding", "base64")], b64(pdf)),
    ])
    return Example("15-skinnskatteberg-utan-kontaktperson.eml", "Incomplete: protocol attached (declared "
                   "application/octet-stream) but no contact person, only a bare sender address without display name",
                   "affiliation", SUBJECT, sender, to_bytes(top), org, decision, None, ["contact"])


NETWORK = Org("Kvinnonätverket Bergslagsporten", "civilsamhalle", org_number("802519876"))
KARIN = Person("Karin Öberg", "ordförande", "karin.oberg71@gmail.com", "0701740682")
KARIN_FIRST_ID = "<CAFg7Hk2mP9xQ4rT1vW8yZ3bC6dE0fJ5nS2uL7oA9iK4gR1hB3w@mail.gmail.com>"
KARIN_FIRST_TEXT = (
    "Hej!\n\n"
    f"Jag skriver som {KARIN.title} i {NETWORK.name}, en ideell förening i Fagersta. Styrelsen beslutade på sitt "
    "möte den 2 april att föreningen vill ansluta sig till jämställdhetsstrategin.\n\n"
    "Protokollet är inte justerat ännu, jag skickar det så fort det är klart.\n\n"
    "Kontaktperson blir jag själv, se nedan."
)
KARIN_SIGNATURE = f"{KARIN.name}\n{KARIN.title.capitalize()}, {NETWORK.name}\nTel {KARIN.phone}"


def ex_gmail_incomplete() -> Example:
    moment = datetime(2024, 4, 3, 21, 14, 5, tzinfo=CEST)
    org = Org(NETWORK.name, NETWORK.type)  # this message does not state the org number
    raw = gmail_message(sender=KARIN, to=BOARD, subject=SUBJECT, moment=moment, msgid=KARIN_FIRST_ID,
                        token="9a1c5e061583", text=KARIN_FIRST_TEXT, signature=KARIN_SIGNATURE,
                        origin=("mail-wr1-f48.google.com", "209.85.221.48"))
    return Example("16-gmail-forening-utan-beslut.eml", "Incomplete: private gmail.com address, the organisation is "
                   "only in the text; the decision is not attached yet", "affiliation", SUBJECT, KARIN.email, raw,
                   org, None, KARIN, ["decision"])


def ex_gmail_followup() -> Example:
    decision = Decision("Styrelsen", date(2024, 4, 2), "§ 5", None, "Protokoll styrelsemöte 2 april 2024.pdf",
                        decision_text=f"Styrelsen beslutade att {NETWORK.name} ansluter sig till {STRATEGY}.")
    layout = ProtocolLayout(
        NETWORK.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum", org_number=NETWORK.org_number,
        place="Plats: Folkets hus, Fagersta",
        background=("Ordföranden informerade om Länsstyrelsens jämställdhetsstrategi och möjligheten för "
                    "föreningar att ansluta sig.",),
        adjusters=("Maja Lindgren",),
        certifier=f"{KARIN.name}, ordförande",
    )
    pdf = File(decision.filename, protocol_pdf(NETWORK, decision, layout))
    moment = datetime(2024, 4, 15, 18, 30, 47, tzinfo=CEST)
    text = "Hej igen!\n\nNu är protokollet justerat, här kommer det.\n\nHälsningar\nKarin"
    raw = gmail_message(sender=KARIN, to=BOARD, subject=f"Re: {SUBJECT}", moment=moment,
                        msgid="<CAFg7Hk0tV3sN8qL2wX5zA1cD4eG7hJ0kM3nP6rS9uB2yE5iF8o@mail.gmail.com>",
                        token="4d2b8f0615f0", text=text, signature=KARIN_SIGNATURE, attachments=(pdf,),
                        quote_attr=f"Den ons 3 apr. 2024 kl 21:14 skrev {KARIN.name} <{KARIN.email}>:",
                        quoted=KARIN_FIRST_TEXT + "\n\n-- \n" + KARIN_SIGNATURE, references=(KARIN_FIRST_ID,),
                        origin=("mail-lj1-f173.google.com", "209.85.208.173"))
    return Example("17-gmail-forening-uppfoljning-med-beslut.eml", "Follow-up completing 16: 'Re:', In-Reply-To and "
                   "References to it, the protocol now attached (org number in the PDF)", "affiliation",
                   f"Re: {SUBJECT}", KARIN.email, raw, NETWORK, decision, KARIN)


def ex_autoreply_sv() -> Example:
    anna = Person("Anna Lindqvist", None, "anna.lindqvist@vasteras.se", None)
    subject = f"Automatiskt svar: {SUBJECT}"
    moment = datetime(2024, 3, 21, 8, 0, 14, tzinfo=CET)
    text = (
        "Tack för ditt mejl!\n\n"
        "Jag är på semester till och med den 2 april och läser inte min e-post. Vid brådskande ärenden, "
        "kontakta Stadsledningskontorets växel på 021-39 00 00 eller min kollega Mats Eriksson, "
        "mats.eriksson@vasteras.se.\n\n"
        "Vänliga hälsningar\nAnna Lindqvist"
    )
    raw = outlook_message(
        sender=anna, to=TO_BOARD_NAMED, subject=subject, moment=moment,
        msgid="<GV3P280MB0593F0E1D2C3B4A5968778695A4B3C2D@GV3P280MB0593.SWEP280.PROD.OUTLOOK.COM>",
        token="GV3P280MB0593F0E1D2C3B4A59687", text=text, thread_topic=SUBJECT,
        in_reply_to="<20240321070011.7A2C4E6F@lansstyrelsen.se>",
        extra=[("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All"),
               ("X-MS-Exchange-Inbox-Rules-Loop", anna.email)],
        origin=("SWEP280CU001.outbound.protection.outlook.com", "40.107.104.63"))
    return Example("18-autosvar-outlook.eml", "Outlook out-of-office reply: 'Automatiskt svar:', Auto-Submitted: "
                   "auto-replied, X-Auto-Response-Suppress: All", "auto_reply", subject, anna.email, raw)


def ex_autoreply_en() -> Example:
    nils = "nils.akesson@mtbygg.se"
    subject = f"Out of Office: {SUBJECT}"
    moment = datetime(2024, 6, 12, 9, 15, 2, tzinfo=CEST)
    text = (
        "I am out of the office until 1 July with limited access to e-mail.\n"
        "Jag är tillbaka den 1 juli och har begränsad tillgång till e-post.\n\n"
        "Brådskande ärenden: info@mtbygg.se\n\n"
        "/Nils Åkesson\n"
    )
    top = part([
        ("Return-Path", f"<{nils}>"),
        received("mx1.lansstyrelsen.se", "mailout.mtbygg.se", "46.30.211.70", moment + timedelta(seconds=1),
                 "4VzN3r6Yc0z1"),
        ("Date", rfc2822_date(moment)),
        ("From", f"{enc_q('Nils Åkesson')} <{nils}>"),
        ("To", BOARD),
        ("Subject", enc_q(subject)),
        ("Message-ID", "<autoreply-1718176502.51893@mtbygg.se>"),
        ("In-Reply-To", "<20240612091458.3C5E7A9B@lansstyrelsen.se>"),
        ("X-Autoreply", "yes"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    ], qp(text, "utf-8"))
    return Example("19-out-of-office-engelska.eml", "English 'Out of Office:' reply whose only marker is "
                   "X-Autoreply: yes", "auto_reply", subject, nils, to_bytes(top))


def ex_bounce() -> Example:
    daemon = "MAILER-DAEMON@smtp.lansstyrelsen.se"
    subject = f"Undeliverable: {SUBJECT}"
    recipient = "folkhalsa@norberg.se"
    boundary = "4VfKmN1Hk2zNmB.1715760312/smtp.lansstyrelsen.se"
    original = (
        "Received: from app01.lansstyrelsen.se (app01.lansstyrelsen.se [10.40.2.17])\n"
        "\tby smtp.lansstyrelsen.se (Postfix) with ESMTPS id 4VfKmN1Hk2zNmB\n"
        f"\tfor <{recipient}>; Wed, 15 May 2024 10:05:10 +0200 (CEST)\n"
        f"From: {enc_q(BOARD_NAME)} <{BOARD}>\n"
        f"To: {recipient}\n"
        f"Subject: {enc_q(SUBJECT)}\n"
        "Date: Wed, 15 May 2024 10:05:09 +0200\n"
        "Message-ID: <171576030912.4711.1803522914@lansstyrelsen.se>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/alternative; boundary=\"===============4827760912==\"\n"
    )
    notice = (
        "This is the mail system at host smtp.lansstyrelsen.se.\n\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients. It's attached below.\n\n"
        "For further assistance, please send mail to postmaster.\n\n"
        "If you do so, please include this problem report. You can\n"
        "delete your own text from the attached returned message.\n\n"
        "                   The mail system\n\n"
        f"<{recipient}>: host norberg-se.mail.protection.outlook.com[52.101.73.7] said:\n"
        "    550 5.4.1 Recipient address rejected: Access denied.\n"
        "    [AM4PEPF00027A6C.eurprd04.prod.outlook.com] (in reply to RCPT TO command)\n"
    )
    status = part([("Content-Description", "Delivery report"), ("Content-Type", "message/delivery-status")], [
        part([("Reporting-MTA", "dns; smtp.lansstyrelsen.se"), ("X-Postfix-Queue-ID", "4VfKmN1Hk2zNmB"),
              ("X-Postfix-Sender", f"rfc822; {BOARD}"),
              ("Arrival-Date", "Wed, 15 May 2024 10:05:10 +0200 (CEST)")]),
        part([("Final-Recipient", f"rfc822; {recipient}"), ("Original-Recipient", f"rfc822;{recipient}"),
              ("Action", "failed"), ("Status", "5.4.1"), ("Remote-MTA", "dns; norberg-se.mail.protection.outlook.com"),
              ("Diagnostic-Code", "smtp; 550 5.4.1 Recipient address rejected: Access denied.\n"
                                  "    [AM4PEPF00027A6C.eurprd04.prod.outlook.com]")]),
    ])
    top = part([
        ("Return-Path", "<>"),
        ("Received", "by smtp.lansstyrelsen.se (Postfix)\n\tid 5A1B23C4D5E; Wed, 15 May 2024 10:05:12 +0200 (CEST)"),
        ("Date", "Wed, 15 May 2024 10:05:12 +0200 (CEST)"),
        ("From", f"{daemon} (Mail Delivery System)"),
        ("Subject", f"Undeliverable: {enc_q(SUBJECT)}"),
        ("To", BOARD),
        ("Auto-Submitted", "auto-replied"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/report; report-type=delivery-status;\n\tboundary="{boundary}"'),
        ("Content-Transfer-Encoding", "8bit"),
        ("Message-Id", "<20240515080512.5A1B23C4D5E@smtp.lansstyrelsen.se>"),
    ], [
        part([("Content-Description", "Notification"), ("Content-Type", "text/plain; charset=us-ascii")], notice),
        status,
        part([("Content-Description", "Undelivered Message Headers"), ("Content-Type", "text/rfc822-headers")],
             original),
    ], preamble="This is a MIME-encapsulated message.\n")
    return Example("20-studsat-mailer-daemon.eml", "Bounce: multipart/report; report-type=delivery-status from "
                   "MAILER-DAEMON with Return-Path <>, original headers as text/rfc822-headers", "bounce", subject,
                   daemon, to_bytes(top))


def ex_newsletter() -> Example:
    moment = datetime(2024, 4, 24, 6, 0, 3, tzinfo=CEST)
    sender = "nyhetsbrev@trygghetsforum-malardalen.se"
    subject = "Nyhetsbrev april: Trygghetsmätning 2024 och nya utbildningsdatum"
    text = (
        "Trygghetsforum Mälardalen – nyhetsbrev april 2024\n\n"
        "Trygghetsmätningen 2024 öppnar i maj\n"
        "Årets mätning genomförs i 14 kommuner. Läs mer om hur resultaten kan användas i det lokala "
        "brottsförebyggande arbetet.\n\n"
        "Nya utbildningsdatum\n"
        "Grundkurs i situationell brottsprevention: 12 september och 10 oktober.\n\n"
        "Du får det här brevet eftersom du prenumererar på nyhetsbrev från Trygghetsforum Mälardalen.\n"
        "Avsluta prenumerationen: https://trygghetsforum-malardalen.se/avregistrera?u=8f3a2c\n"
    )
    html_body = ("<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Nyhetsbrev</title></head>"
                 "<body style=\"font-family:Arial,sans-serif\"><table width=\"600\" align=\"center\"><tr><td>"
                 + "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
                 + "</td></tr></table><img src=\"https://trygghetsforum-malardalen.se/o/8f3a2c.gif\" width=\"1\" "
                   "height=\"1\" alt=\"\"></body></html>\n")
    top = part([
        ("Return-Path", "<bounce-8f3a2c-1204@mail.trygghetsforum-malardalen.se>"),
        received("mx1.lansstyrelsen.se", "mail.trygghetsforum-malardalen.se", "185.41.20.9",
                 moment + timedelta(seconds=5), "8F3A2C1204"),
        ("From", f"{enc_q('Trygghetsforum Mälardalen')} <{sender}>"),
        ("To", BOARD),
        ("Subject", enc_b(subject)),
        ("Date", rfc2822_date(moment)),
        ("Message-ID", "<nl-2024-04.8f3a2c.1204@trygghetsforum-malardalen.se>"),
        ("List-Id", "Nyhetsbrev <nyhetsbrev.trygghetsforum-malardalen.se>"),
        ("List-Unsubscribe", "<https://trygghetsforum-malardalen.se/avregistrera?u=8f3a2c>,\n "
                             "<mailto:avregistrera@trygghetsforum-malardalen.se?subject=8f3a2c>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Precedence", "bulk"),
        ("Feedback-ID", "2024-04:nyhetsbrev:trygghetsforum"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/alternative; boundary="----=_Part_1204_8f3a2c.1713931203"'),
    ], [
        part([("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "quoted-printable")],
             qp(text, "utf-8")),
        part([("Content-Type", "text/html; charset=UTF-8"), ("Content-Transfer-Encoding", "quoted-printable")],
             qp(html_body, "utf-8")),
    ])
    return Example("21-nyhetsbrev.eml", "Unrelated newsletter: List-Unsubscribe, List-Id, Precedence: bulk",
                   "other", subject, sender, to_bytes(top))


def ex_question() -> Example:
    asker = Person("Lisa Holm", "rektor", "lisa.holm@fagersta.se", None)
    subject = "Fråga om tryckta exemplar av jämställdhetsstrategin"
    moment = datetime(2024, 5, 2, 13, 12, 40, tzinfo=CEST)
    text = (
        "Hej!\n\n"
        "Finns jämställdhetsstrategin i tryckt format? Vi skulle vilja dela ut den till personalen på vår "
        "studiedag i augusti, ungefär 40 exemplar. Om det inte finns tryckta exemplar, går det bra att vi "
        "skriver ut den själva?\n\n"
        "Vänliga hälsningar\n"
        f"{asker.name}\n"
        "Rektor, Västanforsskolan\n"
        "Fagersta kommun"
    )
    raw = outlook_message(
        sender=asker, to=TO_BOARD, subject=subject, moment=moment,
        msgid="<AS8P190MB1432D4E5F6A7B8C9D0E1F2A3B4C5D6E7@AS8P190MB1432.EURP190.PROD.OUTLOOK.COM>",
        token="AS8P190MB1432D4E5F6A7B8C9D0E1", text=text,
        origin=("EUR02-AM0-obe.outbound.protection.outlook.com", "40.107.22.60"))
    return Example("22-fraga-tryckta-exemplar.eml", "A question about the strategy from a municipal address that is "
                   "not an affiliation", "other", subject, asker.email, raw)


BUILDERS = (
    ex_vasteras, ex_region, ex_agency, ex_company_docx, ex_association, ex_koping_registrar,
    ex_kungsor_logo_brochure, ex_arboga_reply, ex_fagersta_ascii, ex_sala_forward, ex_hallstahammar_kf,
    ex_surahammar_1252, ex_mtb_raw_subject, ex_norberg_no_attachment, ex_skinnskatteberg_no_contact,
    ex_gmail_incomplete, ex_gmail_followup, ex_autoreply_sv, ex_autoreply_en, ex_bounce, ex_newsletter,
    ex_question,
)


# --------------------------------------------------------------------------- build / check


def build() -> tuple[list[Example], bytes]:
    examples = [builder() for builder in BUILDERS]
    for example in examples:
        if example.org and example.org.org_number:
            assert luhn_ok(example.org.org_number), example.org.org_number
    expected = {ex.filename: ex.expected() for ex in examples}
    text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    return examples, text.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the files on disk")
    args = parser.parse_args(argv)
    examples, expected = build()
    wanted = {MAIL_DIR / ex.filename: ex.raw for ex in examples} | {EXPECTED: expected}
    stale = sync(MAIL_DIR, wanted, check=args.check)
    for path in stale:
        print(f"differs: {path.relative_to(HERE.parent)}", file=sys.stderr)
    if args.check:
        return 1 if stale else 0
    print(f"wrote {len(examples)} messages to {MAIL_DIR.relative_to(HERE.parent)} and {EXPECTED.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
