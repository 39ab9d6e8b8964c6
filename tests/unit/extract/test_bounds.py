"""Every parser is bounded before it runs, and no pattern is quadratic (issue 10).

Each test feeds one crafted input (tests/hostile/bombs.py) or a hostile line to the real
function and asserts the safe result and that it stays fast; the property tests check that
the linear rewrites find exactly what the old patterns found on ordinary text.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract import DocumentLimits, bodytext, extract, fields, organisation
from ingest.extract.containers import unpack
from ingest.extract.limits import MAX_LINE_CHARS, Reading, wrap_long_lines
from ingest.large_parts import parse_lean, set_aside
from ingest.message import MailAttachment, parse_message
from tests.hostile import bombs

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "mail"


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def reasons(result) -> list[str]:
    return [item.reason for item in result.review]


# -- patterns --------------------------------------------------------------------------------------------------------

def test_the_email_pattern_is_linear_on_a_long_word_without_at():
    for line in ("a" * 80_000, "1" * 80_000, "a." * 40_000, "förening" * 10_000 + "!"):
        found, seconds = timed(fields.normalise_email, line)
        assert found is None and seconds < 0.5, seconds


def test_organisation_patterns_are_linear_on_hyphenated_capitals():
    for line in ("A-" * 40_000, "Aaaa-" * 16_000, "Aa & " * 16_000, "förening" * 10_000 + "!"):
        _, seconds = timed(organisation.civil_names, line)
        match, more = timed(organisation.MUNICIPAL.search, line)
        company, most = timed(organisation.COMPANY.search, line)
        assert seconds + more + most < 1.0, (seconds, more, most)


def test_a_run_of_unclosed_mailto_is_linear():
    _, seconds = timed(bodytext.clean, "<mailto:" * 20_000)
    assert seconds < 0.5


OLD_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
OLD_CIVIL = re.compile(r"\w*(?:förening|jour|förbund|stiftelse|sällskap|nätverk|klubb|universitet|högskola)\w*", re.I)
words = st.text(alphabet=st.sampled_from("aAöÖ1._-+@ &kommunförening"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(words)
def test_the_linear_email_pattern_finds_what_the_old_one_found(text):
    assert [m.group(0) for m in fields.EMAIL.finditer(text)] == [m.group(0) for m in OLD_EMAIL.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(words)
def test_the_civil_word_test_agrees_with_the_old_fullmatch(token):
    assert organisation._is_civil_word(token) == bool(OLD_CIVIL.fullmatch(token))  # noqa: SLF001


# -- long lines and flowed text ---------------------------------------------------------------------------------------

def old_clean(text: str) -> str:
    """bodytext.clean as it was (quadratic string building), the reference for short lines."""
    text = re.sub(r"<mailto:[^>\s]+>", "", (text or "").replace("\r\n", "\n"))
    out: list[str] = []
    for line in text.split("\n"):
        if out and out[-1].endswith(" ") and out[-1].strip() not in ("--", "") and line.strip():
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return "\n".join(line.rstrip() for line in out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "-- ", "--", "Anna ", "Lind", "Kommun ", "  ", "x <mailto:a@b.se>"]), max_size=30))
def test_clean_joins_flowed_lines_as_before(lines):
    text = "\n".join(lines)
    assert bodytext.clean(text) == old_clean(text)


def test_two_megabytes_of_flowed_lines_are_joined_in_linear_time():
    text = "Kommunen ansluter sig till strategin och \n" * 50_000
    cleaned, seconds = timed(bodytext.clean, text)
    assert seconds < 1.0
    assert max(len(line) for line in cleaned.split("\n")) <= MAX_LINE_CHARS


def test_long_lines_are_wrapped_at_a_space_and_nothing_is_lost():
    text = "ord " * 5000 + "\n" + "x" * 12_000 + "\nkort"
    wrapped = wrap_long_lines(text, 1000)
    assert all(len(line) <= 1000 for line in wrapped.split("\n"))
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert wrap_long_lines("kort\nrad", 1000) == "kort\nrad"


# -- documents ---------------------------------------------------------------------------------------------------------

def test_a_docx_with_45_mb_of_xml_is_refused_before_python_docx_reads_it():
    result, seconds = timed(extract, parse_message(bombs.docx_bomb_mail()))
    assert seconds < 5 and "decision" not in result.missing  # sent, not read: for a person
    assert any("MB of XML, over the limit of 10 MB" in reason for reason in reasons(result)), reasons(result)


def test_pdf_pages_that_share_a_giant_content_stream_are_not_parsed():
    result, seconds = timed(extract, parse_message(bombs.pdf_stream_mail()))
    assert seconds < 5
    assert any("page 1 and later were not read" in reason for reason in reasons(result)), reasons(result)


def test_the_content_budget_counts_what_the_pages_inflate_to():
    from tests.documents import decision_pdf

    mail = parse_message(bombs.with_attachment("<ok@koping.se>", decision_pdf(), "Protokoll § 45.pdf", "application", "pdf"))
    assert extract(mail).decision.text_source == "pdf_text"
    tight = extract(mail, limits=DocumentLimits(pdf_content_max_mb=0.0001))  # about 100 bytes
    assert tight.decision.present and tight.decision.text_source is None  # sent, not read: for a person
    assert any("over the limit of 0.0001 MB" in reason for reason in reasons(tight)), reasons(tight)


def test_a_400_megapixel_png_is_refused_from_its_header():
    tracemalloc.start()
    result, seconds = timed(extract, parse_message(bombs.png_bomb_mail()))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seconds < 5 and peak < 50_000_000  # never decoded (that would be 400 MB)
    assert any("megapixels" in reason for reason in reasons(result)), reasons(result)


def test_a_pdf_page_drawing_a_400_megapixel_image_is_not_rendered():
    result, seconds = timed(extract, parse_message(bombs.pdf_image_mail()))
    assert seconds < 5
    assert any("draws an image of 20000 x 20000 pixels" in reason for reason in reasons(result)), reasons(result)


def test_an_image_over_the_configured_pixels_is_refused():
    from tests.documents import scanned_image

    mail = parse_message(bombs.with_attachment("<scan@koping.se>", scanned_image(fmt="PNG"), "Protokoll.png", "image", "png"))
    result = extract(mail, limits=DocumentLimits(image_max_megapixels=1))
    assert any("over the limit of 1 megapixels" in reason for reason in reasons(result)), reasons(result)


# -- containers and large parts -----------------------------------------------------------------------------------------

def test_a_mail_nested_50_deep_is_cheap_and_flagged():
    (result, seconds) = timed(lambda: extract(parse_lean(bombs.nested_mail())))
    assert seconds < 3
    assert any("nested more than 3 containers deep" in reason for reason in reasons(result)), reasons(result)


def test_at_most_twenty_containers_are_opened_per_message():
    from tests.documents import decision_pdf, zip_with

    pdf = decision_pdf()
    archives = tuple(MailAttachment(f"bilaga-{n}.zip", "application/zip", zip_with({f"{n}.pdf": pdf})) for n in range(25))
    reading = Reading()
    unpack(archives, reading)
    assert len(reading.containers_opened) == 20
    assert any("more than 20 containers" in problem for problem in reading.problems)


def test_parse_lean_gives_what_parse_message_gives():
    for path in sorted(EXAMPLES.glob("*.eml")):
        raw = path.read_bytes()
        assert parse_lean(raw) == parse_message(raw), path.name
    raw = bombs.big_attachment_mail(megabytes=1)
    assert set_aside(raw).payloads and parse_lean(raw) == parse_message(raw)


def test_a_25_mb_attachment_is_decoded_once():
    raw = bombs.big_attachment_mail()
    tracemalloc.start()
    mail = parse_lean(raw)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert max(len(a.payload) for a in mail.attachments) == 25 * bombs.MB
    assert peak < 32 * bombs.MB, peak / bombs.MB  # the decoded bytes and little else (the raw is the caller's)
