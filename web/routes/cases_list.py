"""Ärenden: every case, found with cases/search.py. The query string is the whole state (q, status, typ,
granskas, bokat, sortera, sida), so a filtered list can be bookmarked; a value the page does not know is
ignored rather than refused, since a bookmark may outlive a status name."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from cases.search import MAX_TEXT, UNKNOWN_TYPE, CaseQuery, Sort, search_cases
from digest import labels
from digest.attention import case_link
from models import CaseStatus
from web.handler import Page, page
from web.numbers import bounded_int

PER_PAGE = 25
SORTS = {"nyast": (Sort.NEWEST, "Nyast först"), "aldst": (Sort.OLDEST, "Äldst först"),
         "organisation": (Sort.ORGANISATION, "Organisation A–Ö"), "status": (Sort.STATUS, "Status")}
TYPES = [*labels.ORGANISATION_TYPES.items(), (UNKNOWN_TYPE, labels.UNKNOWN_TYPE)]
YES_NO = {"ja": True, "nej": False}
FIELDS = ("q", "status", "typ", "granskas", "bokat", "sortera")


@page()
def case_list(p: Page) -> Response:
    form = _form(p)
    query = CaseQuery(
        text=form["q"], status=CaseStatus(form["status"]) if form["status"] else None, org_type=form["typ"] or None,
        needs_review=YES_NO.get(form["granskas"]), booked=YES_NO.get(form["bokat"]),
        sort=SORTS[form["sortera"] or "nyast"][0], page=_page_number(p.value("sida")), per_page=PER_PAGE,
    )
    found = search_cases(p.session, query, review_below=p.ctx.settings.extract.review_below, now=p.ctx.clock(),
                         zone=p.ctx.zone)
    first = (found.page - 1) * PER_PAGE + 1 if found.total else 0
    return p.render(
        "cases_list.html", form=form, found=found, first=first, last=first + len(found.rows) - 1 if found.rows else 0,
        statuses=[(status.value, labels.status(status.value)) for status in CaseStatus], types=TYPES,
        sorts=[(value, title) for value, (_, title) in SORTS.items()],
        status_links=_status_links(form, found.by_status), url=lambda **changes: list_url(form, **changes),
        case_link=case_link, filtered=any(form[name] for name in FIELDS if name != "sortera"),
    )


def _form(p: Page) -> dict[str, str]:
    """The query string's values the page knows; anything else reads as 'not chosen'."""
    known = {
        "status": {status.value for status in CaseStatus}, "typ": {code for code, _ in TYPES},
        "granskas": set(YES_NO), "bokat": set(YES_NO), "sortera": set(SORTS),
    }
    form = {"q": " ".join(p.value("q")[:MAX_TEXT].split())}
    for name, allowed in known.items():
        value = p.value(name)
        form[name] = value if value in allowed else ""
    return form


def _page_number(value: str) -> int:
    return bounded_int(value, low=1, high=999_999) or 1


def list_url(form: dict[str, str], **changes: str | int | None) -> str:
    """This list's address with some values changed (None or "" drops a value); always from page 1 unless given."""
    values: dict[str, str | int | None] = {**form, "sida": None, **changes}
    kept = {name: value for name, value in values.items() if value not in (None, "")}
    return "/arenden" + (f"?{urlencode(kept)}" if kept else "")


def _status_links(form: dict[str, str], by_status: dict[CaseStatus, int]) -> list[tuple[str, int, str, bool]]:
    """(words, count, address, current) for 'Alla' and each status: the counts of the other filters' matches."""
    links = [("Alla", sum(by_status.values()), list_url(form, status=None), not form["status"])]
    links += [(labels.status(status.value), n, list_url(form, status=status.value), form["status"] == status.value)
              for status, n in by_status.items()]
    return links


ROUTES = [Route("/arenden", case_list, methods=["GET"])]
