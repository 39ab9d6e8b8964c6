"""Corpus messages from state agencies: decisions by a management group, agency case numbers."""

from __future__ import annotations

from datetime import date

from compose import affiliation
from corpus_docs import Doc
from mailgen.model import Decision, Org, Person


def s01_arbetsformedlingen_outlook():
    org = Org("Arbetsförmedlingen", "statlig_myndighet")
    c = Person("Mikael Strand", "sektionschef", "mikael.strand@arbetsformedlingen.se", "010-486 12 34")
    d = Decision("Ledningsgruppen", date(2024, 4, 17), "§ 12", "Af-2024/0012 3456", "Beslut LG 2024-04-17.pdf")
    text = ("Hej,\n\nArbetsförmedlingen i Västmanland ansluter sig till jämställdhetsstrategin. Bifogat finns "
            "ledningsgruppens beslut.\n\n"
            f"Kontaktperson: {c.name}, {c.title}, telefon {c.phone}, e-post {c.email}\n\n"
            f"Med vänlig hälsning\n{c.name}\nSektionschef\nArbetsförmedlingen")
    doc = Doc(org.name, "Ledningsgruppen, marknadsområde Västmanland", heading="BESLUT", date_label="Datum")
    return affiliation("s01-arbetsformedlingen-af-dnr.eml", "agency decision memo, 'Af-2024/0012 3456'", org=org,
                       sender=c, contact=c, text=text, decision=d, doc=doc)


def s02_forsakringskassan_prose():
    org = Org("Försäkringskassan", "statlig_myndighet")
    c = Person("Sanna Larsson", "samordnare", "sanna.larsson@forsakringskassan.se", "010-116 54 32")
    s = Person("Henrik Wall", "enhetschef", "henrik.wall@forsakringskassan.se", "010-116 50 11")
    d = Decision("Ledningsgruppen", date(2024, 3, 5), "§ 9", "FK 2024/004512", "Beslut om anslutning.pdf",
                 date_style="long")
    text = ("Hej!\n\nFörsäkringskassans lokala ledningsgrupp i Västerås har beslutat att ansluta sig till "
            f"jämställdhetsstrategin. Kontaktperson hos oss blir {c.name} ({c.title}), {c.email}, "
            f"{c.phone}.\n\nVänliga hälsningar\n{s.name}\nEnhetschef\nFörsäkringskassan\nTelefon {s.phone}")
    doc = Doc(org.name, "Ledningsgruppen, lokalkontor Västerås", heading="BESLUT", date_label="Datum",
              case_label="Ärendenr")
    return affiliation("s02-forsakringskassan-prosa.eml", "contact in prose differs from the signer; both have phones",
                       org=org, sender=s, contact=c, text=text, decision=d, doc=doc)


def s03_polisen_switchboard():
    org = Org("Polismyndigheten", "statlig_myndighet")
    c = Person("Jonas Kvist", "Kommunpolis", "jonas.kvist@polisen.se", "010-563 12 45")
    d = Decision("Ledningsgruppen", date(2024, 5, 2), "§ 7", "A123.456/2024", "Beslut LPO Västerås 2024-05-02.pdf")
    text = ("Hej\n\nLokalpolisområde Västerås vid Polismyndigheten ansluter sig till jämställdhetsstrategin. "
            "Beslutet bifogas. Jag är kontaktperson för anslutningen.\n\n"
            f"Med vänlig hälsning\n\n{c.name}\n{c.title}\nLokalpolisområde Västerås\nPolismyndigheten\n"
            f"Växel: 114 14\nDirekt: {c.phone}\nE-post: {c.email}")
    doc = Doc(org.name, "Ledningsgruppen, lokalpolisområde Västerås", heading="BESLUT", date_label="Beslutsdatum",
              case_label="Saknr")
    return affiliation("s03-polisen-vaxel-direkt.eml", "police: 'Saknr A123.456/2024', switchboard 114 14 beside the "
                       "direct number", org=org, sender=c, contact=c, text=text, decision=d, doc=doc)


def s04_skatteverket_iphone_no_title():
    org = Org("Skatteverket", "statlig_myndighet")
    c = Person("Erik Sandberg", None, "erik.sandberg@skatteverket.se", "070-174 06 27")
    d = Decision("Ledningsgruppen", date(2024, 2, 20), "§ 4", "8-2548213", "LG-beslut jämställdhetsstrategin.pdf")
    text = (f"Hej! Bifogar beslut från ledningsgruppen om anslutning till jämställdhetsstrategin.\n"
            f"Kontaktperson: {c.name}, {c.email}, {c.phone}\n\n/Erik")
    doc = Doc(org.name, "Ledningsgruppen, Skattekontoret Västerås", heading="BESLUT", date_label="Datum")
    return affiliation("s04-skatteverket-iphone.eml", "iPhone, contact without a title", org=org, sender=c,
                       contact=c, text=text, decision=d, doc=doc, client="iphone")


def s05_kriminalvarden_docx():
    org = Org("Kriminalvården", "statlig_myndighet")
    c = Person("Lena Forsberg", "säkerhetssamordnare", "lena.forsberg@kriminalvarden.se", "010-513 72 10")
    s = Person("Kriminalvården Registrator", None, "registrator@kriminalvarden.se", None)
    d = Decision("Ledningsgruppen", date(2024, 4, 29), "§ 15", "2024-012345", "Beslut anslutning jämställdhetsstrategi.docx",
                 fmt="docx")
    text = (f"Hej,\n\nKriminalvården, anstalten Salberga, översänder beslut om anslutning till "
            "jämställdhetsstrategin.\n\nKontaktperson i ärendet:\n"
            f"Namn: {c.name}\nTitel: {c.title}\nTelefon: {c.phone}\nE-post: {c.email}\n\n"
            "Med vänlig hälsning\nRegistraturen\nKriminalvården")
    doc = Doc(org.name, "Ledningsgruppen, anstalten Salberga", heading="BESLUT", date_label="Datum")
    return affiliation("s05-kriminalvarden-docx.eml", "DOCX decision sent by the registry; labelled list", org=org,
                       sender=s, contact=c, text=text, decision=d, doc=doc)


def s06_mdu_thunderbird_rektor():
    org = Org("Mälardalens universitet", "statlig_myndighet", "202100-4581")
    c = Person("Sara Nilsson", "jämställdhetssamordnare", "sara.nilsson@mdu.se", "021-10 13 95")
    d = Decision("Rektor", date(2024, 5, 21), "§ 31", "MDU 2024/0456", "Rektorsbeslut 2024-05-21.pdf")
    text = ("Hej!\n\nMälardalens universitet ansluter sig till jämställdhetsstrategin, se bifogat rektorsbeslut.\n\n"
            f"Kontaktperson\nNamn: {c.name}\nRoll: {c.title}\nE-post: {c.email}\nTelefon: {c.phone}\n\n"
            f"Hälsningar\n{c.name}")
    doc = Doc(org.name, "Rektor", heading="BESLUT", date_label="Datum", case_label="Diarienummer",
              org_number=org.org_number)
    return affiliation("s06-mdu-rektorsbeslut.eml", "university: decided by 'Rektor', org number 2021xx", org=org,
                       sender=c, contact=c, text=text, decision=d, doc=doc, client="thunderbird")


BUILDERS = (s01_arbetsformedlingen_outlook, s02_forsakringskassan_prose, s03_polisen_switchboard,
            s04_skatteverket_iphone_no_title, s05_kriminalvarden_docx, s06_mdu_thunderbird_rektor)
