"""A world map shaded by a count per country, as a reportlab Drawing: inline SVG on the reach
page, and the same Drawing in a PDF.

The outlines are Natural Earth's 1:110m countries as TopoJSON (world-atlas 2.0.2, ISC; see
reports/data/LICENSE-world-atlas.txt), drawn in the equirectangular projection between 58°S
and 84°N (Antarctica left out). A country's shade grows with its count; countries without one
are light grey."""

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django_countries import countries

from feedback.charts import BAR_COLOUR

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

TOPOLOGY = Path(__file__).resolve().parent / "data" / "countries-110m.json"
SOUTH, NORTH = -58.0, 84.0
EMPTY_COLOUR = "#e3e7ea"
LIGHTEST_COLOUR = "#c9dde6"
BORDER_COLOUR = "#ffffff"
LEGEND_STEPS = 4

Ring = list[tuple[float, float]]


@cache
def outlines() -> dict[str, list[Ring]]:
    """ISO 3166 alpha-2 code → the outer rings (longitude, latitude) of the country's polygons.
    Holes are left out: a country inside another (Lesotho) is drawn over it."""
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    (scale_x, scale_y), (move_x, move_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantised positions
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)

    def ring(indices: list[int]) -> Ring:
        points: Ring = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)  # arcs share their end points
        # A ring across the antimeridian (Fiji, Chukotka) jumps from 180° to -180°: carry on
        # past 180° instead, so that it is not drawn as a line across the world.
        unwrapped: Ring = []
        shift = 0.0
        for longitude, latitude in points:
            if unwrapped and longitude + shift - unwrapped[-1][0] > 180:
                shift -= 360
            elif unwrapped and longitude + shift - unwrapped[-1][0] < -180:
                shift += 360
            unwrapped.append((longitude + shift, latitude))
        return unwrapped

    shapes: dict[str, list[Ring]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = countries.alpha2(geometry["id"]) if "id" in geometry else ""
        if not code or code == "AQ":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes.setdefault(code, []).extend(ring(polygon[0]) for polygon in polygons)
    return shapes


def _shade(value: int, top: int) -> str:
    """From LIGHTEST_COLOUR (the smallest count) to BAR_COLOUR (the largest)."""
    share = 1.0 if top <= 1 else (value - 1) / (top - 1)
    light = [int(LIGHTEST_COLOUR[i : i + 2], 16) for i in (1, 3, 5)]
    dark = [int(BAR_COLOUR[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(light, dark, strict=True)
    )


def map_drawing(
    counts: Mapping[str, int], *, width: float = 560, legend: str = "", font: str = "Helvetica"
) -> "Drawing | None":
    """The world with each country of `counts` (alpha-2 code → count, counts above 0) shaded
    by its count, and a legend of LEGEND_STEPS shades titled `legend`; None when no country
    has a count."""
    from reportlab.graphics.shapes import Drawing, Path, Rect, String
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth

    counts = {code: n for code, n in counts.items() if n > 0}
    if not counts:
        return None
    top = max(counts.values())
    height = width * (NORTH - SOUTH) / 360
    legend_height = 28
    drawing = Drawing(width, height + legend_height)

    def point(longitude: float, latitude: float) -> tuple[float, float]:
        latitude = min(max(latitude, SOUTH), NORTH)
        longitude = min(max(longitude, -180), 180)
        x = (longitude + 180) / 360 * width
        y = legend_height + (latitude - SOUTH) / (NORTH - SOUTH) * height
        return round(x), round(y)

    # One path per country, its polygons as subpaths, on whole points, dropping points that
    # fall on the one before: at this size the finer detail does not show, and the SVG stays
    # small. Countries with a count last, so that no neighbour covers their outline.
    for code, rings in sorted(outlines().items(), key=lambda item: item[0] in counts):
        path = Path(
            fillColor=HexColor(_shade(counts[code], top) if code in counts else EMPTY_COLOUR),
            strokeColor=HexColor(BORDER_COLOUR),
            strokeWidth=0.3,
        )
        for outline in rings:
            points: list[tuple[float, float]] = []
            for p in outline:
                projected = point(*p)
                if not points or projected != points[-1]:
                    points.append(projected)
            if len(points) < 3:
                continue
            path.moveTo(*points[0])
            for x, y in points[1:]:
                path.lineTo(x, y)
            path.closePath()
        drawing.add(path)
    steps = sorted({1, *(max(1, round(top * (i + 1) / LEGEND_STEPS)) for i in range(LEGEND_STEPS))})
    x = 0.0
    if legend:
        drawing.add(String(x, 9, legend, fontName=font, fontSize=8))
        x += stringWidth(legend, font, 8) + 8
    for value in steps:
        drawing.add(Rect(x, 6, 12, 10, fillColor=HexColor(_shade(value, top)), strokeColor=None))
        drawing.add(String(x + 15, 8, f"{value:,}", fontName=font, fontSize=8))
        x += 20 + stringWidth(f"{value:,}", font, 8)
    return drawing
