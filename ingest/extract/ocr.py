"""OCR of scanned decisions with Tesseract (Debian tesseract-ocr + tesseract-ocr-swe).

Tesseract runs as a subprocess with a timeout taken from the message's OCR budget, so a
huge or hostile scan can neither hang the worker nor crash it. With the Swedish model
å/ä/ö survive; without it they come out as a/a/o and the deciding body is not recognised.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator

from ingest.extract.limits import Reading

RENDER_DPI = 300  # Tesseract's sweet spot for body text of a printed page
MAX_SIDE_PX = 4000  # a phone photo is scaled down to this; more pixels only cost time
# Tesseract reads "§" before a paragraph number as "&", "$" or a lone "8" ("8 45 Anslutning"):
# each becomes "§ 45". Only a sign standing alone before a short number that is not part of a
# date, phone number or case number is changed.
_PARAGRAPH_SIGN = re.compile(r"(?<![\w&$§/:.,+-])(?<!\d )(?:[&$]\s?|8 )(?=\d{1,4}(?!\d)(?![/:.,-]\d))")


class OcrUnavailable(RuntimeError):
    """Tesseract (or its language data) is not installed."""


class OcrTimeout(RuntimeError):
    """The message's OCR time budget ran out."""


def tesseract_path() -> str | None:
    return shutil.which("tesseract")


def normalise_ocr(text: str) -> str:
    """Undo the OCR mistakes that matter for the fields: the paragraph sign."""
    return _PARAGRAPH_SIGN.sub("§ ", text)


def ocr_png(png: bytes, reading: Reading) -> str:
    """Text of one page image (PNG bytes). Raises OcrUnavailable or OcrTimeout."""
    exe = tesseract_path()
    if exe is None:
        raise OcrUnavailable("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-swe)")
    seconds = reading.ocr_seconds_left()
    if seconds <= 0:
        raise OcrTimeout("the OCR time budget for this message is used up")
    command = [exe, "stdin", "stdout", "-l", reading.limits.ocr_languages, "--psm", "6", "--dpi", str(RENDER_DPI)]
    try:
        done = subprocess.run(command, input=png, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired as err:
        raise OcrTimeout(f"OCR stopped after {seconds:.0f} s, the time budget for this message") from err
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if any("language" in line.lower() or "traineddata" in line for line in message):
            raise OcrUnavailable(f"tesseract has no '{reading.limits.ocr_languages}' language data")
        raise OSError(f"tesseract failed: {message[-1] if message else done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def image_pages(payload: bytes, max_pages: int) -> Iterator[bytes]:
    """Each frame of a JPEG/PNG/TIFF (a TIFF fax may hold several pages) as grey PNG bytes."""
    from PIL import Image, ImageSequence

    with Image.open(io.BytesIO(payload)) as image:
        for number, frame in enumerate(ImageSequence.Iterator(image)):
            if number >= max_pages:
                return
            yield _png(frame)


def page_count(payload: bytes) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(payload)) as image:
        return getattr(image, "n_frames", 1)


def pdf_pages(payload: bytes, max_pages: int) -> Iterator[bytes]:
    """Pages of a scanned PDF rendered at RENDER_DPI with pdfium (no system library needed)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(payload)
    try:
        for number in range(min(len(document), max_pages)):
            page = document[number]
            # Never more than MAX_SIDE_PX on a side: a page declared 5 m wide must not take gigabytes.
            width, height = page.get_size()
            scale = min(RENDER_DPI / 72, MAX_SIDE_PX / max(width, height, 1))
            bitmap = page.render(scale=scale, grayscale=True)
            yield _png(bitmap.to_pil())
            bitmap.close()
            page.close()
    finally:
        document.close()


def _png(image) -> bytes:
    grey = image.convert("L")
    if max(grey.size) > MAX_SIDE_PX:
        grey.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
    out = io.BytesIO()
    grey.save(out, "PNG")
    return out.getvalue()


def ocr_pages(pages: Iterator[bytes], reading: Reading) -> str:
    """OCR pages in order; when the budget runs out mid-document the pages read so far are kept."""
    texts: list[str] = []
    try:
        for png in pages:
            texts.append(ocr_png(png, reading))
    except OcrTimeout:
        if not texts:
            raise
        reading.problem(f"OCR time budget ({reading.limits.ocr_seconds_per_message:g} s) ran out after {len(texts)} page(s)")
    return normalise_ocr("\n".join(texts))
