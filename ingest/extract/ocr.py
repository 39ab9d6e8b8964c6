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
import warnings
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


class ImageTooLarge(ValueError):
    """An image (or an image on a PDF page) with more pixels than [extract] image_max_megapixels:
    refused from its header, before anything decodes it (a 400-megapixel PNG is 50 KB packed)."""


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


def open_image(payload: bytes, max_pixels: int | None = None):
    """A Pillow image with only its header read; ImageTooLarge when it has more than max_pixels
    (or more than Pillow itself opens: it refuses twice its MAX_IMAGE_PIXELS, about 179 megapixels)."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit decides, below
        try:
            image = Image.open(io.BytesIO(payload))
        except Image.DecompressionBombError as err:
            raise ImageTooLarge(f"an image of more than {2 * (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000} megapixels") from err
    if max_pixels is not None:
        _check_pixels(image.size, max_pixels)
    return image


def image_size(payload: bytes) -> tuple[int, int]:
    """Width and height from the header; nothing is decoded."""
    with open_image(payload) as image:
        return image.size


def _check_pixels(size: tuple[int, int], max_pixels: int, where: str = "an image") -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageTooLarge(f"{where} of {width} x {height} pixels ({width * height / 1_000_000:.0f} megapixels)")


def image_pages(payload: bytes, max_pages: int, max_pixels: int | None = None) -> Iterator[bytes]:
    """Each frame of a JPEG/PNG/TIFF (a TIFF fax may hold several pages) as grey PNG bytes.
    Each frame's size is checked before it is decoded; a big JPEG is decoded at a reduced
    scale (libjpeg's draft mode), since more than MAX_SIDE_PX is thrown away anyway."""
    from PIL import ImageSequence

    with open_image(payload, max_pixels) as image:
        if image.format == "JPEG":
            image.draft("L", (MAX_SIDE_PX, MAX_SIDE_PX))
        for number, frame in enumerate(ImageSequence.Iterator(image)):
            if number >= max_pages:
                return
            if max_pixels is not None:
                _check_pixels(frame.size, max_pixels, f"page {number + 1}, an image")
            yield _png(frame)


def page_count(payload: bytes) -> int:
    with open_image(payload) as image:
        return getattr(image, "n_frames", 1)


def pdf_pages(payload: bytes, max_pages: int, max_pixels: int | None = None) -> Iterator[bytes]:
    """Pages of a scanned PDF rendered at RENDER_DPI with pdfium (no system library needed).
    The images a page draws are measured before it is rendered: PDFium decodes each in full."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(payload)
    try:
        for number in range(min(len(document), max_pages)):
            page = document[number]
            if max_pixels is not None:
                _check_page_images(page, number, max_pixels)
            # Never more than MAX_SIDE_PX on a side: a page declared 5 m wide must not take gigabytes.
            width, height = page.get_size()
            scale = min(RENDER_DPI / 72, MAX_SIDE_PX / max(width, height, 1))
            bitmap = page.render(scale=scale, grayscale=True)
            yield _png(bitmap.to_pil())
            bitmap.close()
            page.close()
    finally:
        document.close()


def _check_page_images(page, number: int, max_pixels: int) -> None:
    import pypdfium2.raw as pdfium_c

    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5):
        _check_pixels(image.get_px_size(), max_pixels, f"page {number + 1} draws an image")


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
