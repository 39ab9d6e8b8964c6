"""Corpus messages that test the edges: raw 8-bit headers, forwards, auto-replies, questions, bare mails."""

from __future__ import annotations

from datetime import date, timedelta

from compose import BOARD, affiliation, decision_file, message, moment_for
from corpus_docs import Doc
from mailgen.clients import part, received, to_bytes
from mailgen.encoding import addr, b64, flowed, raw8, rfc2822_date
from mailgen.model import SUBJECT, Decision, Example, Org, Person


def x01_surahammar_raw_utf8_headers():
    org = Org("Surahammars kommun", "kommun")
    c = Person("Åsa Öhman", "folkhälsostrateg", "asa.ohman@surahammar.se", "0220-392 27")
    d = Decision("Kommunstyrelsen", date(2024, 3, 12), "§ 45", "KS 2024/123", "Protokollsutdrag KS § 45.pdf",
                 date_style="long")
    pdf = decision_file(Doc(org.name, "Kommunstyrelsen"), d)
    subject = f"{SUBJECT} – {org.name}"
    text = (f"Hej!\n\nKommunstyrelsen i {org.name} har beslutat om anslutning, protokollsutdraget bifogas. "
            f"Kontaktperson blir vår {c.title} {c.name}, {c.email}, tel {c.phone}.\n\nHälsningar\n{c.name}")
    moment = moment_for("x01", d)
    top = part([
        ("Return-Path", f"<{c.email}>"),
        received("mx1.lansstyrelsen.se", "webmail.surahammar.se", "194.17.211.42", moment + timedelta(seconds=1),
                 "5XzK2q1Yc3a0"),
        ("MIME-Version", "1.0"), ("Date", rfc2822_date(moment)),
        ("From", raw8(addr(c.name, c.email), "utf-8")), ("To", BOARD), ("Subject", raw8(subject, "utf-8")),
        ("Message-ID", "<7d2e1b0a9c8d7e6f5a4b3c2d1e0f9a8b@surahammar.se>"),
        ("User-Agent", "Roundcube Webmail/1.6.6"),
        ("Content-Type", 'multipart/mixed;\n boundary="=_1c3b5d7f9e0a2c4e6a8b0d2f4e6a8c0b"'),
    ], [
        part([("Content-Transfer-Encoding", "8bit"), ("Content-Type", "text/plain; charset=UTF-8;\n format=flowed")],
             raw8(flowed(text) + "\n", "utf-8")),
        part([("Content-Transfer-Encoding", "base64"),
              ("Content-Type", f'application/pdf;\n name="{raw8(pdf.filename, "utf-8")}"'),
              ("Content-Disposition", f'attachment;\n filename="{raw8(pdf.filename, "utf-8")}"')], b64(pdf.data)),
    ], preamble="")
    return Example("x01-surahammar-8bit-rubriker.eml", "raw 8-bit UTF-8 From, Subject and filename (no RFC 2047)",
                   "affiliation", subject, c.email, to_bytes(top), org, d, c)


def x02_kungsor_gmail_forward():
    org = Org("Kungsörs kommun", "kommun")
    c = Person("Elsa Nord", "socialsekreterare", "elsa.nord@kungsor.se", "0227-600 91")
    s = Person("Kungsörs kommun", None, "kungsors.kommun.kansli@gmail.com", None)
    d = Decision("Socialnämnden", date(2024, 5, 20), "§ 40", "SN 2024/0077", "SN 2024-05-20 § 40.pdf")
    text = ("Hej, vidarebefordrar enligt nedan.\n\n"
            "---------- Forwarded message ---------\n"
            f"Från: {c.name} <{c.email}>\nDate: tis 21 maj 2024 kl 10:12\n"
            f"Subject: {SUBJECT}\nTo: Kansliet <{s.email}>\n\n"
            "Hej! Bifogar socialnämndens beslut om anslutning.\n"
            f"Kontaktperson: {c.name}, {c.title}, {c.phone}, {c.email}\n\nMvh Elsa")
    return affiliation("x02-kungsor-gmail-fwd.eml", "Gmail 'Fwd:' from a gmail.com office account: contact in the "
                       "forwarded text", org=org, sender=s, contact=c, text=text, decision=d,
                       doc=Doc(org.name, "Socialnämnden"), client="gmail", subject=f"Fwd: {SUBJECT}")


def x03_auto_reply():
    s = Person("Lina Berg", None, "lina.berg@koping.se", None)
    text = ("Tack för ditt mejl. Jag är på semester till och med 2 augusti och läser inte min e-post. "
            "Brådskande ärenden: kontakta Köpings kommuns växel 0221-250 00.")
    subject = f"Automatiskt svar: {SUBJECT}"
    raw = message("outlook", "x03", sender=s, text=text, files=(), subject=subject, moment=moment_for("x03", None),
                  extra=[("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")])
    return Example("x03-autosvar.eml", "an out-of-office answer to the board's mail", "auto_reply", subject,
                   s.email, raw)


def x04_hotmail_nothing():
    org = Org("Kulturföreningen Ekot i Norberg", "civilsamhalle")
    s = Person("Ekot Norberg", None, "ekot.norberg@hotmail.com", None)
    text = (f"Hej!\n\nVi i {org.name} vill gärna ansluta oss till jämställdhetsstrategin. Hur går vi vidare?\n\n"
            "Hälsningar\nStyrelsen")
    return affiliation("x04-hotmail-utan-beslut-och-kontakt.eml", "no decision, no contact person", org=org, sender=s,
                       contact=None, text=text, client="outlook")


def x05_bare_iphone_attachment():
    org = Org("Hallstahammars kommun", "kommun")
    s = Person("Tina Rask", None, "tina.rask@hallstahammar.se", None)
    d = Decision("Kommunfullmäktige", date(2024, 4, 29), "§ 41", "KS 2024/66", "KF § 41.pdf", date_style="long")
    return affiliation("x05-iphone-bara-bilaga.eml", "only the attachment and 'Skickat från min iPhone'", org=org,
                       sender=s, contact=None, text="", decision=d, doc=Doc(org.name, "Kommunfullmäktige"),
                       client="iphone")


def x06_surahammar_q_encoded_outlook():
    org = Org("Surahammars kommun", "kommun")
    c = Person("Göran Ängström", "enhetschef", "goran.angstrom@surahammar.se", "0220-391 60")
    d = Decision("Socialnämnden", date(2024, 2, 28), "§ 16", "SN 2024/0012", "Socialnämnden § 16 – anslutning.pdf",
                 date_style="den")
    subject = f"{SUBJECT} – Socialnämnden"
    text = ("Hej!\n\nSocialnämnden i Surahammar ansluter sig till jämställdhetsstrategin. Protokollsutdrag "
            f"bifogas.\n\nKontaktperson: {c.name}, {c.title}\nTelefon: {c.phone}\nE-post: {c.email}\n\n"
            f"Med vänlig hälsning\n{c.name}")
    return affiliation("x06-surahammar-q-kodat.eml", "Q-encoded From and subject with an en dash", org=org, sender=c,
                       contact=c, text=text, decision=d, doc=Doc(org.name, "Socialnämnden"), subject=subject,
                       name_enc="q", subject_enc="q")


def x07_question():
    s = Person("Ove Lund", None, "ove.lund@sala.se", None)
    subject = "Fråga om jämställdhetsstrategin"
    text = ("Hej!\n\nVi funderar på att ansluta oss men undrar om det kostar något och vad dialogen innebär?\n\n"
            "Hälsningar\nOve Lund\nSala kommun")
    raw = message("outlook", "x07", sender=s, text=text, files=(), subject=subject, moment=moment_for("x07", None))
    return Example("x07-fraga.eml", "a question, not an affiliation", "other", subject, s.email, raw)


def x08_arboga_gmail_reply_to_board():
    org = Org("Arboga kommun", "kommun")
    c = Person("Niklas Fors", "Folkhälsostrateg", "niklas.fors@arboga.se", "0589-871 40")
    d = Decision("Kommunstyrelsen", date(2024, 2, 13), "§ 22", "KS 2024/0033", "Protokollsutdrag KS 2024-02-13.pdf")
    text = (f"Hej!\n\nHär kommer kommunstyrelsens beslut.\n\nKontaktperson:\n{c.name}\n{c.title}\n{c.email}\n"
            f"{c.phone}")
    quoted = ("Hej! Länsstyrelsen uppmuntrar alla aktörer att ansluta sig till strategin.\n\nMed vänlig hälsning\n"
              "Therése Clifford\nUtvecklingsledare\n010-224 91 00\ntherese.clifford@lansstyrelsen.se")
    return affiliation("x08-arboga-gmail-svar.eml", "Gmail reply with the board's signature in the quote", org=org,
                       sender=c, contact=c, text=text, decision=d, doc=Doc(org.name, "Kommunstyrelsen"),
                       client="gmail", subject=f"Re: {SUBJECT}",
                       quote_attr="Den tis 6 feb. 2024 kl 15:02 skrev Länsstyrelsen Västmanland <vastmanland@lansstyrelsen.se>:",
                       quoted=quoted)


BUILDERS = (x01_surahammar_raw_utf8_headers, x02_kungsor_gmail_forward, x03_auto_reply, x04_hotmail_nothing,
            x05_bare_iphone_attachment, x06_surahammar_q_encoded_outlook, x07_question, x08_arboga_gmail_reply_to_board)
