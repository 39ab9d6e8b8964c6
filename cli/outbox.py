"""`inbox outbox approve ID` / `inbox outbox reject ID`: a person decides on held automatic mail."""

from __future__ import annotations

import getpass

import click

from replies.approval import approve, reject

by_option = click.option("--by", "actor", default=lambda: f"staff:{getpass.getuser()}", help="who decides (audit log)")
why_option = click.option("--why", help="the reason, kept in the case's history")


@click.command("approve")
@click.argument("row_id", type=int)
@why_option
@by_option
@click.pass_obj
def approve_command(obj, row_id: int, why: str | None, actor: str) -> None:
    """Send a held reply (it goes with the next `inbox send`)."""
    row = approve(obj.context(), row_id, actor, why)
    click.echo(f"outbox {row_id}: approved, pending ({row.template} to {', '.join(row.recipients)})")


@click.command("reject")
@click.argument("row_id", type=int)
@why_option
@by_option
@click.pass_obj
def reject_command(obj, row_id: int, why: str | None, actor: str) -> None:
    """Never send a held reply."""
    row = reject(obj.context(), row_id, actor, why)
    click.echo(f"outbox {row_id}: rejected ({row.template} to {', '.join(row.recipients)} will not be sent)")


OUTBOX_COMMANDS = (approve_command, reject_command)
