"""The benchmark's mail: a backlog of real-world mail with affiliations mixed in, and one
message with a 25 MB PDF.

Ordinary mail is read from the shared corpus (../shared/corpus, never copied into the
project); affiliations are generated: a 20-page protocol of about 200 KB whose decision is
on page 3, as a full meeting protocol (not an extract) arrives. Everything is deterministic,
so runs compare.
"""

from __future__ import annotations

import csv
import io
import os
import random
import textwrap
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("INBOX_CORPUS", ROOT.parent / "shared" / "corpus"))  # as tests/unit/extract/test_containers.py
BOARD = "vastmanland@lansstyrelsen.se"
ORDINARY = ("normal", "unknown", "other", "auto_reply")  # not "malformed" (fuzz cases), "tnef" (bare winmail.dat files) nor the bounce collections
ORGANISATIONS = (("Köpings kommun", "koping.se"), ("Sala kommun", "sala.se"), ("Arboga kommun", "arboga.se"),
                 ("Fagersta kommun", "fagersta.se"), ("Kungsörs kommun", "kungsor.se"), ("Norbergs kommun", "norberg.se"),
                 ("Surahammars kommun", "surahammar.se"), ("Västerås stad", "vasteras.se"))
WORDS = ("kommunstyrelsen", "nämnden", "förslag", "budget", "förvaltningen", "yttrande", "ärendet", "sammanträde",
         "detaljplan", "översiktsplan", "remiss", "verksamhetsplan", "ekonomi", "uppföljning", "redovisning", "beslutar",
         "godkänna", "återremittera", "tjänsteskrivelse", "medborgarförslag", "motion", "investering", "fastighet",
         "skola", "äldreomsorg", "bygglov", "räddningstjänst", "vatten", "avfall", "kollektivtrafik", "delårsrapport")
DECISION_PAGE = 3
PAGES = 20
ITEMS_PER_PAGE = 7
WORDS_PER_ITEM = 70
LINE_CHARACTERS = 105
PHOTO_BYTES = 630_000  # measured: one 1000x700 noise JPEG at quality 90


def font() -> str:
    from tests.documents import font_path

    return str(font_path())


def _filler(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _document():
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2024, 3, 12, tzinfo=UTC))
    pdf.add_font("DejaVu", fname=font())
    pdf.add_font("DejaVu", style="B", fname=font().replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=9)
    return pdf


def protocol_pdf(org: str, seed: int, pages: int = PAGES) -> bytes:
    """A full meeting protocol: `pages` pages of agenda items, the affiliation decision on page 3."""
    pdf = _document()
    _protocol_pages(pdf, org, random.Random(seed), pages)
    return bytes(pdf.output())


def _protocol_pages(pdf, org: str, rng: random.Random, pages: int) -> None:
    """Lines wrapped here and placed with `text` (fpdf2's own line breaking takes 2 s a protocol)."""
    paragraph = 100  # never 45, the decision's own number
    for page in range(1, pages + 1):
        lines = [org, "PROTOKOLL", "Kommunstyrelsen", "Sammanträdesdatum 2024-03-12", "Justerare: Åsa Öberg", ""] if page == 1 else []
        for item in range(ITEMS_PER_PAGE):
            if page == DECISION_PAGE and item == 1:
                lines += ["§ 45  Dnr KS 2024/123", "Anslutning till Jämställdhetsstrategi för Västmanlands län 2024–2027",
                          *textwrap.wrap(f"Beslut: Kommunstyrelsen beslutar att {org} ansluter sig till Jämställdhetsstrategi "
                                         "för Västmanlands län 2024–2027.", LINE_CHARACTERS), ""]
                continue
            paragraph += 1
            lines += [f"§ {paragraph}  Dnr KS 2024/{rng.randrange(100, 999)}", _filler(rng, 6),
                      *textwrap.wrap(_filler(rng, WORDS_PER_ITEM), LINE_CHARACTERS), ""]
        pdf.add_page()
        pdf.image(_logo(), x=175, y=8, w=20)  # the emblem in the header: one image, drawn on every page
        for number, line in enumerate(lines):
            pdf.set_font("DejaVu", style="B" if line.startswith("§") or line.isupper() else "", size=9)
            _words(pdf, 12 + 3.9 * number, line)


def _logo() -> io.BytesIO:
    """The municipality's emblem: about 80 KB of JPEG, as an emblem scanned for the template is."""
    from PIL import Image

    data = io.BytesIO()
    Image.frombytes("RGB", (300, 300), random.Random(0).randbytes(300 * 300 * 3)).save(data, "JPEG", quality=85)
    return data


def _words(pdf, y: float, line: str) -> None:
    """One text object a word, as word processors position text (a PDF of plain lines is
    several times faster to read than real ones)."""
    x = 15.0
    space = pdf.get_string_width(" ")
    for word in line.split(" "):
        pdf.text(x, y, word)
        x += pdf.get_string_width(word) + space


def affiliation(number: int, pdf: bytes | None = None) -> bytes:
    org, domain = ORGANISATIONS[number % len(ORGANISATIONS)]
    msg = EmailMessage()
    msg["From"] = f"Anna Lind <anna.lind{number}@{domain}>"
    msg["To"] = BOARD
    msg["Subject"] = "Anslutning till jämställdhetsstrategin"
    msg["Message-ID"] = f"<bench-{number}@{domain}>"
    msg["Date"] = format_datetime(datetime(2024, 3, 14, 10, tzinfo=UTC) + timedelta(minutes=number))
    msg.set_content(f"Hej! {org} ansluter sig till jämställdhetsstrategin. Protokollet bifogas.\n\n"
                    f"Kontaktperson: Anna Lind, anna.lind{number}@{domain}, 0221-{number:03d} 12\n")
    pdf = pdf if pdf is not None else protocol_pdf(org, seed=number)
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="Protokoll KS 2024-03-12.pdf")
    return msg.as_bytes()


def big_pdf(megabytes: int = 25) -> bytes:
    """A 4-page protocol (decision on page 3) followed by pages with photos from the meeting,
    `megabytes` MB in all: noise JPEGs, incompressible like real photos."""
    from PIL import Image

    rng = random.Random(25)
    pdf = _document()
    _protocol_pages(pdf, "Köpings kommun", rng, 4)
    for photo in range(1, megabytes * 1_000_000 // PHOTO_BYTES + 1):
        pdf.add_page()
        pdf.text(15, 20, f"Bild {photo} från sammanträdet.")
        data = io.BytesIO()
        Image.frombytes("RGB", (1000, 700), rng.randbytes(1000 * 700 * 3)).save(data, "JPEG", quality=90)
        pdf.image(data, x=10, y=60, w=190)
    return bytes(pdf.output())


def big_pdf_mail(megabytes: int = 25) -> bytes:
    return affiliation(9_999, pdf=big_pdf(megabytes))


def ordinary_paths(count: int) -> list[Path]:
    """`count` real-world messages of the shared corpus, spread evenly over its sources."""
    with (CORPUS / "labels.csv").open(encoding="utf-8", newline="") as handle:
        paths = sorted(row["path"] for row in csv.DictReader(handle) if row["category"] in ORDINARY
                       and (CORPUS / row["path"]).stat().st_size > 0)  # an IMAP server refuses an empty message
    if len(paths) < count:
        raise SystemExit(f"{CORPUS}: only {len(paths)} ordinary messages, {count} wanted")
    step = len(paths) / count
    return [CORPUS / paths[int(i * step)] for i in range(count)]


def backlog(size: int, affiliation_share: float = 0.1) -> list[bytes]:
    """`size` messages: every tenth an affiliation, the rest ordinary mail from the corpus."""
    every = round(1 / affiliation_share)
    ordinary = iter(ordinary_paths(size - size // every))
    return [affiliation(n) if n % every == every - 1 else next(ordinary).read_bytes() for n in range(size)]
