"""The `inbox` command. Thin: it builds the context once and calls the module that does the work."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import timedelta
from pathlib import Path

import click
from rich.table import Table
from sqlalchemy.exc import InterfaceError, OperationalError

from cli.views import case_detail, case_rows, cases_table, outbox_table, quarantine_rows, quarantine_table, show_case, terminal_console
from digest.render import check_digest_template
from inbox.config import Settings, load_settings
from inbox.context import AppContext
from inbox.db import explain_database_error, require_schema, upgrade
from inbox.errors import ConfigError, InboxError
from ingest.check import check_file
from ingest.message import MessageParseError
from ingest.poll import poll_once
from ingest.process import replay as replay_messages
from ingest.sources import DirectorySource, make_source
from models import CaseStatus, OutboxStatus
from ops.health import health_server
from ops.logformat import json_handler
from privacy.redact import install_redaction
from replies.outage import next_try, open_alarm
from replies.outbox_view import outbox_records
from replies.render import renderer_for
from replies.retry import Selection as RetrySelection
from replies.retry import retry, select_rows
from replies.send import send_due
from replies.sent_copies import SentCopies
from replies.variables import sample_variables

console = terminal_console()
STATUSES = click.Choice([status.value for status in CaseStatus])


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


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
            renderer_for(self._ctx).check_templates(sample_variables(self._ctx.settings))
            check_digest_template(self._ctx)
        if require:
            require_schema(self._ctx.engine)
        return self._ctx


@click.group()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="config file (default: ./config.toml)")
@click.option("-v", "--verbose", is_flag=True, help="log what each job does")
@click.option("--verbose-personal", is_flag=True, help="show e-mail addresses and phone numbers in the log (debugging only)")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", envvar="INBOX_LOG_FORMAT", show_default=True,
              help="json: one JSON object per line, for log collectors")
@click.pass_context
def cli(click_ctx: click.Context, config_path: str | None, verbose: bool, verbose_personal: bool, log_format: str) -> None:
    """Inbox service for affiliations to the county's gender-equality strategy."""
    level = logging.INFO if verbose else logging.WARNING
    if log_format == "json":
        logging.basicConfig(level=level, handlers=[json_handler(reveal=verbose_personal)])
    else:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mailparser").setLevel(logging.ERROR)  # it logs every part type it skips
    install_redaction(reveal=verbose_personal)  # no contact details in the log at INFO and above
    click_ctx.obj = Obj(find_config(config_path))


@cli.command()
@click.pass_obj
def run(obj: Obj) -> None:
    """Start the scheduler: poll, send, digest. Stops cleanly on SIGTERM or Ctrl-C."""
    from scheduler import run_forever

    if not obj.settings.staff.recipients:  # the digest and the service's alarms would reach no one
        raise ConfigError(f"{obj.config_path or 'the embedded defaults'}: [staff] recipients is empty; "
                          "add the address(es) that get the daily digest and alarms")
    ctx = obj.context()
    with health_server(ctx):  # /healthz and /metrics when [service] health_port is set
        run_forever(ctx)


@cli.command()
@click.option("--once", is_flag=True, help="poll one time and exit (the default; kept for scripts)")
@click.option("--json", "as_json", is_flag=True, help="print the counts as JSON (keys in the README)")
@click.pass_obj
def poll(obj: Obj, once: bool, as_json: bool) -> None:
    """Fetch new mail, store it, classify, extract and queue replies."""
    ctx = obj.context()
    report = poll_once(ctx, make_source(ctx.settings))
    if as_json:
        print_json(report.as_dict())
    else:
        click.echo(f"poll {report.source}: {report}")  # plain text: a folder name may hold [brackets]


@cli.command()
@click.option("--once", is_flag=True, help="send what is due one time and exit (the default)")
@click.option("--json", "as_json", is_flag=True, help="print the summary as JSON (keys in the README)")
@click.pass_obj
def send(obj: Obj, once: bool, as_json: bool) -> None:
    """Send the replies that are due. Exits 2 when the service cannot send at all (what to fix on stderr)."""
    report = send_due(obj.context(), force=True)  # a person asked: try now, even during an outage's wait
    if as_json:
        print_json(report.as_json())
    else:
        click.echo(f"send: {report}")  # plain: the error names keys like "[smtp] user", which rich takes for markup
    if report.error:  # every reply is still pending; one line that names what to fix
        raise InboxError(report.error)


@cli.command()
@click.pass_obj
def demo(obj: Obj) -> None:
    """Process the bundled example mail into the configured database and outbox, then list the cases."""
    ctx = obj.context(require=False)
    upgrade(ctx.engine)
    folder = ctx.settings.path(ctx.settings.source.directory.path)
    report = poll_once(ctx, DirectorySource(folder))
    click.echo(f"poll {report.source}: {report}")  # plain text: a folder name may hold [brackets]
    click.echo(f"send ({ctx.settings.smtp.transport}): {send_due(ctx)}")
    with ctx.sessions() as session:
        console.print(cases_table(case_rows(session, ctx.zone)))
    if ctx.settings.smtp.transport == "file":
        console.print(f"Replies written to {ctx.settings.path(ctx.settings.smtp.outbox_dir)}")
    from cli.demo_user import workspace_lines

    for line in workspace_lines(ctx):
        click.echo(line)  # plain: a pasted command must not be wrapped or styled


@cli.command()
@click.argument("message_ids", nargs=-1, type=int)
@click.pass_obj
def replay(obj: Obj, message_ids: tuple[int, ...]) -> None:
    """Process quarantined messages again (all, or the ids given)."""
    report = replay_messages(obj.context(), list(message_ids))
    click.echo(f"replay: processed {report.processed}, quarantined {report.quarantined}")


@cli.command()
@click.argument("text", required=False, default="")
@click.option("--status", type=STATUSES, help="only cases with this status")
@click.option("--json", "as_json", is_flag=True, help="print the cases as JSON (keys in the README)")
@click.pass_obj
def cases(obj: Obj, text: str, status: str | None, as_json: bool) -> None:
    """List the cases; TEXT finds them by organisation, org number, contact name or address, or reference."""
    ctx = obj.context()
    with ctx.sessions() as session:
        rows = case_rows(session, ctx.zone, status, text)
    if as_json:
        print_json(rows)
    else:
        console.print(cases_table(rows))


@cli.command()
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="print the case as JSON (keys in the README)")
@click.pass_obj
def show(obj: Obj, reference: str, as_json: bool) -> None:
    """Show one case with its messages, replies and history."""
    ctx = obj.context()
    with ctx.sessions() as session:
        detail = case_detail(session, reference, ctx.zone)
    if as_json:
        print_json(detail)
    else:
        show_case(console, detail, ctx.zone)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="print the messages as JSON (keys in the README)")
@click.pass_obj
def quarantine(obj: Obj, as_json: bool) -> None:
    """List quarantined messages and why."""
    ctx = obj.context()
    with ctx.sessions() as session:
        rows = quarantine_rows(session, ctx.zone)
    if as_json:
        print_json(rows)
    else:
        console.print(quarantine_table(rows, ctx.zone))


@cli.group()
def outbox() -> None:
    """Look at and retry outgoing mail."""


@outbox.command("list")
@click.option("--status", type=click.Choice([s.value for s in OutboxStatus]), help="only rows with this status")
@click.option("--json", "as_json", is_flag=True, help="print the rows as JSON (keys in the README)")
@click.pass_obj
def outbox_list(obj: Obj, status: str | None, as_json: bool) -> None:
    """The outbox: status (with the claim's age while sending), attempts, next attempt, Message-ID, last error."""
    ctx = obj.context()
    with ctx.sessions() as session:
        records = outbox_records(session, ctx.clock(), ctx.zone, status=status)
        alarm = open_alarm(session)
    if as_json:
        print_json(records)
        return
    console.print(outbox_table(records, ctx.clock(), timedelta(minutes=ctx.settings.smtp.claim_timeout_minutes)))
    if alarm is not None:  # plain echo: the cause names keys like "[smtp] user"
        click.echo(f"Sending stopped since {alarm.at.astimezone(ctx.zone):%Y-%m-%d %H:%M %Z}: {(alarm.data or {}).get('cause') or alarm.detail}. "
                   f"Next try {next_try(ctx, alarm).astimezone(ctx.zone):%H:%M}; `inbox send` tries now.")


@outbox.command("retry")
@click.argument("row_ids", nargs=-1, type=int)
@click.option("--status", type=click.Choice(["uncertain", "failed"]), help="every row with this status")
@click.option("--case", "case_ref", metavar="REF", help="the uncertain and failed rows of one case")
@click.option("--all", "everything", is_flag=True, help="every uncertain and failed row (asks first)")
@click.option("--yes", is_flag=True, help="do not ask")
@click.option("--no-check", is_flag=True, help="queue uncertain rows without looking for their sent copy")
@click.pass_obj
def outbox_retry(obj: Obj, row_ids: tuple[int, ...], status: str | None, case_ref: str | None, everything: bool,
                 yes: bool, no_check: bool) -> None:
    """Queue uncertain or failed replies again. An uncertain one is first looked for in [smtp] sent_copy_folder
    and sent_folder: found means it was delivered, and it is marked sent instead of being sent twice."""
    if row_ids and (status or case_ref or everything):
        raise click.UsageError("give ids or --status/--case/--all, not both")
    ctx = obj.context()
    selection = RetrySelection(ids=row_ids, status=status, case=case_ref, everything=everything)
    if not yes:
        _confirm_retry(ctx, selection, checked=SentCopies(ctx.settings).enabled and not no_check)
    results = retry(ctx, selection, actor="staff", check_copies=not no_check)
    for item in results:
        click.echo(f"outbox {item.row_id}: {item.outcome}: {item.note}")
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("queued", "confirmed", "unchecked", "skipped")}
    click.echo(f"retry: queued {counts['queued']}, confirmed sent {counts['confirmed']}, not checked {counts['unchecked']}, "
               f"skipped {counts['skipped']}")


def _confirm_retry(ctx: AppContext, selection: RetrySelection, *, checked: bool) -> None:
    """Ask before a bulk retry, and before sending uncertain replies again unchecked (they may have left)."""
    with ctx.sessions() as session:
        rows = select_rows(session, selection)
    unchecked = sum(r.status is OutboxStatus.UNCERTAIN for r in rows) if not checked else 0
    if unchecked:
        click.confirm(f"{unchecked} uncertain repl{'y' if unchecked == 1 else 'ies'} may already have been delivered and "
                      "no sent copy is looked for: send again?", abort=True)
    elif selection.everything:
        click.confirm(f"queue {len(rows)} uncertain or failed replies again?", abort=True)


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
    if "authentication" in result:
        table.add_row("authentication", result["authentication"]["summary"])
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
    from cli.cases import COMMANDS
    from cli.rules import COMMANDS as RULE_COMMANDS
    from cli.users import COMMANDS as USER_COMMANDS
    from cli.web import COMMANDS as WEB_COMMANDS

    for command in (*COMMANDS, *RULE_COMMANDS, *USER_COMMANDS, *WEB_COMMANDS):
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
    except (OperationalError, InterfaceError) as err:  # the database went away or cannot be written
        click.echo(f"error: {explain_database_error(err)}", err=True)
        sys.exit(2)
    sys.exit(0)


from cli.digest import digest as digest_command  # noqa: E402 - registered after the core commands
from cli.doctor import doctor as doctor_command  # noqa: E402
from cli.exports import export as export_command  # noqa: E402
from cli.privacy import COMMANDS as PRIVACY_COMMANDS  # noqa: E402
from cli.undeliverable import undeliverable_group  # noqa: E402

cli.add_command(digest_command)
cli.add_command(doctor_command)
cli.add_command(export_command)
cli.add_command(undeliverable_group)
from cli.outbox import OUTBOX_COMMANDS  # noqa: E402

for _command in OUTBOX_COMMANDS:
    outbox.add_command(_command)
for _command in PRIVACY_COMMANDS:
    cli.add_command(_command)


if __name__ == "__main__":
    main()
