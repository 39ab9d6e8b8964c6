"""Screenshots of the staff workspace on the demo data, of the digest, and of replies to a case with hostile names.

`make screenshots` writes var/screenshots/*.png, each at phone (390 px) and desktop (1280 px) width, full page:

    start-*.png    Att göra, the start page          cases-*.png   Ärenden, the case list
    case-*.png     one case (Västerås stad)          hostile-case-*.png   the case whose names are hostile
    digest-*.png   the staff digest (`inbox digest --preview`)
    reply-<template>-*.png   replies rendered for the hostile case (`inbox preview TEMPLATE --case REF`)

The demo data is what the browser tests use (tests/browser/workspace.py: examples/mail through the directory
source as `inbox demo` does, a quarantined message, free times, a booked meeting), in a fresh SQLite database
under var/screenshots/work; one case's organisation and contact are then renamed by a "staff correction" to
`<script>alert(1)</script>` and `"><img src=x onerror=alert(1)>`, which every page must show as text.
Headless Debian chromium through Playwright, as in the browser tests; never a downloaded browser.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402

from cases.staff import correct_contact, correct_organisation, get_case  # noqa: E402
from digest.preview import write_preview  # noqa: E402
from inbox.config import Settings  # noqa: E402
from inbox.context import AppContext  # noqa: E402
from models import Case, Organisation  # noqa: E402
from replies.preview import preview  # noqa: E402
from tests.browser.workspace import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    Workspace,
    free_port,
    seed_demo,
    serve,
    settings_for,
)

WIDTHS = (390, 1280)
HOSTILE_ORGANISATION = "<script>alert(1)</script> Verkstads AB"
HOSTILE_CONTACT = '"><img src=x onerror=alert(1)> Jenny Nordin'
HOSTILE_OF = "Kolbäcksåns Verkstads AB"  # the demo case that gets the hostile names
REPLIES = ("acknowledgement", "invitation", "booking_confirmation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots", help="folder for the PNG files")
    out = parser.parse_args().out
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    port = free_port()
    settings = settings_for(f"sqlite:///{work}/inbox.db", work / "data", smtp=None, outbox_dir=work / "outbox", port=port)
    seed_demo(settings)
    files = mail_pages(settings, work)
    with serve(settings, port) as workspace, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(base_url=workspace.url, locale="sv-SE").new_page()
        sign_in(page)
        for name, path in workspace_pages(workspace):
            shoot(page, path, out / name)
        for name, file in files:
            shoot(page, file.as_uri(), out / name)
        browser.close()
    print(f"screenshots in {out}: " + ", ".join(sorted(p.name for p in out.glob("*.png"))))


def workspace_pages(workspace: Workspace) -> list[tuple[str, str]]:
    return [("start", "/"), ("cases", "/arenden"), ("case", f"/arenden/{workspace.reference_of('Västerås stad')}"),
            ("hostile-case", f"/arenden/{workspace.reference_of(HOSTILE_ORGANISATION)}")]


def mail_pages(settings: Settings, work: Path) -> list[tuple[str, Path]]:
    """The digest and the replies of the hostile case as HTML files (what a mail program would show)."""
    ctx = AppContext.build(settings)
    try:
        reference = make_hostile(ctx)
        digest = work / "mail" / "digest.html"
        write_preview(ctx, digest)
        files = [("digest", digest)]
        for template in REPLIES:
            path = work / "mail" / f"reply-{template}.html"
            path.write_text(preview(ctx, template, reference).html(), encoding="utf-8")
            files.append((f"reply-{template}", path))
        return files
    finally:
        ctx.close()


def make_hostile(ctx: AppContext) -> str:
    """Rename one case's organisation and contact as a careless (or hostile) correction could; its reference."""
    with ctx.sessions() as session:
        reference = session.scalars(select(Case.reference).join(Organisation, Case.organisation_id == Organisation.id)
                                    .where(Organisation.name == HOSTILE_OF)).first()
        assert reference, f"no case of {HOSTILE_OF} in the demo data"
        case = get_case(session, reference)
        correct_organisation(ctx, session, case, {"name": HOSTILE_ORGANISATION}, actor="screenshots")
        correct_contact(ctx, session, case, {"name": HOSTILE_CONTACT}, actor="screenshots")
        session.commit()
    return reference


def sign_in(page: Page) -> None:
    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill("staff")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Att göra", level=1).wait_for()


def shoot(page: Page, address: str, stem: Path) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(address)
        page.screenshot(path=str(stem.with_name(f"{stem.name}-{width}.png")), full_page=True)


if __name__ == "__main__":
    main()
