"""The dashboards' and the report's charts: the feedback app's bar charts fed with counts, and a
world map shaded by country, so that one Drawing serves the page (as inline SVG) and the PDF."""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from feedback.charts import DEFAULT_FONT, bar_chart, column_chart, to_svg
from reports.worldmap import map_drawing

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing


def counts_chart(
    rows: Sequence[tuple[str, int]], *, columns: bool = False, font: str = DEFAULT_FONT
) -> "Drawing | None":
    """Bars, one per (label, count), in the order given: horizontal, or upright with
    `columns`, labelled in `font`; None when there is nothing to draw."""
    if not rows:
        return None
    bars = [(label, float(count), str(count)) for label, count in rows]
    draw = column_chart if columns else bar_chart
    return draw(bars, value_max=max(count for _, count in rows), font=font)


def counts_svg(
    rows: Sequence[tuple[str, int]], *, title: str, name: str, columns: bool = False
) -> str:
    drawing = counts_chart(rows, columns=columns)
    return to_svg(drawing, title=title, name=name) if drawing is not None else ""


def counts_map_svg(counts: Mapping[str, int], *, title: str, legend: str, name: str) -> str:
    """The world map of reports.worldmap shaded by `counts` (country code → count)."""
    drawing = map_drawing(counts, legend=legend)
    return to_svg(drawing, title=title, name=name) if drawing is not None else ""
