"""/bilaga/{id}: stored attachments with a type sniffed from their bytes, never the sender's, on SQLite and PostgreSQL."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from sqlalchemy import select

from cases.documents import safe_filename
from models import Attachment, Case
from tests.web.case_support import EXE, IMG, PNG, complete_case, deliver_mail, hostile_mail, sala_case
from web.security import DOCUMENT_CSP, IMAGE_CSP


def attachment_ids(ctx) -> dict[str, int]:
    with ctx.sessions() as session:
        return {row.filename: row.id for row in session.scalars(select(Attachment).order_by(Attachment.id))}


@pytest.fixture
def hostile(web, tmp_path) -> dict[str, int]:
    deliver_mail(web.ctx, tmp_path / "in", hostile_mail())
    return attachment_ids(web.ctx)


def test_a_pdf_is_shown_inline_under_the_document_policy(web, hostile):
    answer = web.signed_in().get(f"/bilaga/{hostile[IMG + '.pdf']}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    assert answer.headers["content-security-policy"] == DOCUMENT_CSP
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"  # the case page frames it
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("inline; ")
    # the sender's name, made harmless: no quote, no angle bracket; in full, UTF-8 and percent-encoded
    assert disposition.count('"') == 2 and "<" not in disposition and ">" not in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == safe_filename(IMG + ".pdf") == "___img src=x onerror=alert(1)_.pdf"


def test_asking_to_download_always_gives_an_attachment(web, hostile):
    answer = web.signed_in().get(f"/bilaga/{hostile[IMG + '.pdf']}?ladda-ner=1")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment; ")
    assert "sandbox" in answer.headers["content-security-policy"]


def test_an_image_is_shown_inline_in_a_sandbox(web, hostile):
    answer = web.signed_in().get(f"/bilaga/{hostile['skannad sida.png']}")
    assert answer.headers["content-type"] == "image/png" and answer.content == PNG
    assert answer.headers["content-security-policy"] == IMAGE_CSP and IMAGE_CSP.endswith("sandbox")
    assert answer.headers["content-disposition"] == "inline; filename=\"skannad sida.png\"; filename*=UTF-8''skannad%20sida.png"


@pytest.mark.parametrize("name", ["sida.html", "faktura.pdf"])
def test_html_and_a_program_called_pdf_are_downloads_of_unknown_bytes(web, hostile, name):
    answer = web.signed_in().get(f"/bilaga/{hostile[name]}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/octet-stream"  # not text/html, not the declared application/pdf
    assert answer.headers["content-disposition"].startswith("attachment; ")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in answer.headers["content-security-policy"]
    if name == "faktura.pdf":
        assert answer.content == EXE


def test_the_case_page_shows_the_decision_and_never_the_mail_html(web, hostile):
    with web.ctx.sessions() as session:
        reference = session.scalars(select(Case.reference)).one()
    page = web.signed_in().get(f"/arenden/{reference}").text
    assert f'src="/bilaga/{hostile[IMG + ".pdf"]}"' in page
    assert f'href="/bilaga/{hostile["sida.html"]}?ladda-ner=1"' in page
    assert "<html><body>" not in page and "onerror=alert(2)" not in page


def test_staff_open_any_cases_attachment_and_an_unknown_id_is_404(web, tmp_path):
    complete_case(web.ctx, tmp_path / "in")
    sala_case(web.ctx, tmp_path / "in")
    client = web.signed_in("staff")
    ids = attachment_ids(web.ctx).values()
    assert len(ids) == 2
    assert all(client.get(f"/bilaga/{id_}").status_code == 200 for id_ in ids)  # one board: every case's documents
    assert client.get("/bilaga/999999").status_code == 404
    assert client.get("/bilaga/abc").status_code == 404
    assert client.get("/bilaga/-1").status_code == 404


def test_anonymous_people_are_sent_to_sign_in(web, hostile):
    answer = web.client().get(f"/bilaga/{hostile['sida.html']}", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/logga-in")


def test_a_file_that_is_gone_is_404(web, hostile):
    with web.ctx.sessions() as session:
        row = session.get(Attachment, hostile["sida.html"])
        (web.ctx.data_dir / row.path).unlink()
    answer = web.signed_in().get(f"/bilaga/{hostile['sida.html']}")
    assert answer.status_code == 404 and "finns inte längre" in answer.text


@pytest.mark.parametrize(("given", "made"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\x\\beslut.pdf", "beslut.pdf"),
    ("beslut\r\nSet-Cookie: x=1.pdf", "beslut Set-Cookie_ x=1.pdf"),
    ("fakt\u202eFDP.exe", "fakt FDP.exe"),
    ("...", "bilaga"),
    (None, "bilaga"),
    ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
])
def test_file_names_are_made_harmless(given, made):
    assert safe_filename(given) == made
