"""The world map: outlines read from the vendored TopoJSON, shaded by count, the same Drawing
inline on the reach page and in the post-event PDF."""

import re

import pytest
from reportlab.graphics.shapes import Path

from feedback.charts import BAR_COLOUR, to_svg
from reports.worldmap import EMPTY_COLOUR, LIGHTEST_COLOUR, map_drawing, outlines


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def fills(drawing):
    """Each country path's fill, as (r, g, b) 0-255, with its first point."""
    out = []
    for shape in drawing.contents:
        if isinstance(shape, Path):
            colour = shape.fillColor
            rgb = tuple(round(c * 255) for c in (colour.red, colour.green, colour.blue))
            out.append((rgb, tuple(shape.points[:2])))
    return out


def test_outlines_are_the_countries_by_iso_code():
    shapes = outlines()
    assert len(shapes) == 173
    assert {"MY", "IN", "MX", "ID", "BR", "FJ", "RU"} <= set(shapes)
    assert "AQ" not in shapes
    # Malaysia: the peninsula and Borneo, between 99° and 120° east, 1° and 8° north.
    for ring in shapes["MY"]:
        assert all(99 < lon < 120 and 0 < lat < 8 for lon, lat in ring)
    assert len(shapes["MY"]) == 2


def test_rings_across_the_antimeridian_are_not_drawn_across_the_world():
    for code in ["FJ", "RU"]:
        for ring in outlines()[code]:
            longitudes = [lon for lon, _ in ring]
            assert max(longitudes) - min(longitudes) < 180, code


def test_map_shades_the_countries_with_a_count():
    drawing = map_drawing({"MY": 80, "IN": 120, "MX": 0}, width=360, legend="People")
    shades = [rgb for rgb, _ in fills(drawing)]
    assert len(shades) == 173
    # The largest count is the bar colour, a count of 1 would be the lightest; Mexico's 0
    # counts as none.
    assert shades.count(_rgb(BAR_COLOUR)) == 1
    assert shades.count(_rgb(EMPTY_COLOUR)) == 171
    india_first_point = next(point for rgb, point in fills(drawing) if rgb == _rgb(BAR_COLOUR))
    # At 1 point per degree of longitude, India lies between x 248 and 278 (68°E to 98°E).
    assert 248 <= india_first_point[0] <= 278
    malaysia = [rgb for rgb in shades if rgb not in (_rgb(BAR_COLOUR), _rgb(EMPTY_COLOUR))]
    expected = tuple(
        round(a + (b - a) * (80 - 1) / (120 - 1))
        for a, b in zip(_rgb(LIGHTEST_COLOUR), _rgb(BAR_COLOUR), strict=True)
    )
    assert malaysia == [expected]


@pytest.mark.parametrize("counts", [{}, {"MY": 0}, {"ZZ": 0}])
def test_no_map_without_a_count(counts):
    assert map_drawing(counts) is None


def test_a_code_without_an_outline_is_left_out():
    drawing = map_drawing({"MY": 3, "XK": 2})  # Kosovo has no id in the outlines
    assert [rgb for rgb, _ in fills(drawing)].count(_rgb(EMPTY_COLOUR)) == 172


def test_map_as_inline_svg_has_its_title():
    svg = to_svg(map_drawing({"MY": 3}), title="Map <of> reach", name="m")
    assert svg.startswith('<svg role="img" class="chart" ')
    assert re.search(r"<title>Map &lt;of&gt; reach</title>", svg)
    assert len(svg) < 120_000
