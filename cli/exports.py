"""`inbox export`: every case (or those with the given statuses) as XLSX, CSV or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from exports.rows import flat_row, records
from exports.writers import to_csv, to_json
from exports.xlsx import workbook_bytes
from inbox.errors import InboxError
from models import CaseStatus


def export_bytes(ctx, fmt: str, statuses: tuple[str, ...] = ()) -> bytes:
    with ctx.sessions() as session:
        found = records(session, ctx.zone, statuses)
    if fmt == "xlsx":
        return workbook_bytes([flat_row(r) for r in found])
    return (to_json(found) if fmt == "json" else to_csv(found)).encode("utf-8")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), required=True, help="file format")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in CaseStatus]),
              help="only cases with this status (repeat for several)")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="file to write (default: standard output)")
@click.pass_obj
def export(obj, fmt: str, statuses: tuple[str, ...], output: Path | None) -> None:
    """Export the cases with stable column names (see exports/rows.py)."""
    data = export_bytes(obj.context(), fmt, statuses)
    if output is None:
        if fmt == "xlsx":
            raise InboxError("an XLSX file cannot go to the terminal: give --output FILE.xlsx")
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as err:
        raise InboxError(f"cannot write {output}: {err}") from err
    click.echo(f"wrote {output}")
