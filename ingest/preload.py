"""What the fork server does once, before it forks any message's child (ingest.isolation PRELOAD).

Every child is a fork of the fork server, so whatever is imported or built here is free in
each of them. Importing this module is the work, on purpose (it is imported by the fork server
only): the pipeline and the PDF readers imported, SQLAlchemy's mappers configured, which each
child otherwise did again on its first query (about 70 ms of a 150 ms message), and what was
built frozen for the garbage collector.
"""

from __future__ import annotations

import gc

import pypdf  # noqa: F401 - measures a PDF's content before PDFium parses it (ingest.extract.pdf_content)
import pypdfium2  # noqa: F401 - reads a PDF's text, renders scans for OCR
from sqlalchemy.orm import configure_mappers

import ingest.isolation  # noqa: F401 - what the child runs
import ingest.pipeline  # noqa: F401 - the whole pipeline, every service it calls
import models  # noqa: F401 - every table, before the mappers are configured

configure_mappers()
# Everything built so far is kept out of the children's garbage collections: a collection in a
# child otherwise walks every object inherited from here, writing to each, which copies the fork
# server's memory page by page (about 300 ms and 50 MB a child; the Python docs of gc.freeze).
gc.freeze()
