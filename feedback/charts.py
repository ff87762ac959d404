"""Charts of survey results: pure functions from figures to a reportlab Drawing, so that the same
chart goes inline into a page (as SVG, without any JavaScript) or into a PDF. reportlab is
imported inside the functions that use it."""

import math
import re
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from feedback.selectors import Share

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

    from feedback.selectors import QuestionResult

WIDTH = 480
# The pages' charts are SVG, shown in the browser's sans-serif; the PDFs pass the font of their
# text (attendance.fonts).
DEFAULT_FONT = "Helvetica"
BAR_COLOUR = "#1f5f7a"
SMALL_N_COLOUR = "#9bb7c4"


def column_chart(
    bars: Sequence[tuple[str, float, str]],
    *,
    value_max: float,
    faint: bool = False,
    font: str = DEFAULT_FONT,
) -> "Drawing":
    """Vertical bars, one per (label, value, value as shown), labels under them and values on
    top."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing

    height = 200
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, WIDTH - 60, height - 50
    _fill(chart, bars, value_max=value_max, faint=faint, font=font)
    chart.barLabels.nudge = 7
    drawing.add(chart)
    return drawing


def bar_chart(
    bars: Sequence[tuple[str, float, str]],
    *,
    value_max: float,
    faint: bool = False,
    font: str = DEFAULT_FONT,
) -> "Drawing":
    """Horizontal bars, one per (label, value, value as shown), top to bottom in the order
    given; as tall as the bars need."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing

    label_width = min(200, 30 + 7 * max((len(label) for label, _, _ in bars), default=1))
    height = 40 + 24 * max(len(bars), 1)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 25
    chart.width, chart.height = WIDTH - label_width - 40, height - 35
    # reportlab draws the first category at the bottom: reverse, so the list reads down.
    bars = [(_shorten(label), value, text) for label, value, text in reversed(bars)]
    _fill(chart, bars, value_max=value_max, faint=faint, font=font)
    chart.barLabels.nudge = 12
    drawing.add(chart)
    return drawing


def _fill(
    chart, bars: Sequence[tuple[str, float, str]], *, value_max: float, faint: bool, font: str
) -> None:
    from reportlab.lib.colors import HexColor

    chart.data = [[value for _, value, _ in bars] or [0]]
    chart.categoryAxis.categoryNames = [label for label, _, _ in bars] or [""]
    step = round_step(value_max)
    chart.valueAxis.valueMin = 0
    # The axis ends on a tick, so every tick value is a multiple of a round step.
    chart.valueAxis.valueMax = step * math.ceil((value_max or 1) / step)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labelTextFormat = _tick_label
    chart.bars[0].fillColor = HexColor(SMALL_N_COLOUR if faint else BAR_COLOUR)
    chart.bars[0].strokeColor = None
    # The values as the tables beside show them (rounded half away from zero), not as
    # Python's formatting would round them.
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[text for _, _, text in bars] or [""]]
    # Legible when a phone shrinks the 480-point drawing to its width.
    chart.categoryAxis.labels.fontSize = chart.barLabels.fontSize = 12
    chart.valueAxis.labels.fontSize = 11
    chart.categoryAxis.labels.fontName = chart.barLabels.fontName = font
    chart.valueAxis.labels.fontName = font


def question_chart(result: "QuestionResult") -> "Drawing | None":
    """The chart that fits a question's figures, or None (free text, or nobody answered)."""
    faint = result.small_n
    if result.workshops:
        bars = [(f.code, f.average.value or 0.0, f.average.display) for f in result.workshops]
        return bar_chart(bars, value_max=5, faint=faint)
    if result.facilitators:
        bars = [(f.key, f.average.value or 0.0, f.average.display) for f in result.facilitators]
        return bar_chart(bars, value_max=5, faint=faint)
    if not result.answered:
        return None
    if result.distribution:
        bars = [(str(b.value), b.share.count, str(b.share.count)) for b in result.distribution]
        return column_chart(bars, value_max=max(v for _, v, _ in bars), faint=faint)
    if result.share:
        shares = [
            (gettext("Yes"), result.share),
            (gettext("No"), Share(result.share.rest, result.share.n)),
        ]
        return bar_chart(_percent_bars(shares), value_max=100, faint=faint)
    if result.options:
        return bar_chart(
            _percent_bars([(o.label, o.share) for o in result.options]), value_max=100, faint=faint
        )
    return None


def _percent_bars(shares: Sequence[tuple[str, Share]]) -> list[tuple[str, float, str]]:
    return [(label, share.value or 0.0, f"{share.percent or 0}%") for label, share in shares]


def to_svg(drawing: "Drawing", *, title: str, name: str) -> str:
    """The drawing as an <svg> element to put inline in a page: no XML prolog, the `title`
    (escaped) as its accessible name, and ids prefixed with `name` so that several charts can
    share a page."""
    from reportlab.graphics import renderSVG

    svg = renderSVG.drawToString(drawing)
    svg = svg[svg.index("<svg") :]
    name = re.sub(r"[^a-z0-9-]", "-", name.lower())
    svg = svg.replace('id="clip"', f'id="{name}-clip"').replace("url(#clip)", f"url(#{name}-clip)")
    svg = svg.replace('id="group"', "")
    svg = re.sub(r"<title>.*?</title>", f"<title>{escape(title)}</title>", svg, count=1)
    svg = re.sub(r"\s*<desc>.*?</desc>", "", svg, count=1)
    return svg.replace("<svg ", '<svg role="img" class="chart" ', 1)


def round_step(value_max: float, most_ticks: int = 5) -> int:
    """The smallest step of 1, 2 or 5 × 10^k (at least 1: counts and scores are whole) that
    reaches `value_max` in at most `most_ticks` steps: 11 → 5 (0, 5, 10, 15), 100 → 20,
    3,700 → 1,000."""
    if value_max <= most_ticks:
        return 1
    power = 10 ** math.floor(math.log10(value_max / most_ticks))
    for factor in (1, 2, 5, 10):
        if factor * power * most_ticks >= value_max:
            return factor * power
    return 10 * power


def _tick_label(value: float) -> str:
    return f"{round(value):,}"


def _shorten(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
