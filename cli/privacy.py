"""The edges: `inbox person export|erase ADDRESS`, `inbox retention run [--dry-run]`."""

from __future__ import annotations

import json

import click

from privacy.erase import ErasurePlan, erase_person
from privacy.export import export_person, export_text
from privacy.retention import run_retention


@click.group("person")
def person_group() -> None:
    """What is stored about one person: export it (GDPR Art. 15) or erase it (Art. 17)."""


@person_group.command("export")
@click.argument("address")
@click.option("--json", "as_json", is_flag=True, help="stable JSON (keys in the README) instead of text")
@click.pass_obj
def person_export(obj, address: str, as_json: bool) -> None:
    """Every message, contact row, reply, flag, history entry and file that holds ADDRESS."""
    ctx = obj.context()
    with ctx.sessions() as session:
        data = export_person(session, ctx.data_dir, address, now=ctx.clock())
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(export_text(data), nl=False)


@person_group.command("erase")
@click.argument("address")
@click.option("--by", "actor", required=True, help="who does this (audit log)")
@click.option("--yes", is_flag=True, help="do not ask before changing anything")
@click.pass_obj
def person_erase(obj, address: str, actor: str, yes: bool) -> None:
    """Delete or pseudonymise what is stored about ADDRESS where the records plan allows; print what is kept and why."""

    def confirm(plan: ErasurePlan) -> bool:
        click.echo("\n".join(plan.lines()))
        return yes or click.confirm("Go ahead?", default=False)

    result = erase_person(obj.context(), address, actor=actor, confirm=confirm)
    if result is None:
        click.echo("nothing changed")
        return
    click.echo("done:\n" + "\n".join(f"  {line}" for line in result.lines()))


@click.group("retention")
def retention_group() -> None:
    """Retention (gallring) of mail that is not part of the public record ([privacy] keep_*_days)."""


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="count what would be deleted; change nothing")
@click.pass_obj
def retention_run(obj, dry_run: bool) -> None:
    """Delete expired non-affiliation mail that is on no case, with its files (what the scheduler does daily)."""
    click.echo(f"retention: {run_retention(obj.context(), dry_run=dry_run)}")


COMMANDS = (person_group, retention_group)
