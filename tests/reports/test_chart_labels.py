"""The report's charts: labels in the page's font at 8 pt or more, and axis ticks at round values
(1, 2 or 5 × 10^k steps, up to a tick at or past the largest bar)."""

import pytest

from feedback.charts import round_step
from reports.charts import counts_chart
from reports.pdf import chart_font
from reports.worldmap import map_drawing
from tests.reports.test_report_pdf import kl, report  # noqa: F401


def strings(node) -> list:
    """Every String a drawing draws, widgets (charts, axes, labels) drawn first."""
    from reportlab.graphics.shapes import Group, String
    from reportlab.graphics.widgetbase import Widget

    if isinstance(node, String):
        return [node]
    if isinstance(node, Widget):
        return strings(node.draw())
    if isinstance(node, Group):
        return [found for child in node.contents for found in strings(child)]
    return []


def ticks(drawing) -> list[int]:
    """The value axis's labels: the numbers drawn that are not bar labels (those follow "·")."""
    bars = drawing.contents[0]
    return [int(s.text.replace(",", "")) for s in strings(bars.valueAxis)]


@pytest.mark.parametrize(
    ("value_max", "step"),
    [
        (1, 1), (5, 1), (6, 2), (10, 2), (11, 5), (25, 5), (26, 10), (50, 10), (51, 20),
        (100, 20), (101, 50), (250, 50), (251, 100), (3_700, 1_000), (12_000, 5_000),
    ],
)  # fmt: skip
def test_round_step_is_one_two_or_five_times_a_power_of_ten(value_max, step):
    assert round_step(value_max) == step


@pytest.mark.parametrize(
    ("largest", "expected"),
    [
        (3, [0, 1, 2, 3]),
        (11, [0, 5, 10, 15]),
        (37, [0, 10, 20, 30, 40]),
        (230, [0, 50, 100, 150, 200, 250]),
        (3_700, [0, 1_000, 2_000, 3_000, 4_000]),
    ],
)
def test_count_chart_ticks_are_round_and_reach_the_largest_bar(db, largest, expected):
    drawing = counts_chart([("Malaysia", largest), ("Thailand", 1)], font=chart_font())
    assert ticks(drawing) == expected


def test_report_charts_use_the_pages_font_at_eight_points_or_more(db):
    font = chart_font()
    chart = counts_chart([("Not given", 11), ("Malaysia", 3)], font=font)
    world = map_drawing({"MY": 3, "TH": 2}, legend="People", font=font)
    drawn = [(s.fontName, s.fontSize >= 8) for s in strings(chart) + strings(world)]
    assert font == "FDSans"
    assert len(drawn) == 2 + 2 + 4 + 1 + 3  # bar names, bar values, ticks, legend title, steps
    assert set(drawn) == {("FDSans", True)}


def test_report_pdf_draws_its_charts_in_the_pages_font(client, users, kl, monkeypatch):  # noqa: F811
    import reports.pdf

    drawn = []
    for name in ("counts_chart", "map_drawing"):
        original = getattr(reports.pdf, name)

        def spy(*args, original=original, **kwargs):
            drawing = original(*args, **kwargs)
            drawn.extend((s.fontName, s.fontSize >= 8) for s in strings(drawing))
            return drawing

        monkeypatch.setattr(reports.pdf, name, spy)
    report(client, users["secretariat"], kl.forum)
    # The map (legend and 3 shades) and the bars of attendance by country (3 names, 3 values,
    # ticks 0, 5, 10, 15).
    assert len(drawn) == 4 + 3 + 3 + 4
    assert set(drawn) == {("FDSans", True)}
