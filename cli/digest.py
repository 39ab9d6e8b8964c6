"""`inbox digest`: preview it, send it now, or do what the scheduler does."""

from __future__ import annotations

from pathlib import Path

import click

from digest.preview import write_preview
from digest.send import run_digest
from replies.send import send_due


@click.command("digest")
@click.option("--preview", type=click.Path(dir_okay=False, path_type=Path),
              help="write the digest to this HTML file (with .txt and -diagram.png beside it); nothing is sent")
@click.option("--send-now", is_flag=True, help="queue today's digest now, whatever the day and time, then send the outbox")
@click.pass_obj
def digest(obj, preview: Path | None, send_now: bool) -> None:
    """The staff's daily digest. Without options: queue it if it is due, as the scheduler does."""
    ctx = obj.context()
    if preview is not None:
        for path in write_preview(ctx, preview):
            click.echo(f"wrote {path}")
        return
    click.echo(run_digest(ctx, force=send_now))
    if send_now:
        click.echo(f"send: {send_due(ctx)}")
