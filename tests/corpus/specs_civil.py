"""Corpus messages from associations and foundations: annual meetings, boards, private addresses."""

from __future__ import annotations

from datetime import date

from compose import affiliation
from corpus_docs import Doc
from mailgen.model import Decision, Org, Person, org_number


def v01_kvinnojouren_gmail_self():
    org = Org("Kvinno- och tjejjouren i Arboga", "civilsamhalle", org_number("802435216"))
    c = Person("Marie Lindh", "ordförande", "marie.lindh64@gmail.com", "070-174 06 12")
    d = Decision("Styrelsen", date(2024, 3, 9), "§ 8", None, "Styrelseprotokoll 2024-03-09.pdf")
    text = (f"Hej!\n\nJag skriver som {c.title} i {org.name}. Styrelsen har beslutat att jouren ansluter sig till "
            "jämställdhetsstrategin, protokollet bifogas.\n\nKontaktperson blir jag själv, se nedan.")
    signature = f"{c.name}\nOrdförande, {org.name}\nTel {c.phone}"
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum", org_number=org.org_number)
    return affiliation("v01-kvinnojouren-gmail.eml", "association on gmail.com: organisation from the text and "
                       "the minutes; self-named contact", org=org, sender=c, contact=c, text=text, decision=d,
                       doc=doc, client="gmail", signature=signature)


def v02_stiftelse_thunderbird_list():
    org = Org("Stiftelsen Trygga Barn i Bergslagen", "civilsamhalle", org_number("802491537"))
    c = Person("Gunilla Hed", "verksamhetsledare", "gunilla.hed@tryggabarn.se", "0222-451 20")
    d = Decision("Styrelsen", date(2024, 4, 2), "§ 14", None, "Stiftelsen protokoll 2024-04-02.pdf", date_style="long")
    text = (f"Hej,\n\n{org.name} ansluter sig till jämställdhetsstrategin. Styrelsens beslut bifogas.\n\n"
            f"Kontaktperson:\nNamn: {c.name}\nTitel: {c.title}\nMejl: {c.email}\nTel: {c.phone}\n\n"
            f"Vänliga hälsningar\n{c.name}")
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum", org_number=org.org_number)
    return affiliation("v02-stiftelse-trygga-barn.eml", "foundation; labelled list with 'Mejl'", org=org, sender=c,
                       contact=c, text=text, decision=d, doc=doc, client="thunderbird")


def v03_brottsofferjouren_hotmail_docx():
    org = Org("Brottsofferjouren Västmanland", "civilsamhalle")
    c = Person("Rolf Stenberg", "samordnare", "rolf.stenberg@hotmail.se", "070-174 06 29")
    d = Decision("Årsmötet", date(2024, 3, 16), "§ 12", None, "Årsmötesprotokoll 2024.docx", fmt="docx",
                 date_style="long")
    text = (f"Hej!\n\nÅrsmötet i {org.name} beslutade att ansluta föreningen till jämställdhetsstrategin. "
            f"Protokollet bifogas.\n\nKontaktperson: {c.name}, {c.title}, tel {c.phone}\n\n"
            f"Hälsningar\n{c.name}\n{org.name}")
    doc = Doc(org.name, "Årsmöte", heading="ÅRSMÖTESPROTOKOLL", date_label="Datum")
    return affiliation("v03-brottsofferjouren-hotmail-docx.eml", "hotmail.se sender, DOCX annual-meeting minutes",
                       org=org, sender=c, contact=c, text=text, decision=d, doc=doc)


def v04_studieforbundet_outlook_prose():
    org = Org("Studieförbundet Vuxenskolan Västmanland", "civilsamhalle", org_number("802007418"))
    c = Person("Amira Saleh", "verksamhetsutvecklare", "amira.saleh@sv.se", "021-10 40 71")
    s = Person("Tomas Grahn", "avdelningschef", "tomas.grahn@sv.se", None)
    d = Decision("Styrelsen", date(2024, 2, 22), "§ 17", "SV 2024/03", "SV Västmanland styrelsebeslut § 17.pdf")
    text = (f"Hej,\n\nStyrelsen för {org.name} har beslutat om anslutning till jämställdhetsstrategin.\n\n"
            f"Kontaktperson för anslutningen är {c.name}, {c.title}, som nås på {c.email} eller {c.phone}.\n\n"
            f"Vänliga hälsningar\n{s.name}\nAvdelningschef\n{org.name}")
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLLSUTDRAG", date_label="Datum", org_number=org.org_number)
    return affiliation("v04-studieforbundet-prosa.eml", "association; prose contact 'som nås på'", org=org, sender=s,
                       contact=c, text=text, decision=d, doc=doc)


def v05_koping_is_gmail_signature():
    org = Org("Köpings Idrottssällskap", "civilsamhalle", org_number("817600243"))
    c = Person("Patrik Holm", "kanslist", "kansliet.kopingsis@gmail.com", "0221-134 50")
    d = Decision("Styrelsen", date(2024, 5, 8), "§ 21", None, "Protokoll styrelsemöte 8 maj 2024.pdf",
                 date_style="long")
    text = f"Hej!\n\n{org.name} ansluter sig till jämställdhetsstrategin, se bifogat styrelseprotokoll.\n\nMvh"
    signature = f"{c.name}\nKanslist\n{org.name}\nTelefon: {c.phone}"
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum", org_number=org.org_number)
    return affiliation("v05-kopings-is-gmail.eml", "sports club on gmail.com; contact from the signature", org=org,
                       sender=c, contact=c, text=text, decision=d, doc=doc, client="gmail", signature=signature)


def v06_grannsamverkan_iphone_no_decision():
    org = Org("Föreningen Grannsamverkan Sala", "civilsamhalle")
    c = Person("Bengt Ahl", "kassör", "bengt.ahl@telia.com", "070-174 06 91")
    text = (f"Hej. Vi i {org.name} vill ansluta oss till jämställdhetsstrategin. Årsmötet tar beslutet i april, "
            f"protokollet kommer då.\nKontaktperson: {c.name}, {c.title}, {c.phone}\n\n{c.name}")
    return affiliation("v06-grannsamverkan-utan-beslut.eml", "iPhone; no decision yet", org=org, sender=c,
                       contact=c, text=text, client="iphone")


def v07_internationella_kvinnoforeningen():
    org = Org("Internationella kvinnoföreningen i Fagersta", "civilsamhalle")
    c = Person("Leyla Demir", "sekreterare", "leyla.demir@outlook.com", "070-174 06 84")
    s = Person("Fatima Osman", None, "fatima.osman22@gmail.com", None)
    d = Decision("Styrelsen", date(2024, 4, 20), "§ 5", None, "protokoll_20240420.pdf", date_style="den")
    text = (f"Hej!\n\nVi i {org.name} har beslutat i styrelsen att ansluta oss till jämställdhetsstrategin. "
            "Protokollet bifogas.\n\nKontaktperson:\n"
            f"{c.name}, {c.title}\nMejl: {c.email}\nTel: {c.phone}\n\nHälsningar Fatima")
    doc = Doc(org.name, "Styrelsen", heading="PROTOKOLL", date_label="Datum")
    return affiliation("v07-internationella-kvinnoforeningen.eml", "gmail sender, contact on outlook.com",
                       org=org, sender=s, contact=c, text=text, decision=d, doc=doc, client="gmail")


BUILDERS = (v01_kvinnojouren_gmail_self, v02_stiftelse_thunderbird_list, v03_brottsofferjouren_hotmail_docx,
            v04_studieforbundet_outlook_prose, v05_koping_is_gmail_signature, v06_grannsamverkan_iphone_no_decision,
            v07_internationella_kvinnoforeningen)
