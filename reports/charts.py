"""The dashboards' and the report's charts: the feedback app's bar charts fed with counts, so that
one Drawing serves the page (as inline SVG) and the PDF."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from feedback.charts import bar_chart, to_svg

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing


def counts_chart(rows: Sequence[tuple[str, int]]) -> "Drawing | None":
    """Horizontal bars, one per (label, count), in the order given; None when there is
    nothing to draw."""
    if not rows:
        return None
    bars = [(label, float(count), str(count)) for label, count in rows]
    return bar_chart(bars, value_max=max(count for _, count in rows))


def counts_svg(rows: Sequence[tuple[str, int]], *, title: str, name: str) -> str:
    drawing = counts_chart(rows)
    return to_svg(drawing, title=title, name=name) if drawing is not None else ""
