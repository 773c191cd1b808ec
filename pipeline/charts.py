"""Charts of the activity reports, drawn with matplotlib into PNG bytes in memory.

The PNG is deterministic (no date or software name in its metadata, fixed size and
font), so the same workbook gives the same documents. Labels are French and
percentages are formatted by :mod:`pipeline.formats`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from .formats import number, percent

BLUE = "#1F4E79"
LIGHT = "#8EAADB"
GREY = "#595959"
MAX_HEIGHT_IN = 9.0
MAX_BARS = 30


@dataclass(frozen=True)
class Chart:
    """A picture to place in a document: a context value of this type (top level, or in a
    dict or list of the context) becomes an inline image of the given width when
    rendering, since an image needs the document being rendered."""

    png: bytes
    width_cm: float
    description: str = ""


def rate_chart(labels: list[str], rates: list[float | None], total_label: str,
               total_rate: float | None, width_cm: float = 15.5) -> Chart:
    """Horizontal bars of execution rates (0 to 100 %), one per label, plus the overall
    rate last in a darker colour; a rate of None is drawn as « – » (nothing scheduled)."""
    # A readable chart has a few dozen bars at most: past MAX_BARS axes, the chart
    # shows the first ones and says how many more the table lists.
    hidden = max(0, len(labels) - MAX_BARS)
    names = [*labels[:MAX_BARS], total_label]
    values = [*rates[:MAX_BARS], total_rate]
    height_in = min(0.42 * len(names) + 0.8, MAX_HEIGHT_IN)
    # Imported here: matplotlib takes half a second to load, and most commands
    # (verifier, --help, a PTA alone) draw no chart. A Figure needs no GUI backend.
    from matplotlib.figure import Figure

    size = 8 if len(names) <= 20 else 6
    figure = Figure(figsize=(width_cm / 2.54, height_in), dpi=150)
    figure.patch.set_facecolor("white")
    axes = figure.add_subplot()
    positions = list(range(len(names)))[::-1]
    colours = [LIGHT] * len(labels) + [BLUE]
    axes.barh(positions, [100 * (v or 0) for v in values], color=colours, height=0.6)
    for y, value in zip(positions, values):
        text = percent(value) if value is not None else "– (aucune activité programmée)"
        axes.text(100 * (value or 0) + 1.5, y, text, va="center", fontsize=size, color=GREY)
    axes.set_yticks(positions, names, fontsize=size)
    axes.set_xlim(0, 118)
    ticks = [0, 25, 50, 75, 100]
    axes.set_xticks(ticks, [percent(t / 100, 0) for t in ticks], fontsize=7.5, color=GREY)
    axes.set_xlabel("Taux d'exécution" + (f" – {number(hidden)} autres axes dans le tableau"
                                          if hidden else ""), fontsize=8, color=GREY)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color="#D9D9D9", linewidth=0.6)
    axes.set_axisbelow(True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return Chart(buffer.getvalue(), width_cm, "Taux d'exécution par axe")
