"""Screenshots of the organisation's own page (/anslutning/...), at phone (390 px) and desktop (1280 px) width, full page.

`.venv/bin/python scripts/screenshots_portal.py` writes var/screenshots/portal-*.png:

    portal-page-*.png      the page as the invitation's link opens it: a time to choose, the problem areas
    portal-booked-*.png    after booking (the notice, the meeting, "ask for another time") with saved answers
    portal-error-*.png     a text that is too long, shown at its field
    portal-refused-*.png   a link that does not work (an unknown token)

The demo data is what the browser tests use (tests/browser/workspace.py), in a fresh SQLite database under
var/screenshots/work-portal; the page is the public app (web/portal_app.py). Headless Debian chromium through
Playwright, as in the browser tests; never a downloaded browser.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from inbox.context import AppContext  # noqa: E402
from tests.browser.workspace import CHROMIUM, CHROMIUM_ARGS, free_port, portal_path, seed_demo, settings_for  # noqa: E402
from web.portal_app import create_portal_app  # noqa: E402

WIDTHS = (390, 1280)
ORGANISATION = "Kungsörs kommun"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots", help="folder for the PNG files")
    out = parser.parse_args().out
    work = out / "work-portal"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    port = free_port()
    settings = settings_for(f"sqlite:///{work}/inbox.db", work / "data", smtp=None, outbox_dir=work / "outbox", port=port)
    seed_demo(settings)
    ctx = AppContext.build(settings)
    server = uvicorn.Server(uvicorn.Config(create_portal_app(ctx), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off", ws="none", http="h11", server_header=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        path = portal_path(ctx, ORGANISATION)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_context(base_url=f"http://127.0.0.1:{port}", locale="sv-SE").new_page()
            shoot(page, path, out / "portal-page")
            too_long(page, path, out / "portal-error")
            book_and_describe(page, path)
            shoot(page, None, out / "portal-booked")
            shoot(page, "/anslutning/1-" + "0" * 32, out / "portal-refused")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        ctx.close()
    print(f"screenshots in {out}: " + ", ".join(sorted(p.name for p in out.glob("portal-*.png"))))


def book_and_describe(page: Page, path: str) -> None:
    page.goto(path)
    page.get_by_label("Om er organisation").fill("Kommunen har en jämställdhetsplan sedan 2022 och en samordnare "
                                                 "för våld i nära relationer.")
    area = page.get_by_role("group", name="Att systematiskt upptäcka våld")
    area.get_by_label("Det här gör vi redan i dag").fill("Chefer frågar om våld i medarbetarsamtalen.")
    area.get_by_label("Det här skulle vi kunna bidra med").fill("Dela vår rutin med andra arbetsgivare i länet.")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("status").wait_for()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Boka tiden").click()
    page.get_by_role("heading", name="Ert bokade möte").wait_for()


def too_long(page: Page, path: str, stem: Path) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        field = page.get_by_label("Föreslå andra tider")
        field.evaluate("element => element.removeAttribute('maxlength')")
        field.fill("Vi kan " * 200)
        page.get_by_role("button", name="Skicka önskemålet").click()
        page.locator("[aria-invalid=true]").scroll_into_view_if_needed()
        page.screenshot(path=str(stem.with_name(f"{stem.name}-{width}.png")))


def shoot(page: Page, address: str | None, stem: Path) -> None:
    """Full-page shots at each width; `address` None: the page as it is now (its one-shot notice kept at 390 px)."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if address is not None or width != WIDTHS[0]:
            page.goto(address or page.url)
        page.screenshot(path=str(stem.with_name(f"{stem.name}-{width}.png")), full_page=True)


if __name__ == "__main__":
    main()
