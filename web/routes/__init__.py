"""The workspace's routes, one module per section. app.py mounts every module listed here."""

from __future__ import annotations

from importlib import import_module

from starlette.routing import BaseRoute

import web.numbers  # noqa: F401 - registers the {name:id} convertor before any route is built

# Each module has ROUTES: list[BaseRoute]. Add a section by adding its module here.
SECTIONS = ("web.routes.auth", "web.routes.start", "web.routes.cases_list", "web.routes.admin",
            "web.routes.post", "web.routes.message", "web.routes.slots", "web.routes.outbox_page",
            "web.routes.case_page", "web.routes.documents", "web.routes.oidc", "web.routes.dialogue",
            "web.routes.overview", "web.routes.portal")


def all_routes() -> list[BaseRoute]:
    return [route for name in SECTIONS for route in import_module(name).ROUTES]
