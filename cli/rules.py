"""Admin commands for the rules: `inbox rules list`, `inbox rules dry-run`, `inbox reprocess`."""

from __future__ import annotations

from datetime import datetime, time

import click
from rich.console import Console
from rich.table import Table

from inbox.errors import InboxError
from ingest.rerun import RerunReport, rerun
from ingest.rule_list import rules_in_use

console = Console()


def parse_since(ctx, text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise InboxError(f"--since wants a date like 2026-03-01, not {text!r}") from None
    return datetime.combine(day.date(), time(0), tzinfo=ctx.zone)


@click.group("rules")
def rules_group() -> None:
    """See the classification rules and extraction steps, and try changed ones on stored mail."""


@rules_group.command("list")
@click.pass_obj
def rules_list(obj) -> None:
    """The rules and steps in the order the configuration runs them, with what each does."""
    table = Table(title="Rules in use")
    for column in ("Stage", "Name", "Kind", "What it does"):
        table.add_column(column)
    for row in rules_in_use(obj.pipeline_settings()):
        table.add_row(row.stage, f"  {row.name}" if row.indent else row.name, row.kind, row.description)
    console.print(table)


@rules_group.command("dry-run")
@click.option("--since", help="only messages received on or after this date (YYYY-MM-DD)")
@click.option("--rows", default=50, show_default=True, help="how many differences to list")
@click.pass_obj
def rules_dry_run(obj, since: str | None, rows: int) -> None:
    """Re-run the current rules over every stored message; print what would change. Writes nothing."""
    ctx = obj.pipeline_context()
    print_report(rerun(ctx, since=parse_since(ctx, since), apply=False), rows, "would change")


@click.command("reprocess")
@click.option("--since", help="only messages received on or after this date (YYYY-MM-DD)")
@click.option("--by", "actor", default="admin", show_default=True, help="who runs it (audit log)")
@click.option("--rows", default=50, show_default=True)
@click.pass_obj
def reprocess_command(obj, since: str | None, actor: str, rows: int) -> None:
    """Apply the current rules to stored messages and correct their cases (one audit event per change; no mail)."""
    ctx = obj.pipeline_context()
    print_report(rerun(ctx, since=parse_since(ctx, since), apply=True, actor=actor), rows, "changed")


def print_report(report: RerunReport, rows: int, verb: str) -> None:
    console.print(f"messages read again: {report.messages}; {verb}: {report.changed_messages}; failed: {len(report.failed)}")
    counts = report.counts()
    if counts:
        summary = Table(title=f"Fields that {verb}")
        summary.add_column("Field")
        summary.add_column("Messages", justify="right")
        for name, count in sorted(counts.items()):
            summary.add_row(name, str(count))
        console.print(summary)
    if report.changes:
        table = Table(title=f"Differences (first {min(rows, len(report.changes))} of {len(report.changes)})")
        for column in ("Message", "Case", "Field", "Stored", "Now"):
            table.add_column(column)
        for change in report.changes[:rows]:
            table.add_row(str(change.message_pk), change.case_reference or "–", change.field, repr(change.stored), repr(change.current))
        console.print(table)
    for pk, error in report.failed:
        console.print(f"[red]message {pk}[/red]: {error}")


COMMANDS = (rules_group, reprocess_command)
