"""Text from mail cannot become a link in any template; every reply carries the personal-data notice
and a case token hidden from every client, Outlook for Windows included."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from digest.attention import Attention, Reason
from digest.collect import DigestData, NewCase
from digest.questions import Question
from digest.render import digest_variables
from inbox.config import Settings
from replies.inert import defang
from replies.render import REPLY_TEMPLATES, TEMPLATE_ROOT, Renderer
from replies.variables import sample_variables

HOSTILE = "Evil AB http://evil.example/login https://evil.example www.evil.example evil.example x@evil.example mailto:x@evil.example"
# What a mail program would turn into a link: a scheme, "www.", or a dotted name ending in a letter label.
LINKABLE = re.compile(r"(?i)https?:|mailto:|www\.|evil\.example")


def hostile_variables(settings: Settings) -> dict:
    variables = sample_variables(settings)
    variables["organisation"] = {"name": HOSTILE, "org_number": HOSTILE}
    variables["contact"] = {"name": HOSTILE, "title": HOSTILE, "email": "evil.example@x", "phone": HOSTILE}
    variables["decision_summary"] = variables["contact_summary"] = HOSTILE
    return variables


def reply_templates() -> list[str]:
    """Every reply template folder, registered or not (a new one must be safe too)."""
    found = {p.parent.name for p in TEMPLATE_ROOT.glob("*/body.txt")} - {"_base", "digest"}
    return sorted(found | set(REPLY_TEMPLATES))


def mail_text(part: str) -> str:
    """The text a reader sees and a linkifier scans: markup and the board's own links removed."""
    part = re.sub(r"<a href=\"[^\"]*\"[^>]*>[^<]*</a>", "", part)  # our own links (board, privacy page)
    part = re.sub(r"<[^>]+>", "", part)
    for ours in ("https://www.lansstyrelsen.se/dataskydd", Settings().web.base_url):  # the digest links the workspace
        part = part.replace(ours, "")
    return part


@pytest.mark.parametrize("template", reply_templates())
def test_no_mail_derived_text_survives_as_a_link(template):
    settings = Settings()
    rendered = Renderer(settings.replies).render(template, hostile_variables(settings))
    for part in (rendered.subject, rendered.text, rendered.html):
        assert not LINKABLE.search(mail_text(part)), (template, LINKABLE.findall(mail_text(part)))
    ours = re.compile(r'<a href="(https://www\.lansstyrelsen\.se/dataskydd|' + re.escape(settings.portal_base_url()) +
                      r'/anslutning/[0-9]+-[0-9a-f]{32})"')  # the privacy page and the organisation's own page
    assert "<a href=\"http" not in ours.sub("", rendered.html)


@pytest.mark.parametrize("template", reply_templates())
def test_every_reply_has_the_notice_and_a_token_hidden_from_outlook(template):
    settings = Settings()
    rendered = Renderer(settings.replies).render(template, sample_variables(settings))
    notice, url = settings.replies.privacy_notice, settings.replies.privacy_url
    assert f"{notice} {url}" in rendered.text
    assert notice in rendered.html and f'<a href="{url}"' in rendered.html
    token = rendered.html.index("strategy-inbox-token:")
    opening = rendered.html[rendered.html.rindex("<!--[if !mso]><!-->", 0, token):token]
    for style in ("display:none", "mso-hide:all", "font-size:0", "max-height:0", "overflow:hidden"):
        assert style in opening, style
    assert "<!--<![endif]-->" in rendered.html[token:]


def test_the_digest_shows_mail_text_inert_too():
    settings = Settings()
    now = datetime(2026, 3, 12, 7, 30, tzinfo=UTC)
    data = DigestData(day=date(2026, 3, 12), period_start=now, period_end=now, zone=ZoneInfo(settings.service.timezone),
                      new_cases=[NewCase("JS-2026-0001", HOSTILE, "Kommun", "Komplett", HOSTILE, defang(HOSTILE), [])],
                      attention=[Attention("JS-2026-0001", HOSTILE, [Reason("needs_review", "Behöver granskas", "k")],
                                           "/arenden/JS-2026-0001")],
                      questions=[Question("eva@example.se", f"<b>{HOSTILE}</b>", now, 1)])
    ctx = SimpleNamespace(settings=settings)  # all digest_variables reads
    rendered = Renderer(settings.replies).render("digest", digest_variables(ctx, data, None))
    for part in (rendered.text, rendered.html):
        assert not LINKABLE.search(mail_text(part)), LINKABLE.findall(mail_text(part))
    assert "&lt;b&gt;" in rendered.html and "<b>" not in rendered.html  # escaped, never markup
    assert "FRÅGOR OCH ANNAN POST OM STRATEGIN (1)" in rendered.text and "eva@example.se" in rendered.text


@pytest.mark.parametrize("text, expected", [
    ("http://evil.example/x", "hxxp[:]//evil[.]example/x"),
    ("HTTPS://www.evil.example", "HxxPS[:]//www[.]evil[.]example"),
    ("www。evil。example", "www[。]evil[。]example"),  # IDNA maps ideographic dots to "."
    ("Köpings kommun", "Köpings kommun"),
    ("Protokollsutdrag KS § 45.pdf", "Protokollsutdrag KS § 45.pdf"),  # no file extension is a top-level domain
    ("www.pdf", "www[.]pdf"),
    ("Kommunstyrelsen 2024-03-12 § 45, dnr KS 2024/123", "Kommunstyrelsen 2024-03-12 § 45, dnr KS 2024/123"),
    ("A.B. Svensson", "A.B. Svensson"),
    (None, ""),
])
def test_defang(text, expected):
    assert defang(text) == expected
    assert defang(defang(text)) == expected  # idempotent


def test_templates_folder_is_where_the_renderer_looks():
    assert Path(TEMPLATE_ROOT, "_base", "body.html").is_file()
