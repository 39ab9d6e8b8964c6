"""What the fork server does once, before it forks any message's child (ingest.isolation PRELOAD).

Every child is a fork of the fork server, so whatever is imported or built here is free in
each of them. Importing this module is the work, on purpose (it is imported by the fork server
only): the pipeline and the PDF readers imported, SQLAlchemy's mappers configured (each child
otherwise did it again on its first query), one made-up affiliation parsed, classified and
extracted (codecs, regular expressions, mail-parser's own imports), and all of it frozen for
the garbage collector. A plain message's child went from about 350 ms to under 100 ms.
"""

from __future__ import annotations

import gc
import logging

import mailparser  # noqa: F401 - imported where a message is parsed, so a poll with nothing new skips it
import phonenumbers  # noqa: F401 - the same, where a phone number is read
import pypdf  # noqa: F401 - measures a PDF's content before PDFium parses it (ingest.extract.pdf_content)
import pypdfium2  # noqa: F401 - reads a PDF's text, renders scans for OCR
from sqlalchemy.orm import configure_mappers

import ingest.in_child  # noqa: F401 - what the child runs
import ingest.pipeline  # noqa: F401 - the whole pipeline, every service it calls
import models  # noqa: F401 - every table, before the mappers are configured

configure_mappers()


def _warm() -> None:
    """One affiliation through parsing, classification and extraction, without a database: the
    codecs, regular expressions and imports a first message loads are then loaded here once."""
    from email.message import EmailMessage

    from ingest.classify import classify
    from ingest.extract import extract
    from ingest.large_parts import parse_lean

    msg = EmailMessage()
    msg["From"], msg["To"] = "=?iso-8859-1?q?Anna_L=F6f?= <anna@example.se>", "=?utf-8?q?L=C3=A4nsstyrelsen?= <lst@example.se>"
    msg["Subject"], msg["Message-ID"], msg["Date"] = "Anslutning till jämställdhetsstrategin", "<warm@example.se>", "Tue, 12 Mar 2024 10:00:00 +0100"
    msg.set_content("Hej! Kommunen ansluter sig till jämställdhetsstrategin.\n\nKontaktperson: Anna Löf, anna@example.se, 021-10 00 00\n")
    msg.add_alternative("<p>Hej! Kommunen ansluter sig.</p>", subtype="html", charset="iso-8859-1")
    mail = parse_lean(msg.as_bytes())
    classify(mail)
    extract(mail)


try:
    _warm()
except Exception:  # only a head start: a child that finds nothing warm still works
    logging.getLogger(__name__).warning("warming the fork server failed", exc_info=True)
# Everything built so far is kept out of the children's garbage collections: a collection in a
# child otherwise walks every object inherited from here, writing to each, which copies the fork
# server's memory page by page (about 300 ms and 50 MB a child; the Python docs of gc.freeze).
gc.freeze()
