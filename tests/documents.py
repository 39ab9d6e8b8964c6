"""Generators for the binary attachments of tests and of the labelled corpus.

Everything is made from text at run time, so no binary fixture is committed:
a PDF with a text layer (fpdf2 + DejaVu for å/ä/ö/§), a scanned-looking image or
image-only PDF (Pillow), DOCX (python-docx), ODT, Outlook winmail.dat (TNEF), ZIP
and a small signature logo.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

DECISION = """Protokollsutdrag
Kommunstyrelsen
Sammanträdesdatum 2024-03-12

§ 45 Anslutning till jämställdhetsstrategi för Västmanlands län 2024–2027
Dnr KS 2024/123

Beslut
Kommunstyrelsen beslutar att kommunen ansluter sig till jämställdhetsstrategin.

Justerat
Justerare: Åsa Öberg"""


def font_path() -> Path:
    """DejaVu Sans: bundled with matplotlib (a dependency), else the Debian font package."""
    import matplotlib

    candidates = [Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf",
                  Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
    return next(p for p in candidates if p.exists())


def decision_pdf(text: str = DECISION, pages: int = 1) -> bytes:
    """A PDF with a real text layer; `pages` repeats the text on that many pages."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_font("DejaVu", size=11)
    for _ in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _page_image(text: str, seed: int = 1):
    """A grey A4 page at 200 dpi with the text in 12 pt, a slight tilt and speckle: a scan."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(font_path()), 36)
    y = 160
    for line in text.splitlines():
        draw.text((150, y), line, font=font, fill=25)
        y += 54
    rng = random.Random(seed)
    for _ in range(3000):
        draw.point((rng.randrange(page.width), rng.randrange(page.height)), fill=rng.randrange(120, 220))
    return page.rotate(0.6, fillcolor=255, resample=Image.Resampling.BICUBIC)


def scanned_image(text: str = DECISION, fmt: str = "JPEG") -> bytes:
    """A scanned page as JPEG, PNG or TIFF bytes."""
    out = io.BytesIO()
    _page_image(text).save(out, fmt, dpi=(200, 200))
    return out.getvalue()


def scanned_pdf(text: str = DECISION, pages: int = 1) -> bytes:
    """An image-only PDF (no text layer), as a scanner makes it."""
    images = [_page_image(text, seed=n).convert("RGB") for n in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=200.0, save_all=True, append_images=images[1:])
    return out.getvalue()


def mixed_pdf(typed: str, scanned: str = DECISION) -> bytes:
    """A typed first page (a covering letter) followed by a scanned page, as one PDF."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, typed)
    pdf.add_page()
    pdf.image(_page_image(scanned), x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def decision_docx(text: str = DECISION) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def decision_odt(text: str = DECISION) -> bytes:
    """A minimal OpenDocument text: mimetype first and stored, then content.xml."""
    from xml.sax.saxutils import escape

    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in text.splitlines())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
               f"<office:body><office:text>{paragraphs}</office:text></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_with(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def logo_png(size: tuple[int, int] = (120, 40)) -> bytes:
    """A small signature logo, like Outlook's inline image001.png."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (0, 70, 140))
    ImageDraw.Draw(image).ellipse((5, 5, 35, 35), fill=(255, 200, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# TNEF (MS-OXTNEF): signature, key, then attributes: level, id (type << 16 | tag), length, data, checksum.
_TNEF_SIGNATURE = 0x223E9F78
_LVL_MESSAGE, _LVL_ATTACHMENT = 1, 2
_ATT_TNEF_VERSION = 0x00089006
_ATT_ATTACH_REND_DATA = 0x00069002
_ATT_ATTACH_TITLE = 0x00018010
_ATT_ATTACH_DATA = 0x0006800F


def _tnef_attribute(level: int, attribute: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BII", level, attribute, len(data)) + data + struct.pack("<H", checksum)


def tnef_with(filename: str, payload: bytes, *more: tuple[str, bytes]) -> bytes:
    """A winmail.dat holding one or more files, as Outlook sends it with rich-text mail."""
    parts = [struct.pack("<IH", _TNEF_SIGNATURE, 0x0001),
             _tnef_attribute(_LVL_MESSAGE, _ATT_TNEF_VERSION, struct.pack("<I", 0x00010000))]
    for name, data in ((filename, payload), *more):
        parts.append(_tnef_attribute(_LVL_ATTACHMENT, _ATT_ATTACH_REND_DATA, b"\x01\x00\xff\xff\xff\xff" + b"\x00" * 8))
        parts.append(_tnef_attribute(_LVL_ATTACHMENT, _ATT_ATTACH_TITLE, name.encode("cp1252") + b"\x00"))
        parts.append(_tnef_attribute(_LVL_ATTACHMENT, _ATT_ATTACH_DATA, data))
    return b"".join(parts)
