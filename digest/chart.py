"""The digest's bar chart: cases per organisation type, affiliated and in progress (PNG, matplotlib Agg).

The Figure is built directly (no pyplot), so nothing global is touched and no window
system or network is needed; the PNG carries no timestamp, so the same data gives the same bytes.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from digest.collect import TypeTotal

AFFILIATED_COLOUR = "#1f4e8c"
IN_PROGRESS_COLOUR = "#9db7d9"
WIDTH_PX, DPI = 440, 100  # shown 440 px wide; saved at twice that for sharp phone screens
SCALE = 2


def totals_chart(totals: list[TypeTotal]) -> bytes:
    height = 0.9 + 0.4 * max(len(totals), 1)
    figure = Figure(figsize=(WIDTH_PX / DPI, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    names = [t.label for t in totals][::-1]
    done = [t.affiliated for t in totals][::-1]
    going = [t.in_progress for t in totals][::-1]
    axes.barh(names, done, color=AFFILIATED_COLOUR, label="Anslutna")
    axes.barh(names, going, left=done, color=IN_PROGRESS_COLOUR, label="Under handläggning")
    _label_bars(axes, done, going)
    style_counts(axes, max((a + b for a, b in zip(done, going, strict=True)), default=0))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI * SCALE, metadata={"Software": None})
    return buffer.getvalue()


def _label_bars(axes, done: list[int], going: list[int]) -> None:
    for row, (a, b) in enumerate(zip(done, going, strict=True)):
        if a + b:
            axes.text(a + b, row, f" {a + b}", va="center", fontsize=10, color="#1a1a1a")


def style_counts(axes, largest: int, fontsize: int = 10) -> None:
    """The house look of a horizontal bar chart of counts (the digest's, the county overview's): whole numbers,
    room for the labels at the bars' ends, no top or right frame, the legend above."""
    axes.set_xlim(0, max(largest, 1) * 1.15)
    axes.xaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=fontsize)
    axes.legend(loc="lower right", bbox_to_anchor=(1, 1), ncol=2, fontsize=fontsize, frameon=False)
