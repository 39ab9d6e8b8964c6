"""Att göra: the start page (being built: the digest's action list, live)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from web.handler import Page, page


@page()
def start(p: Page) -> Response:
    return p.render("start.html")


ROUTES = [Route("/", start, methods=["GET"])]
