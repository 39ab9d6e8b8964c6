"""Översikt: the county overview ("samlad bild") as a page, its chart, a workbook, a printable report and a PDF.

Each route asks overview.collect for the overview once and renders it; nothing here counts or groups."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from digest.attention import case_link
from overview import labels
from overview.chart import area_chart, chart_text
from overview.collect import CountyOverview, county_overview
from overview.report import overview_pdf
from overview.xlsx import CONTENT_TYPE, overview_workbook
from web.handler import Page, page

FILE_NAME = "samlad-bild-{day}.{ext}"


@page()
def overview_page(p: Page) -> Response:
    return _render(p, "overview.html")


@page()
def overview_report(p: Page) -> Response:
    return _render(p, "overview_report.html", layout="base.html", chart_src="/oversikt/diagram.png")


@page()
def overview_chart(p: Page) -> Response:
    return Response(area_chart(county_overview(p.ctx, p.session)), media_type="image/png")


@page()
def overview_xlsx(p: Page) -> Response:
    found = county_overview(p.ctx, p.session)
    return _download(overview_workbook(found), CONTENT_TYPE, found, "xlsx")


@page()
def overview_report_pdf(p: Page) -> Response:
    found = county_overview(p.ctx, p.session)
    return _download(overview_pdf(found), "application/pdf", found, "pdf")


def _render(p: Page, template: str, **extra: str) -> Response:
    found = county_overview(p.ctx, p.session)
    return p.render(template, 200, **template_values(found), **extra)


def template_values(found: CountyOverview) -> dict:
    """What overview.html and overview_report.html read (the CLI's standalone report too)."""
    return {"overview": found, "chart_alt": chart_text(found), "case_link": case_link, "day": labels.day,
            "prioritised_in": labels.prioritised_in, "labels": labels}


def _download(payload: bytes, kind: str, found: CountyOverview, ext: str) -> Response:
    """A dated file name (ASCII only, so no encoding is needed in the header)."""
    name = FILE_NAME.format(day=found.generated_at.date().isoformat(), ext=ext)
    return Response(payload, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"'})


ROUTES = [
    Route("/oversikt", overview_page, methods=["GET"]),
    Route("/oversikt/diagram.png", overview_chart, methods=["GET"]),
    Route("/oversikt.xlsx", overview_xlsx, methods=["GET"]),
    Route("/oversikt/rapport", overview_report, methods=["GET"]),
    Route("/oversikt/rapport.pdf", overview_report_pdf, methods=["GET"]),
]
