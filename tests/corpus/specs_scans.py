"""Corpus messages whose decision must be dug out: a scanned JPEG, an image-only PDF (OCR), a winmail.dat."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from compose import affiliation, decision_file
from corpus_docs import Doc
from mailgen.model import Decision, File, Org, Person

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.documents import scanned_image, scanned_pdf, tnef_with  # noqa: E402


@dataclass(frozen=True)
class ScannedDecision(Decision):
    @property
    def text_source(self) -> str:
        return "ocr"


def fixed_scanned_pdf(text: str) -> bytes:
    """Pillow stamps the PDF with the current time; a fixed stamp of the same length keeps the build reproducible."""
    return re.sub(rb"\((D:\d{14}Z)\)", b"(D:20240424080000Z)", scanned_pdf(text))


def scan_text(org: str, organ: str, day: str, paragraph: str, case: str) -> str:
    return (f"{org}\nProtokollsutdrag\n{organ}\nSammanträdesdatum {day}\n\n"
            f"{paragraph} Anslutning till jämställdhetsstrategi för Västmanlands län\nDnr {case}\n\n"
            f"Beslut\n{organ} beslutar att ansluta till jämställdhetsstrategin.\n\nJusterat")


def o01_sala_scanned_jpeg():
    org = Org("Sala kommun", "kommun")
    c = Person("Viktor Hallin", "kanslichef", "viktor.hallin@sala.se", "0224-74 70 31")
    d = ScannedDecision("Kommunstyrelsen", date(2024, 3, 19), "§ 52", "KS 2024/141", "Skanning_20240321.jpg")
    image = File(d.filename, scanned_image(scan_text(org.name, "Kommunstyrelsen", "2024-03-19", "§ 52", "KS 2024/141"),
                                           "JPEG"), "image/jpeg")
    text = (f"Hej!\n\nBifogar inskannat protokollsutdrag.\n\nKontaktperson: {c.name}, {c.title}, {c.email}, "
            f"{c.phone}\n\nMed vänlig hälsning\n{c.name}\n[cid]\nSala kommun")
    return affiliation("o01-sala-skannad-jpeg.eml", "scanned JPEG beside a signature logo (OCR)", org=org, sender=c,
                       contact=c, text=text, decision=d, extra_files=(image,), with_logo=True)


def o02_region_scanned_pdf():
    org = Org("Region Västmanland", "region")
    c = Person("Petra Lööf", "folkhälsoutvecklare", "petra.loof@regionvastmanland.se", "021-17 30 55")
    d = ScannedDecision("Regionstyrelsen", date(2024, 4, 23), "§ 81", "RV240611", "Skannat beslut RS.pdf")
    pdf = File(d.filename, fixed_scanned_pdf(scan_text(org.name, "Regionstyrelsen", "2024-04-23", "§ 81", "RV240611")))
    text = (f"Hej,\n\nRegionstyrelsens beslut bifogas (inskannat).\n\nKontaktperson:\nNamn: {c.name}\n"
            f"Titel: {c.title}\nE-post: {c.email}\nTelefon: {c.phone}\n\nHälsningar\n{c.name}")
    return affiliation("o02-region-skannad-pdf.eml", "image-only PDF (OCR)", org=org, sender=c, contact=c, text=text,
                       decision=d, extra_files=(pdf,), client="gmail")


def o03_koping_winmail_dat():
    org = Org("Köpings kommun", "kommun")
    c = Person("Susanne Wik", "socialchef", "susanne.wik@koping.se", "0221-253 10")
    d = Decision("Socialnämnden", date(2024, 5, 22), "§ 58", "SN 2024/0061", "SN 2024-05-22 § 58.pdf")
    inner = decision_file(Doc(org.name, "Socialnämnden"), d)
    winmail = File("winmail.dat", tnef_with(inner.filename, inner.data), "application/ms-tnef")
    text = (f"Hej!\n\nSocialnämnden i Köping ansluter sig till jämställdhetsstrategin.\n\n"
            f"Kontaktperson är {c.name}, {c.title}, {c.email}, {c.phone}.\n\nMvh\n{c.name}")
    return affiliation("o03-koping-winmail-dat.eml", "Outlook rich text: the decision inside winmail.dat (TNEF)",
                       org=org, sender=c, contact=c, text=text, decision=d, extra_files=(winmail,))


BUILDERS = (o01_sala_scanned_jpeg, o02_region_scanned_pdf, o03_koping_winmail_dat)
