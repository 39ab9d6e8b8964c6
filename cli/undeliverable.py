"""`inbox undeliverable list | clear ADDRESS`: the addresses no automatic mail goes to, and undoing a flag."""

from __future__ import annotations

import getpass

import click
from rich.console import Console
from rich.table import Table

from cases.bounces import clear_undeliverable, undeliverable_addresses

console = Console()


@click.group("undeliverable")
def undeliverable_group() -> None:
    """Addresses our mail bounced from (trusted DSNs, refusals at RCPT)."""


@undeliverable_group.command("list")
@click.pass_obj
def undeliverable_list(obj) -> None:
    ctx = obj.context()
    table = Table(title="Undeliverable addresses")
    for column in ("Address", "Since", "Case id", "Why"):
        table.add_column(column)
    for flag in undeliverable_addresses(ctx):
        table.add_row(flag.address, f"{flag.created_at.astimezone(ctx.zone):%Y-%m-%d %H:%M}",
                      str(flag.case_id or "–"), flag.reason or "")
    console.print(table)


@undeliverable_group.command("clear")
@click.argument("address")
@click.option("--why", required=True, help="why the address works again (kept in the case's history)")
@click.option("--by", "actor", default=lambda: f"staff:{getpass.getuser()}", help="who does this (audit log)")
@click.pass_obj
def undeliverable_clear(obj, address: str, why: str, actor: str) -> None:
    """Let automatic mail go to ADDRESS again."""
    was = clear_undeliverable(obj.context(), address, actor, why)
    console.print(f"{address.strip().lower()}: cleared (was: {was or 'no reason recorded'})")
