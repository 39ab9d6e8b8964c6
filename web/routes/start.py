"""Att göra: the start page. The digest's action list, live (digest/live.py), grouped by the kind of work,
each reason with a button that marks it as done."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response
from starlette.routing import Route

from cases.review import CHECK, NEEDS_REVIEW, UNSURE
from digest.attention import (
    BOUNCE_UNVERIFIED,
    CAP,
    FOLLOW_UP,
    INCOMPLETE,
    MAIL_TO_READ,
    OTHER_TIMES,
    OUTBOX,
    OUTBOX_PAGE,
    QUARANTINED,
    UNDELIVERABLE,
    Attention,
    Reason,
)
from digest.live import MAX_NOTE, Counts, counts, live_items, recently_done, resolve_item
from web.handler import Page, page

# (id, heading, the reason kinds it holds); in the order of the page. Every kind of digest/attention.py is in one.
GROUPS = (
    ("granska", "Att granska", (NEEDS_REVIEW, CHECK, UNSURE)),
    ("post", "Post att läsa", (MAIL_TO_READ, BOUNCE_UNVERIFIED, QUARANTINED)),
    ("dialog", "Dialog och åtaganden", (OTHER_TIMES, FOLLOW_UP)),
    ("utskick", "Utskick och adresser", (OUTBOX, UNDELIVERABLE, CAP)),
    ("ofullstandiga", "Ofullständiga ärenden", (INCOMPLETE,)),
)


@dataclass
class Entry:
    item: Attention
    reasons: list[Reason]


@dataclass
class Group:
    id: str
    title: str
    entries: list[Entry] = field(default_factory=list)


@page()
def start(p: Page) -> Response:
    items = live_items(p.ctx, p.session)
    figures = counts(p.ctx, p.session, items)
    return p.render(
        "start.html", groups=[group for group in grouped(items) if group.entries],
        figures=_figures(figures),
        done=recently_done(p.ctx, p.session), link_label=link_label, max_note=MAX_NOTE,
    )


@page()
def resolve(p: Page) -> Response:
    reason = resolve_item(p.ctx, p.session, p.value("nyckel"), actor=p.actor, note=p.value("anteckning"))
    return p.done("/", f"”{reason.text}” är markerad som klar.")


def _figures(c: Counts) -> list[tuple[int, str, str]]:
    """(number, words, where the number leads) for the figures above the list."""
    return [
        (c.new_today, "nytt ärende i dag" if c.new_today == 1 else "nya ärenden i dag", "/arenden?sortera=nyast"),
        (c.to_review, "ärende behöver granskas" if c.to_review == 1 else "ärenden behöver granskas", "/arenden?granskas=ja"),
        (c.meetings_this_week, "dialogmöte den här veckan" if c.meetings_this_week == 1 else "dialogmöten den här veckan",
         "/tider"),
    ]


def grouped(items: list[Attention]) -> list[Group]:
    groups = [Group(group_id, title) for group_id, title, _ in GROUPS]
    for item in items:
        for group, (_, _, kinds) in zip(groups, GROUPS, strict=True):
            reasons = [reason for reason in item.reasons if reason.kind in kinds]
            if reasons:
                group.entries.append(Entry(item, reasons))
    return groups


def link_label(path: str) -> str:
    """What a reason's own link leads to, in words."""
    if path == OUTBOX_PAGE:
        return "Till utkorgen"
    if path.startswith("/meddelande/"):
        return "Läs meddelandet"
    return "Öppna"


ROUTES = [Route("/", start, methods=["GET"]), Route("/att-gora/klar", resolve, methods=["POST"])]
