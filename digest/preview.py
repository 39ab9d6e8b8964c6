"""Write the digest as files (HTML, text, chart) without recording or sending anything."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from digest.chart import totals_chart
from digest.collect import collect
from digest.render import render_digest
from digest.send import period_start
from inbox.context import AppContext
from inbox.errors import InboxError


def write_preview(ctx: AppContext, html_path: Path, now: datetime | None = None) -> list[Path]:
    """The digest that would go out now: `out.html`, `out.txt` and `out-diagram.png` beside it."""
    now = (now or ctx.clock()).astimezone(UTC)
    with ctx.sessions() as session:
        data = collect(ctx, session, period_start(ctx, session, now.astimezone(ctx.zone).date()), now)
    chart_path = html_path.with_name(f"{html_path.stem}-diagram.png")
    rendered = render_digest(ctx, data, chart_path.name)
    text_path = html_path.with_suffix(".txt")
    assert rendered.html is not None, "Renderer.render always renders body.html"
    try:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(rendered.html, encoding="utf-8")
        text_path.write_text(f"Ämne: {rendered.subject}\n\n{rendered.text}", encoding="utf-8")
        chart_path.write_bytes(totals_chart(data.totals))
    except OSError as err:
        raise InboxError(f"cannot write the preview: {err}") from err
    return [html_path, text_path, chart_path]
