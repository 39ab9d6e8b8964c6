"""The `inbox` command. Thin: it builds the context once and calls the module that does the work."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from inbox.check import check_file
from inbox.config import Settings, load_settings
from inbox.context import AppContext
from inbox.db import require_schema, upgrade
from inbox.errors import InboxError
from inbox.views import cases_table, outbox_table, quarantine_table, show_case
from ingest.message import MessageParseError
from ingest.poll import poll_once
from ingest.process import replay as replay_messages
from ingest.sources import DirectorySource, make_source
from replies.send import retry, send_due
from digest.render import check_digest_template
from replies.variables import sample_variables

console = Console()


def find_config(option: str | None) -> Path | None:
    """--config, then $INBOX_CONFIG, then ./config.toml; None means the embedded defaults."""
    chosen = option or os.environ.get("INBOX_CONFIG")
    if chosen:
        return Path(chosen)
    default = Path("config.toml")
    return default if default.is_file() else None


class Obj:
    def __init__(self, config_path: Path | None) -> None:
        self.config_path = config_path
        self._settings: Settings | None = None
        self._ctx: AppContext | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path)
        return self._settings

    def context(self, *, require: bool = True) -> AppContext:
        if self._ctx is None:
            self._ctx = AppContext.build(self.settings)
            self._ctx.renderer.check_templates(sample_variables(self._ctx.settings))
            check_digest_template(self._ctx)
        if require:
            require_schema(self._ctx.engine)
        return self._ctx


@click.group()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="config file (default: ./config.toml)")
@click.option("-v", "--verbose", is_flag=True, help="log what each job does")
@click.pass_context
def cli(click_ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Inbox service for affiliations to the county's gender-equality strategy."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mailparser").setLevel(logging.ERROR)  # it logs every part type it skips
    click_ctx.obj = Obj(find_config(config_path))


@cli.command()
@click.pass_obj
def run(obj: Obj) -> None:
    """Start the scheduler: poll, send, digest. Stops cleanly on SIGTERM or Ctrl-C."""
    from scheduler import run_forever

    run_forever(obj.context())


@cli.command()
@click.option("--once", is_flag=True, help="poll one time and exit (the default; kept for scripts)")
@click.pass_obj
def poll(obj: Obj, once: bool) -> None:
    """Fetch new mail, store it, classify, extract and queue replies."""
    ctx = obj.context()
    report = poll_once(ctx, make_source(ctx.settings))
    console.print(f"poll: {report}")


@cli.command()
@click.option("--once", is_flag=True, help="send what is due one time and exit (the default)")
@click.pass_obj
def send(obj: Obj, once: bool) -> None:
    """Send the replies that are due."""
    console.print(f"send: {send_due(obj.context())}")


@cli.command()
@click.pass_obj
def demo(obj: Obj) -> None:
    """Process the bundled example mail into the configured database and outbox, then list the cases."""
    ctx = obj.context(require=False)
    upgrade(ctx.engine)
    folder = ctx.settings.path(ctx.settings.source.directory.path)
    console.print(f"poll {folder}: {poll_once(ctx, DirectorySource(folder))}")
    console.print(f"send ({ctx.settings.smtp.transport}): {send_due(ctx)}")
    with ctx.sessions() as session:
        console.print(cases_table(session))
    if ctx.settings.smtp.transport == "file":
        console.print(f"Replies written to {ctx.settings.path(ctx.settings.smtp.outbox_dir)}")


@cli.command()
@click.argument("message_ids", nargs=-1, type=int)
@click.pass_obj
def replay(obj: Obj, message_ids: tuple[int, ...]) -> None:
    """Process quarantined messages again (all, or the ids given)."""
    console.print(f"replay: {replay_messages(obj.context(), list(message_ids))}")


@cli.command()
@click.option("--status", help="only cases with this status")
@click.pass_obj
def cases(obj: Obj, status: str | None) -> None:
    """List the cases."""
    with obj.context().sessions() as session:
        console.print(cases_table(session, status))


@cli.command()
@click.argument("reference")
@click.pass_obj
def show(obj: Obj, reference: str) -> None:
    """Show one case with its messages, replies and history."""
    with obj.context().sessions() as session:
        show_case(console, session, reference)


@cli.command()
@click.pass_obj
def quarantine(obj: Obj) -> None:
    """List quarantined messages and why."""
    with obj.context().sessions() as session:
        console.print(quarantine_table(session))


@cli.group()
def outbox() -> None:
    """Look at and retry outgoing mail."""


@outbox.command("list")
@click.pass_obj
def outbox_list(obj: Obj) -> None:
    with obj.context().sessions() as session:
        console.print(outbox_table(session))


@outbox.command("retry")
@click.argument("row_id", type=int)
@click.pass_obj
def outbox_retry(obj: Obj, row_id: int) -> None:
    """Queue an uncertain or failed reply again (after checking it was not delivered)."""
    retry(obj.context(), row_id)
    console.print(f"outbox {row_id}: pending again")


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Obj) -> None:
    """Create or migrate the schema to the newest version."""
    ctx = obj.context(require=False)
    upgrade(ctx.engine)
    console.print(f"database at {ctx.engine.url.render_as_string(hide_password=True)} is up to date")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print the JSON shape documented in the README")
@click.pass_obj
def check(obj: Obj, file: Path, as_json: bool) -> None:
    """Classify and extract one message file; touches no database and sends nothing."""
    try:
        result = check_file(file, obj.settings)
    except MessageParseError as err:
        raise InboxError(f"{file}: {err}") from err
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        console.print(check_table(result))


def check_table(result: dict) -> Table:
    table = Table(title=result["subject"] or "(no subject)", show_header=False)
    table.add_column("field")
    table.add_column("value")
    for key in ("kind", "sender"):
        table.add_row(key, str(result[key]))
    confidence = result.get("confidence", {})
    for group in ("organisation", "decision", "contact"):
        for key, value in result[group].items():
            score = confidence.get(f"{group}.{key}")
            shown = "–" if value is None else str(value) + (f"  ({score:.2f})" if score is not None else "")
            table.add_row(f"{group}.{key}", shown)
    table.add_row("missing", ", ".join(result["missing"]) or "–")
    for item in result.get("review", []):
        table.add_row("review", f"{item['field']}: {item['reason']}")
    for line in result["reasons"] + [f"no reply: {b}" for b in result["reply_blockers"]] + result["notes"]:
        table.add_row("why", line)
    return table


def _register_staff_commands() -> None:
    from cases.commands import COMMANDS
    from ingest.commands import COMMANDS as RULE_COMMANDS

    for command in (*COMMANDS, *RULE_COMMANDS):
        cli.add_command(command)


_register_staff_commands()


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except InboxError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    sys.exit(0)


from digest.commands import digest as digest_command  # noqa: E402 - registered after the core commands
from exports.commands import export as export_command  # noqa: E402

cli.add_command(digest_command)
cli.add_command(export_command)


if __name__ == "__main__":
    main()
