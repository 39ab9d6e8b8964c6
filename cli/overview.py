"""`inbox overview`: the county overview ("samlad bild") in the terminal, as JSON, or written to files."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from inbox.errors import InboxError


def overview_json(overview) -> dict:
    """The overview as plain data: the dataclasses' fields plus each area's counts (state and dates as text)."""
    def plain(value):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return getattr(value, "value", value)

    data = plain(overview)
    for area, shown in zip(overview.areas, [a for g in data["groups"] for a in g["areas"]], strict=True):
        shown.update(today=area.today, committed=area.committed, empty=area.empty,
                     states=dict(area.states), by_type=dict(area.by_type))
    return data


def report_html(ctx, overview) -> str:
    """The printable report as one self-contained file: the page's template in a layout without menu or server,
    its style sheets inline and the chart as a data: address."""
    import base64

    from markupsafe import Markup

    from overview.chart import area_chart
    from web.render import TEMPLATES, local_time, make_environment
    from web.routes.overview import template_values

    css = "\n".join((TEMPLATES.parent / "static" / name).read_text(encoding="utf-8") for name in ("app.css", "overview.css", "report.css"))
    chart = "data:image/png;base64," + base64.b64encode(area_chart(overview)).decode("ascii")
    return make_environment().get_template("overview_report.html").render(
        **template_values(overview), layout="overview_standalone.html", chart_src=chart, when=local_time(ctx.zone),
        inline_css=Markup(css),  # our own style sheets, not data: escaping would break them
    )


def _write(path: Path, payload: bytes) -> None:
    try:
        path.write_bytes(payload)
    except OSError as err:
        raise InboxError(f"cannot write {path}: {err}") from err
    click.echo(f"wrote {path}")


def _summary(overview) -> None:
    t = overview.totals
    if overview.partial_note:
        click.echo(f"note: {overview.partial_note}")
    click.echo(f"affiliated organisations {t.organisations}, dialogues held {t.dialogues}, commitments {t.commitments}, "
               f"areas with nobody working on them {t.development} of {t.areas}")
    for group in overview.groups:
        click.echo(f"\n{group.title}")
        for area in group.areas:
            flag = "  (utvecklingsområde)" if area.known and area.empty else ""
            click.echo(f"  {area.name}: {area.today} today, {area.committed} with commitments{flag}")


@click.command("overview")
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False, path_type=Path), help="write the workbook here")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="write the printable HTML report here (the chart embedded)")
@click.option("--pdf", "pdf_file", type=click.Path(dir_okay=False, path_type=Path), help="write the PDF report here")
@click.option("--json", "as_json", is_flag=True, help="print the overview as JSON")
@click.pass_obj
def overview_command(obj, xlsx_file: Path | None, report_file: Path | None, pdf_file: Path | None, as_json: bool) -> None:
    """The county overview per problem area: who works on it, commitments, and the areas nobody works on yet."""
    from overview.collect import county_overview

    ctx = obj.context()
    with ctx.sessions() as session:
        found = county_overview(ctx, session)
    if xlsx_file:
        from overview.xlsx import overview_workbook

        _write(xlsx_file, overview_workbook(found))
    if pdf_file:
        from overview.report import overview_pdf

        _write(pdf_file, overview_pdf(found))
    if report_file:
        _write(report_file, report_html(ctx, found).encode("utf-8"))
    if as_json:
        click.echo(json.dumps(overview_json(found), ensure_ascii=False, indent=2))
    elif not (xlsx_file or pdf_file or report_file):
        _summary(found)
