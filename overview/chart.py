"""The overview's bar chart: per problem area, organisations working on it today and with commitments (PNG).

Built like digest/chart.py: a matplotlib Figure on the Agg canvas (no pyplot, nothing global), no timestamp in
the PNG, so the same overview gives the same bytes. The two series differ by pattern as well as colour, and the
numbers are written at the bars; the page puts the same numbers in a table (`chart_text` is the image's alt)."""

from __future__ import annotations

import io
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from digest.chart import style_counts
from overview.collect import AreaOverview, CountyOverview

TODAY_COLOUR, COMMITTED_COLOUR = "#1f4e8c", "#9db7d9"
TODAY, COMMITTED = "Arbetar med området i dag", "Har åtaganden"
WIDTH_PX, DPI, SCALE = 720, 100, 2
LABEL_WIDTH = 34  # characters per line of an area's name
BAR = 0.38


def area_chart(overview: CountyOverview) -> bytes:
    areas = overview.areas
    lines = sum(len(_wrapped(area)) for area in areas)
    figure = Figure(figsize=(WIDTH_PX / DPI, 1.2 + 0.22 * lines + 0.35 * max(len(areas), 1)), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(areas)))[::-1]  # the first area at the top
    today, committed = [a.today for a in areas], [a.committed for a in areas]
    axes.barh([r + BAR / 2 for r in rows], today, height=BAR, color=TODAY_COLOUR, label=TODAY)
    axes.barh([r - BAR / 2 for r in rows], committed, height=BAR, color=COMMITTED_COLOUR, hatch="//",
              edgecolor="#1a1a1a", linewidth=0.5, label=COMMITTED)
    _numbers(axes, rows, today, committed)
    axes.set_yticks(rows, ["\n".join(_wrapped(area)) for area in areas])
    _style(axes, max([*today, *committed], default=0))
    if overview.partial_note:
        figure.text(0.01, 0.005, "Strategifilen är ofullständig: alla problemområden visas inte.", fontsize=8,
                    color="#4a4a4a")
    figure.tight_layout(rect=(0, 0.03 if overview.partial_note else 0, 1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI * SCALE, metadata={"Software": None})
    return buffer.getvalue()


def chart_text(overview: CountyOverview) -> str:
    """The chart in words, for the image's text alternative and the PDF."""
    parts = [f"{area.name}: {area.today} i dag, {area.committed} med åtaganden" for area in overview.areas]
    return ("Stapeldiagram över antal organisationer per problemområde. " + "; ".join(parts) + "."
            if parts else "Stapeldiagram: inga problemområden att visa.")


def _wrapped(area: AreaOverview) -> list[str]:
    name = area.name if area.known else f"{area.name} (finns inte i strategifilen)"
    name = name.replace("$", r"\$")  # matplotlib reads $...$ as mathematics
    return textwrap.wrap(name, LABEL_WIDTH) or [name]


def _numbers(axes, rows: list[int], today: list[int], committed: list[int]) -> None:
    for row, a, b in zip(rows, today, committed, strict=True):
        axes.text(a, row + BAR / 2, f" {a}", va="center", fontsize=9, color="#1a1a1a")
        axes.text(b, row - BAR / 2, f" {b}", va="center", fontsize=9, color="#1a1a1a")


def _style(axes, largest: int) -> None:
    axes.set_xlabel("Antal organisationer", fontsize=9)
    style_counts(axes, largest, fontsize=9)
