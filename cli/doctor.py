"""`inbox doctor`: check the installation, one line per check, and what to change for each ✗."""

from __future__ import annotations

import json
import sys

import click
from email_validator import EmailNotValidError, validate_email

from ops.checks import CHECKS
from ops.doctor import examine

DEFAULT_MIN_FREE_MB = 1024


def _address(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as err:
        raise click.BadParameter(f"not an e-mail address: {err}") from err
    return value


@click.command()
@click.option("--send-test", metavar="ADDRESS", callback=_address, help="also send one test mail to ADDRESS, composed like every reply")
@click.option("--min-free-mb", type=click.IntRange(min=0), default=DEFAULT_MIN_FREE_MB, show_default=True,
              help="fail the disk check when data_dir has less free space")
@click.option("--json", "as_json", is_flag=True, help="print the checks as JSON: {ok, config, checks: [{name, ok, detail, fix}]}")
@click.pass_obj
def doctor(obj, send_test: str | None, min_free_mb: int, as_json: bool) -> None:
    """Check the config, database, mailbox, sending, token, Tesseract, templates, disk, time zone and clock.

    Exit code 0 only when every check passes."""
    report = examine(obj.config_path, CHECKS, send_test=send_test, min_free_mb=min_free_mb)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    sys.exit(0 if report.ok else 1)
