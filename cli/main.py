"""The `inbox` command. Thin: it builds the context once and calls the module that does the work."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.lazy import LazyChoice, LazyGroup
from inbox.errors import ConfigError, InboxError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from inbox.config import Settings
    from inbox.context import AppContext
    from replies.retry import Selection as RetrySelection

# Each command imports what it needs when it runs: `inbox --help` and an idle `inbox poll` start fast,
# and every message's child process imports this module again (ingest.isolation), so it must stay light.

# Commands in their own modules, imported only when they run: name -> ("module:attribute", the line
# `inbox --help` shows, the first sentence of the command's docstring). Add one line per command;
# tests/unit/test_cli_lazy.py checks every line against the command.
COMMANDS: dict[str, tuple[str, str]] = {
    "book": ("cli.cases:book_command", "Record the dialogue meeting and send the contact person a confirmation with an ICS file."),
    "case": ("cli.cases:case_command", "Change one case by hand; every change is kept in its history (`inbox show REF`)."),
    "digest": ("cli.digest:digest", "The staff's daily digest."),
    "doctor": ("cli.doctor:doctor", "Check the config, database, mailbox, sending, token, Tesseract, templates, disk, time zone and clock."),
    "export": ("cli.exports:export", "Export the cases with stable column names (see exports/rows.py)."),
    "make-case": ("cli.cases:make_case_command", "Take a message no rule took for an affiliation (see `inbox show`, the digest) as one: "
                  "a new case, or joined to its open case."),
    "overview": ("cli.overview:overview_command", "The county overview per problem area: who works on it, commitments, and the areas nobody works on yet."),
    "person": ("cli.privacy:person_group", "What is stored about one person: export it (GDPR Art."),
    "preview": ("cli.cases:preview_command", "Render a reply template as the organisation would get it; sends nothing."),
    "remind": ("cli.cases:remind_command", "Queue the reminders that are due now (the scheduler does this every working day)."),
    "reprocess": ("cli.rules:reprocess_command", "Apply the current rules to stored messages and correct their cases (one audit event per change; no mail)."),
    "retention": ("cli.privacy:retention_group", "Retention (gallring) of mail that is not part of the public record ([privacy] keep_*_days)."),
    "rules": ("cli.rules:rules_group", "See the classification rules and extraction steps, and try changed ones on stored mail."),
    "slots": ("cli.cases:slots_group", "Free times for dialogue meetings, proposed in invitations."),
    "undeliverable": ("cli.undeliverable:undeliverable_group", "Addresses our mail bounced from (trusted DSNs, refusals at RCPT)."),
    "users": ("cli.users:users_group", "Accounts for the staff workspace (`inbox web`)."),
    "web": ("cli.web:web", "Serve the staff workspace (Swedish, in the browser)."),
}
OUTBOX_COMMANDS: dict[str, tuple[str, str]] = {  # `inbox outbox NAME`, as COMMANDS
    "approve": ("cli.outbox:approve_command", "Send a held reply (it goes with the next `inbox send`)."),
    "reject": ("cli.outbox:reject_command", "Never send a held reply."),
}


def _case_statuses() -> list[str]:
    from models import CaseStatus

    return [status.value for status in CaseStatus]


def _outbox_statuses() -> list[str]:
    from models import OutboxStatus

    return [status.value for status in OutboxStatus]


STATUSES = LazyChoice(_case_statuses)


@cache
def console() -> Console:
    from cli.views import terminal_console

    return terminal_console()


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
        self._pipeline_checked = False

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from inbox.config import load_settings

            self._settings = load_settings(self.config_path)
        return self._settings

    def pipeline_settings(self) -> Settings:
        """The settings, with the pipeline's names checked: for every command that processes mail."""
        if not self._pipeline_checked:
            from ingest.pipeline_config import check_pipeline_config

            check_pipeline_config(self.settings, self.config_path)
            self._pipeline_checked = True
        return self.settings

    def pipeline_context(self, *, require: bool = True) -> AppContext:
        """`context`, after `pipeline_settings`: an unknown rule or step stops the command before it starts."""
        self.pipeline_settings()
        return self.context(require=require)

    def context(self, *, require: bool = True) -> AppContext:
        if self._ctx is None:
            from inbox.context import AppContext

            self._ctx = AppContext.build(self.settings)
        if require:
            from inbox.db import require_schema

            require_schema(self._ctx.engine)
        return self._ctx


def check_templates(ctx: AppContext) -> None:
    """Render every reply template and the digest's with sample values: a broken override stops
    `inbox run` at start-up (ConfigError naming the file), not a reply at send time. `inbox doctor`
    checks the same; the other commands do not pay for it."""
    from digest.render import check_digest_template
    from replies.render import renderer_for
    from replies.variables import sample_variables

    renderer_for(ctx).check_templates(sample_variables(ctx.settings))
    check_digest_template(ctx)


@click.group(cls=LazyGroup, lazy=COMMANDS)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="config file (default: ./config.toml)")
@click.option("-v", "--verbose", is_flag=True, help="log what each job does")
@click.option("--verbose-personal", is_flag=True, help="show e-mail addresses and phone numbers in the log (debugging only)")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", envvar="INBOX_LOG_FORMAT", show_default=True,
              help="json: one JSON object per line, for log collectors")
@click.pass_context
def cli(click_ctx: click.Context, config_path: str | None, verbose: bool, verbose_personal: bool, log_format: str) -> None:
    """Inbox service for affiliations to the county's gender-equality strategy."""
    from privacy.redact import install_redaction

    level = logging.INFO if verbose else logging.WARNING
    if log_format == "json":
        from ops.logformat import json_handler

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
    from ops.health import health_server
    from scheduler import run_forever

    if not obj.pipeline_settings().staff.recipients:  # the digest and the service's alarms would reach no one
        raise ConfigError(f"{obj.config_path or 'the embedded defaults'}: [staff] recipients is empty; "
                          "add the address(es) that get the daily digest and alarms")
    ctx = obj.context()
    check_templates(ctx)
    with health_server(ctx):  # /healthz and /metrics when [service] health_port is set
        run_forever(ctx)


@cli.command()
@click.option("--once", is_flag=True, help="poll one time and exit (the default; kept for scripts)")
@click.option("--json", "as_json", is_flag=True, help="print the counts as JSON (keys in the README)")
@click.pass_obj
def poll(obj: Obj, once: bool, as_json: bool) -> None:
    """Fetch new mail, store it, classify, extract and queue replies."""
    from ingest.poll import poll_once
    from ingest.sources import make_source

    ctx = obj.pipeline_context()
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
    from replies.send import send_due

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
    from cli.views import case_rows, cases_table
    from inbox.db import upgrade
    from ingest.poll import poll_once
    from ingest.sources import DirectorySource
    from replies.send import send_due

    ctx = obj.pipeline_context(require=False)
    upgrade(ctx.engine)
    folder = ctx.settings.path(ctx.settings.source.directory.path)
    report = poll_once(ctx, DirectorySource(folder))
    click.echo(f"poll {report.source}: {report}")  # plain text: a folder name may hold [brackets]
    click.echo(f"send ({ctx.settings.smtp.transport}): {send_due(ctx)}")
    with ctx.sessions() as session:
        console().print(cases_table(case_rows(session, ctx.zone)))
    if ctx.settings.smtp.transport == "file":
        console().print(f"Replies written to {ctx.settings.path(ctx.settings.smtp.outbox_dir)}")
    from cli.demo_user import workspace_lines

    for line in workspace_lines(ctx):
        click.echo(line)  # plain: a pasted command must not be wrapped or styled


@cli.command()
@click.argument("message_ids", nargs=-1, type=int)
@click.pass_obj
def replay(obj: Obj, message_ids: tuple[int, ...]) -> None:
    """Process quarantined messages again (all, or the ids given)."""
    from ingest.process import replay as replay_messages

    report = replay_messages(obj.pipeline_context(), list(message_ids))
    click.echo(f"replay: processed {report.processed}, quarantined {report.quarantined}")


@cli.command()
@click.argument("text", required=False, default="")
@click.option("--status", type=STATUSES, help="only cases with this status")
@click.option("--json", "as_json", is_flag=True, help="print the cases as JSON (keys in the README)")
@click.pass_obj
def cases(obj: Obj, text: str, status: str | None, as_json: bool) -> None:
    """List the cases; TEXT finds them by organisation, org number, contact name or address, or reference."""
    from cli.views import case_rows, cases_table

    ctx = obj.context()
    with ctx.sessions() as session:
        rows = case_rows(session, ctx.zone, status, text)
    if as_json:
        print_json(rows)
    else:
        console().print(cases_table(rows))


@cli.command()
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="print the case as JSON (keys in the README)")
@click.pass_obj
def show(obj: Obj, reference: str, as_json: bool) -> None:
    """Show one case with its messages, replies and history."""
    from cli.views import case_detail, show_case

    ctx = obj.context()
    with ctx.sessions() as session:
        detail = case_detail(session, reference, ctx.zone)
    if as_json:
        print_json(detail)
    else:
        show_case(console(), detail, ctx.zone)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="print the messages as JSON (keys in the README)")
@click.pass_obj
def quarantine(obj: Obj, as_json: bool) -> None:
    """List quarantined messages and why."""
    from cli.views import quarantine_rows, quarantine_table

    ctx = obj.context()
    with ctx.sessions() as session:
        rows = quarantine_rows(session, ctx.zone)
    if as_json:
        print_json(rows)
    else:
        console().print(quarantine_table(rows, ctx.zone))


@cli.group(cls=LazyGroup, lazy=OUTBOX_COMMANDS)
def outbox() -> None:
    """Look at and retry outgoing mail."""


@outbox.command("list")
@click.option("--status", type=LazyChoice(_outbox_statuses), help="only rows with this status")
@click.option("--json", "as_json", is_flag=True, help="print the rows as JSON (keys in the README)")
@click.pass_obj
def outbox_list(obj: Obj, status: str | None, as_json: bool) -> None:
    """The outbox: status (with the claim's age while sending), attempts, next attempt, Message-ID, last error."""
    from cli.views import outbox_table
    from replies.outage import next_try, open_alarm
    from replies.outbox_view import outbox_records

    ctx = obj.context()
    with ctx.sessions() as session:
        records = outbox_records(session, ctx.clock(), ctx.zone, status=status)
        alarm = open_alarm(session)
    if as_json:
        print_json(records)
        return
    console().print(outbox_table(records, ctx.clock(), timedelta(minutes=ctx.settings.smtp.claim_timeout_minutes)))
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
    from replies.retry import Selection as RetrySelection
    from replies.retry import retry
    from replies.sent_copies import SentCopies

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
    from models import OutboxStatus
    from replies.retry import select_rows

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
    from inbox.db import upgrade

    ctx = obj.context(require=False)
    upgrade(ctx.engine)
    console().print(f"database at {ctx.engine.url.render_as_string(hide_password=True)} is up to date")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print the JSON shape documented in the README")
@click.pass_obj
def check(obj: Obj, file: Path, as_json: bool) -> None:
    """Classify and extract one message file; touches no database and sends nothing."""
    from ingest.check import check_file
    from ingest.message import MessageParseError

    try:
        result = check_file(file, obj.pipeline_settings())
    except MessageParseError as err:
        raise InboxError(f"{file}: {err}") from err
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        console().print(check_table(result))


def check_table(result: dict) -> Table:
    from rich.table import Table

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
    except Exception as err:
        if "sqlalchemy" not in sys.modules:  # no command that ran touched a database
            raise
        from sqlalchemy.exc import InterfaceError, OperationalError

        if not isinstance(err, (OperationalError, InterfaceError)):
            raise
        from inbox.db import explain_database_error

        click.echo(f"error: {explain_database_error(err)}", err=True)  # the database went away or cannot be written
        sys.exit(2)
    sys.exit(0)


if __name__ == "__main__":
    main()
