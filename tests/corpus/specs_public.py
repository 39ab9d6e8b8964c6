"""Corpus messages from the county's municipalities and the region."""

from __future__ import annotations

from datetime import date

from compose import affiliation
from corpus_docs import Doc
from mailgen.model import STRATEGY, Decision, Org, Person, org_number

BOARD_QUOTE = (
    "Från: Länsstyrelsen Västmanland <vastmanland@lansstyrelsen.se>\n"
    "Skickat: den 6 februari 2024 15:02\n"
    "Till: Registrator <{registrar}>\n"
    "Ämne: Anslutning till jämställdhetsstrategin\n\n"
    f"Hej! Länsstyrelsen uppmuntrar alla aktörer i länet att ansluta sig till {STRATEGY}.\n"
    "Vid frågor, kontakta dennis.u.nystrom@lansstyrelsen.se eller therese.clifford@lansstyrelsen.se.\n\n"
    "Med vänlig hälsning\nDennis Nyström\nUtvecklingsledare, Länsstyrelsen Västmanlands län\n010-224 90 00"
)


def p01_vasteras_outlook_logo():
    org = Org("Västerås stad", "kommun")
    c = Person("Camilla Berglund", "utvecklingsledare", "camilla.berglund@vasteras.se", "021-39 80 15")
    d = Decision("Kommunstyrelsen", date(2024, 2, 14), "§ 28", "KS 2024/00512", "Protokollsutdrag KS 2024-02-14 § 28.pdf")
    text = ("Hej!\n\nBifogar protokollsutdrag där kommunstyrelsen beslutar att Västerås stad ansluter sig till "
            "jämställdhetsstrategin.\n\n"
            f"Kontaktperson: {c.name}, {c.title}, {c.email}, {c.phone}\n\n"
            f"Med vänlig hälsning\n{c.name}\nUtvecklingsledare\nStadsledningskontoret\n[cid]\n"
            "Västerås stad, 721 87 Västerås")
    return affiliation("p01-vasteras-outlook-logo.eml", "Outlook, logo, 'Kontaktperson:' line", org=org, sender=c,
                       contact=c, text=text, decision=d, doc=Doc(org.name, "Kommunstyrelsen"), with_logo=True)


def p02_arboga_thunderbird_list():
    org = Org("Arboga kommun", "kommun")
    c = Person("Jenny Holmqvist", "Jämställdhetssamordnare", "jenny.holmqvist@arboga.se", "0589-871 23")
    s = Person("Per Andersson", "kommunsekreterare", "per.andersson@arboga.se", None)
    d = Decision("Kommunfullmäktige", date(2024, 3, 21), "§ 34", "KS 2024/87",
                 "Protokollsutdrag Kommunfullmäktige 2024-03-21 § 34 – Anslutning till jämställdhetsstrategin.pdf",
                 date_style="long")
    text = (f"Hej,\n\nArboga kommun ansluter sig till {STRATEGY} genom beslut i kommunfullmäktige. "
            "Protokollsutdraget bifogas.\n\nKontaktperson för anslutningen:\n"
            f"Namn: {c.name}\nBefattning: {c.title}\nE-post: {c.email}\nTelefon: {c.phone}\n\n"
            f"Hälsningar\n{s.name}\nKommunsekreterare\nArboga kommun")
    return affiliation("p02-arboga-thunderbird-lista.eml", "Thunderbird, RFC 2231 continued filename, labelled list, "
                       "sender is not the contact", org=org, sender=s, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Kommunfullmäktige", case_label="Diarienummer"), client="thunderbird")


def p03_fagersta_gmail_prose():
    org = Org("Fagersta kommun", "kommun")
    c = Person("Ulrika Dahl", "folkhälsosamordnare", "ulrika.dahl@fagersta.se", "0223-441 37")
    s = Person("Mats Olofsson", None, "mats.olofsson@fagersta.se", None)
    d = Decision("Socialnämnden", date(2024, 4, 23), "§ 51", "SN 2024/33", "SN 2024-04-23 § 51.pdf", date_style="den")
    text = ("Hej!\n\nSocialnämnden i Fagersta kommun har beslutat att ansluta sig till jämställdhetsstrategin, se "
            f"bifogat protokoll. Kontaktperson är vår {c.title} {c.name} som nås på {c.email} eller telefon "
            f"{c.phone}.\n\nVänliga hälsningar\n{s.name}\nSocialförvaltningen, Fagersta kommun")
    return affiliation("p03-fagersta-gmail-prosa.eml", "Google Workspace, contact in prose with the title first",
                       org=org, sender=s, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Socialnämnden", case_label="Saknr"), client="gmail")


def p04_hallstahammar_registrar_forward():
    org = Org("Hallstahammars kommun", "kommun")
    c = Person("Sofia Lind", "jämställdhetsstrateg", "sofia.lind@hallstahammar.se", "0220-245 10")
    s = Person("Registrator Hallstahammars kommun", None, "registrator@hallstahammar.se", None)
    d = Decision("Kommunstyrelsen", date(2024, 4, 8), "§ 66", "KS.2024.0089", "KS 240408 § 66.pdf")
    quoted = (f"Från: {c.name} <{c.email}>\nSkickat: den 12 april 2024 14:21\nTill: Registrator <{s.email}>\n"
              "Ämne: Anslutning till jämställdhetsstrategin\n\nHej! Kan ni skicka protokollsutdraget till "
              f"Länsstyrelsen? Kontaktperson för anslutningen blir jag, {c.name}, {c.title}, {c.phone}, {c.email}.\n\n"
              f"/{c.name.split()[0]}")
    text = "Hej,\n\nVidarebefordrar enligt nedan.\n\nVänliga hälsningar\nRegistrator\nHallstahammars kommun"
    return affiliation("p04-hallstahammar-vb-registrator.eml", "registrar's 'VB:' forward: the contact is in the quote",
                       org=org, sender=s, contact=c, text=text, decision=d, doc=Doc(org.name, "Kommunstyrelsen"),
                       subject="VB: Anslutning till jämställdhetsstrategin", quoted=quoted, name_enc="q")


def p05_kungsor_iphone_self():
    org = Org("Kungsörs kommun", "kommun")
    c = Person("Karin Holm", "Kommunstrateg", "karin.holm@kungsor.se", "0227-600 52")
    d = Decision("Kommunstyrelsen", date(2024, 5, 6), "§ 88", "KS 2024/0231", "Protokollsutdrag.pdf", date_style="slash")
    text = (f"Hej! Här kommer beslutet om anslutning från kommunstyrelsen i Kungsör. Jag är kontaktperson.\n\n"
            f"Mvh\n{c.name}\n{c.title}\n{c.phone}")
    return affiliation("p05-kungsor-iphone-jag-ar-kontakt.eml", "iPhone, 'Jag är kontaktperson' + signature, date "
                       "'den 6/5 2024'", org=org, sender=c, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Kommunstyrelsen"), client="iphone")


def p06_koping_1252_unlabelled_list():
    org = Org("Köpings kommun", "kommun")
    c = Person("Lars Nyberg", "Samordnare brottsförebyggande arbete", "lars.nyberg@koping.se", "0221-251 47")
    s = Person("Åsa Grön", "nämndsekreterare", "asa.gron@koping.se", None)
    d = Decision("Barn- och utbildningsnämnden", date(2024, 2, 27), "§ 19", "BUN 2024/14",
                 "Protokollsutdrag BUN § 19.pdf")
    text = ("Hej!\n\nBarn- och utbildningsnämnden har beslutat om anslutning till jämställdhetsstrategin – "
            f"protokollsutdrag bifogas.\n\nKontaktperson:\n{c.name}\n{c.title}\n{c.email}\n{c.phone}\n\n"
            f"Hälsningar\n{s.name}, nämndsekreterare")
    return affiliation("p06-koping-windows-1252.eml", "Outlook in windows-1252 quoted-printable, unlabelled list",
                       org=org, sender=s, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Barn- och utbildningsnämnden"), charset="windows-1252",
                       text_cte="quoted-printable")


def p07_norberg_signature_only():
    org = Org("Norbergs kommun", "kommun")
    c = Person("Peter Ek", "Kanslichef", "peter.ek@norberg.se", "0223-291 10")
    d = Decision("Kommunstyrelsen", date(2024, 6, 3), "§ 112", "KS 2024/0102", "KS 2024-06-03 paragraf 112.pdf")
    text = ("Hej,\n\nNorbergs kommun ansluter sig till jämställdhetsstrategin. Kommunstyrelsens beslut bifogas.\n\n"
            f"Vänliga hälsningar\n{c.name}\n{c.title}\nNorbergs kommun\nTelefon {c.phone}\n{c.email}")
    return affiliation("p07-norberg-signatur.eml", "Thunderbird windows-1252 8-bit; no named contact: the signature",
                       org=org, sender=c, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Kommunstyrelsen", case_label="Dnr:"), client="thunderbird",
                       charset="windows-1252", continued_names=False)


def p08_sala_logo_switchboard():
    org = Org("Sala kommun", "kommun")
    c = Person("Maria Åberg", "folkhälsostrateg", "maria.aberg@sala.se", "0224-74 71 55")
    d = Decision("Kommunfullmäktige", date(2024, 4, 25), "§ 33", "KS 2024/118", "KF 2024-04-25 § 33.pdf",
                 date_style="weekday")
    text = (f"Hej!\n\nSala kommun ansluter sig till jämställdhetsstrategin, se bifogat beslut.\n\n"
            f"Kontaktperson: {c.name}, {c.title}\n\nMed vänlig hälsning\n\n{c.name}\nFolkhälsostrateg\n"
            f"Kommunstyrelsens förvaltning\nSala kommun\nVäxel: 0224-74 70 00\nDirekt: {c.phone}\n{c.email}\n[cid]")
    return affiliation("p08-sala-logo-vaxel.eml", "logo; labelled name only, phone and e-mail from the signature, "
                       "direct number over the switchboard", org=org, sender=c, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Kommunfullmäktige"), with_logo=True)


def p09_skinnskatteberg_no_contact():
    org = Org("Skinnskattebergs kommun", "kommun")
    s = Person("Kansliet", None, "kansli@skinnskatteberg.se", None)
    d = Decision("Kommunstyrelsen", date(2024, 5, 14), "§ 63", "KS 2024/0045", "Protokollsutdrag_KS_20240514_63.pdf")
    text = ("Hej,\n\nBifogar protokollsutdrag från kommunstyrelsen om anslutning till jämställdhetsstrategin.\n\n"
            "Hälsningar\nKansliet, Skinnskattebergs kommun")
    return affiliation("p09-skinnskatteberg-utan-kontakt.eml", "no contact person and no personal signature",
                       org=org, sender=s, contact=None, text=text, decision=d, doc=Doc(org.name, "Kommunstyrelsen"),
                       sender_display="Kansliet Skinnskatteberg")


def p10_region_outlook_list():
    org = Org("Region Västmanland", "region", org_number("232100018"))
    c = Person("Helena Björk", "Regional utvecklingsledare", "helena.bjork@regionvastmanland.se", "021-17 63 40")
    s = Person("Johanna Westin", "Nämndsekreterare", "johanna.westin@regionvastmanland.se", None)
    d = Decision("Regionstyrelsen", date(2024, 3, 26), "§ 58", "RV240512", "Protokollsutdrag RS 2024-03-26 § 58.pdf",
                 date_style="long")
    text = ("Hej,\n\nHärmed meddelas att Region Västmanland ansluter sig till jämställdhetsstrategin. "
            "Protokollsutdraget bifogas.\n\nKontaktperson\n"
            f"Namn: {c.name}\nTitel: {c.title}\nE-post: {c.email}\nTel: {c.phone}\n\n"
            f"Vänliga hälsningar\n{s.name}\nNämndsekreterare, Regionkontoret\nRegion Västmanland")
    return affiliation("p10-region-lista.eml", "region; labelled list; org number in the decision", org=org, sender=s,
                       contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Regionstyrelsen", org_number=org.org_number, case_label="Diarienummer"))


def p11_vasteras_reply_quoting_board():
    org = Org("Västerås stad", "kommun")
    c = Person("Ali Hassan", "utvecklingsledare", "ali.hassan@vasteras.se", "021-39 14 22")
    s = Person("Linnea Ström", "nämndsekreterare", "linnea.strom@vasteras.se", None)
    d = Decision("Vård- och omsorgsnämnden", date(2024, 4, 3), "§ 47", "VON 2024/00088",
                 "Protokollsutdrag VON 2024-04-03.pdf", date_style="short")
    text = ("Hej Dennis!\n\nVård- och omsorgsnämnden har beslutat att ansluta sig till strategin, protokollsutdraget "
            f"bifogas. Kontaktperson för nämnden blir {c.name}, {c.title}, {c.email}, {c.phone}.\n\n"
            f"Hälsningar\n{s.name}\nNämndsekreterare | Västerås stad")
    return affiliation("p11-vasteras-sv-citerar-lansstyrelsen.eml", "'SV:' reply quoting the board's invitation and "
                       "its staff's addresses and phone", org=org, sender=s, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Vård- och omsorgsnämnden"), subject="SV: Anslutning till jämställdhetsstrategin",
                       quoted=BOARD_QUOTE.format(registrar="registrator@vasteras.se"))


def p12_fagersta_no_decision():
    org = Org("Fagersta kommun", "kommun")
    c = Person("Johan Berg", "Utvecklingsstrateg", "johan.berg@fagersta.se", "0223-441 52")
    text = ("Hej,\n\nFagersta kommun avser att ansluta sig till jämställdhetsstrategin. Ärendet behandlas av "
            "kommunstyrelsen den 4 juni och protokollsutdraget skickas efter justering.\n\n"
            f"Kontaktperson: {c.name} ({c.title}), {c.email}, {c.phone}\n\n"
            f"Med vänlig hälsning\n\n{c.name}\n{c.title}\nKommunledningsförvaltningen, Fagersta kommun\n"
            f"Växel: 0223-440 00\nDirekt: {c.phone}")
    return affiliation("p12-fagersta-beslut-saknas.eml", "incomplete: no decision yet", org=org, sender=c, contact=c,
                       text=text)


def p13_region_iphone_signature():
    org = Org("Region Västmanland", "region")
    c = Person("Anders Boman", "Hälso- och sjukvårdsdirektör", "anders.boman@regionvastmanland.se", "070-174 06 44")
    d = Decision("Regionfullmäktige", date(2024, 6, 11), "§ 77", "RV240678", "RF 240611 paragraf 77.pdf")
    text = (f"Hej\nBifogar regionfullmäktiges beslut om anslutning till jämställdhetsstrategin.\n\n"
            f"Hälsningar\n{c.name}\n{c.title}\nRegion Västmanland\nMobil {c.phone}")
    return affiliation("p13-region-iphone-signatur.eml", "iPhone, signature contact, mobile number", org=org,
                       sender=c, contact=c, text=text, decision=d, doc=Doc(org.name, "Regionfullmäktige"),
                       client="iphone")


def p14_norberg_dotted_date():
    org = Org("Norbergs kommun", "kommun")
    c = Person("Emelie Sandberg", "fritidskonsulent", "emelie.sandberg@norberg.se", "0223-291 38")
    d = Decision("Kultur- och fritidsnämnden", date(2024, 5, 14), "§ 22", "KFN 2024/19",
                 "Kultur- och fritidsnämnden 2024-05-14.pdf", date_style="dotted")
    text = ("Hej!\n\nKultur- och fritidsnämnden i Norbergs kommun har beslutat att ansluta sig till "
            "jämställdhetsstrategin. Utdrag ur protokollet bifogas.\n\n"
            f"Kontaktperson är {c.name}, {c.title}, tel. {c.phone}, e-post {c.email}.\n\n"
            f"Hälsningar\n{c.name}")
    return affiliation("p14-norberg-motesdatum.eml", "'Mötesdatum' with a dotted date; prose contact", org=org,
                       sender=c, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Kultur- och fritidsnämnden", date_label="Mötesdatum", case_label="Ärendenr"))


BUILDERS = (p01_vasteras_outlook_logo, p02_arboga_thunderbird_list, p03_fagersta_gmail_prose,
            p04_hallstahammar_registrar_forward, p05_kungsor_iphone_self, p06_koping_1252_unlabelled_list,
            p07_norberg_signature_only, p08_sala_logo_switchboard, p09_skinnskatteberg_no_contact,
            p10_region_outlook_list, p11_vasteras_reply_quoting_board, p12_fagersta_no_decision,
            p13_region_iphone_signature, p14_norberg_dotted_date)
