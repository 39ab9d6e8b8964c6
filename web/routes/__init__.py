"""The workspace's routes, one module per section. app.py mounts every module listed here."""

from __future__ import annotations

from importlib import import_module

from starlette.routing import BaseRoute

# Each module has ROUTES: list[BaseRoute]. Add a section by adding its module here.
SECTIONS = ("web.routes.auth", "web.routes.start")


def all_routes() -> list[BaseRoute]:
    return [route for name in SECTIONS for route in import_module(name).ROUTES]
