"""Corpus messages from companies: board minutes, org numbers 55xxxx, private senders."""

from __future__ import annotations

from datetime import date

from compose import affiliation
from corpus_docs import Doc, leaflet_pdf
from mailgen.model import STRATEGY, Decision, File, Org, Person, org_number


def c01_bergslagens_plat_gmail():
    org = Org("Bergslagens Plåt & Ventilation AB", "naringsliv", org_number("556934127"))
    c = Person("Tove Eriksson", "HR-ansvarig", "tove.eriksson@bergslagsplat.se", "0223-155 40")
    d = Decision("Styrelsen", date(2024, 3, 14), "§ 6", None, "Styrelseprotokoll 2024-03-14.pdf")
    text = (f"Hej!\n\n{org.name} vill ansluta sig till jämställdhetsstrategin. Styrelsen har fattat beslut, "
            f"protokollet bifogas.\n\nKontaktperson: {c.name}, {c.title}, {c.email}, {c.phone}")
    signature = f"{c.name}\n{c.title}\n{org.name}\nOrg.nr {org.org_number}"
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum", org_number=org.org_number,
              signer=c.name)
    return affiliation("c01-bergslagens-plat-gmail.eml", "company on Google Workspace; org number in signature and "
                       "minutes", org=org, sender=c, contact=c, text=text, decision=d, doc=doc, client="gmail",
                       signature=signature)


def c02_koping_akeri_docx_assistant():
    org = Org("Köpings Åkeri AB", "naringsliv", org_number("556210874"))
    c = Person("Emma Lund", "HR-chef", "emma.lund@kopingsakeri.se", "0221-186 20")
    s = Person("Birgitta Ohlsson", "VD-assistent", "birgitta.ohlsson@kopingsakeri.se", "0221-186 00")
    d = Decision("Styrelsen", date(2024, 4, 11), "§ 9", None, "Protokoll styrelsemöte april.docx", fmt="docx",
                 date_style="long")
    text = (f"Hej,\n\nPå uppdrag av vår VD översänder jag styrelsens beslut om att {org.name} ansluter sig till "
            f"jämställdhetsstrategin.\n\nVår kontaktperson är HR-chef {c.name}, {c.email}, tfn {c.phone}.\n\n"
            f"Med vänliga hälsningar\n{s.name}\nVD-assistent\n{org.name}\nVäxel {s.phone}")
    doc = Doc(org.name, "Styrelsen", heading="STYRELSEPROTOKOLL", date_label="Datum", org_number=org.org_number)
    return affiliation("c02-kopings-akeri-docx.eml", "DOCX minutes sent by an assistant; contact in prose, title "
                       "before the name", org=org, sender=s, contact=c, text=text, decision=d, doc=doc)


def c03_malarkraft_iphone_self():
    org = Org("Mälarkraft Energi AB", "naringsliv")
    c = Person("Oskar Lindgren", "VD", "oskar.lindgren@malarkraft.se", "070-174 06 51")
    d = Decision("Ledningsgruppen", date(2024, 5, 15), "§ 3", None, "Beslut ledningsgrupp.pdf")
    text = (f"Hej!\nMälarkraft ansluter sig till strategin, ledningsgruppens beslut bifogas. Kontaktperson blir "
            f"jag själv.\n\nHälsningar\n{c.name}\nVD, {org.name}\n{c.phone}")
    doc = Doc(org.name, "Ledningsgruppen", heading="PROTOKOLL", date_label="Datum")
    return affiliation("c03-malarkraft-iphone.eml", "iPhone; 'Kontaktperson blir jag själv'; title and company on "
                       "one signature line", org=org, sender=c, contact=c, text=text, decision=d, doc=doc,
                       client="iphone")


def c04_sala_stad_hotmail():
    org = Org("Sala Städ & Fastighetsservice AB", "naringsliv", org_number("559087213"))
    c = Person("Nadia Karimi", "ägare och VD", "nadia.karimi@hotmail.com", "070-174 06 73")
    d = Decision("Styrelsen", date(2024, 5, 27), "§ 2", None, "Styrelsebeslut 27 maj.docx", fmt="docx",
                 date_style="long")
    text = (f"Hej!\n\nJag driver {org.name} (org.nr {org.org_number}) och vi vill gärna ansluta oss till "
            f"jämställdhetsstrategin. Styrelsens beslut bifogas.\n\nKontaktperson: {c.name}, {c.title}, "
            f"{c.phone}\n\nMvh Nadia")
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum")
    return affiliation("c04-sala-stad-hotmail.eml", "hotmail sender: the company from the text; e-mail from the "
                       "sender", org=org, sender=c, contact=c, text=text, decision=d, doc=doc)


def c05_vasteras_bygg_bad_org_number():
    org = Org("Västerås Bygg & Montage AB", "naringsliv")
    c = Person("Daniel Öst", "platschef", "daniel.ost@vbmontage.se", "021-12 40 88")
    d = Decision("Styrelsen", date(2024, 6, 4), "§ 11", None, "Protokoll 2024-06-04.pdf")
    text = (f"Hej,\n\n{org.name} ansluter sig till jämställdhetsstrategin enligt bifogat styrelseprotokoll.\n\n"
            f"Kontaktperson: {c.name}, {c.title}, {c.email}, {c.phone}\n\nHälsningar\n{c.name}\n"
            f"{org.name} | Org.nr 556123-4568 | Stenbygatan 4, 721 36 Västerås")
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum")
    return affiliation("c05-vasteras-bygg-fel-orgnr.eml", "org number that fails the Luhn check: reported, not used",
                       org=org, sender=c, contact=c, text=text, decision=d, doc=doc, client="thunderbird")


def c06_fagersta_teknik_logo_plan():
    org = Org("Fagersta Teknik & Design AB", "naringsliv", org_number("556701938"))
    c = Person("Hanna Björklund", "hållbarhetschef", "hanna.bjorklund@fagerstateknik.se", "0223-176 45")
    d = Decision("Styrelsen", date(2024, 2, 8), "§ 5", None, "Utdrag styrelseprotokoll 2024-02-08.pdf")
    plan = File("Likabehandlingsplan 2024.pdf", leaflet_pdf(org.name, "Likabehandlingsplan 2024", (
        "Bolaget arbetar för lika villkor vid rekrytering, lönesättning och kompetensutveckling.",
        "Planen följs upp varje kvartal av ledningen och skyddsombuden.")))
    text = (f"Hej!\n\nHär kommer utdrag ur styrelseprotokollet där {org.name} beslutar att ansluta sig till "
            f"{STRATEGY}. Jag bifogar även vår likabehandlingsplan.\n\n"
            f"Kontaktperson: {c.name}, {c.title}, {c.email}, {c.phone}\n\n"
            f"Med vänlig hälsning\n{c.name}\nHållbarhetschef\n[cid]\n{org.name} · Org.nr {org.org_number}")
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLLSUTDRAG", date_label="Datum", org_number=org.org_number)
    return affiliation("c06-fagersta-teknik-logo-plan.eml", "logo, an unrelated PDF first, then the decision",
                       org=org, sender=c, contact=c, text=text, decision=d, doc=doc, with_logo=True,
                       extra_files=(plan,), extra_first=True)


BUILDERS = (c01_bergslagens_plat_gmail, c02_koping_akeri_docx_assistant, c03_malarkraft_iphone_self,
            c04_sala_stad_hotmail, c05_vasteras_bygg_bad_org_number, c06_fagersta_teknik_logo_plan)
