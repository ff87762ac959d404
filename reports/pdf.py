"""The post-event report as a PDF: plain data in (reports.dashboards.ForumReport), bytes out.

Every piece of text is set with attendance.fonts, so names in any script print as real text that
can be copied and searched; the charts are the same reportlab Drawings as on the pages. reportlab
is imported inside the functions."""

from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendance.fonts import FAMILIES, Run, check_fonts, draw_runs, fonts, runs_width, split_runs
from reports.charts import counts_chart
from reports.worldmap import map_drawing

if TYPE_CHECKING:
    from reports.dashboards import ForumReport

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM
MARGIN = 18 * MM
INK = (0.12, 0.14, 0.17)
MUTED = (0.36, 0.38, 0.42)
ACCENT = (0.12, 0.37, 0.48)
LEADING = 1.3


def wrap_runs(text: str, *, width: float, size: float, bold: bool = False) -> list[list[Run]]:
    """`text` broken into lines of runs no wider than `width`, at word boundaries (a word
    longer than a line is cut)."""
    lines: list[list[Run]] = []
    for paragraph in text.splitlines() or [""]:
        words = paragraph.split()
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if line and runs_width(split_runs(candidate, bold=bold, size=size)) > width:
                lines.append(split_runs(line, bold=bold, size=size))
                line = word
            else:
                line = candidate
            while runs_width(split_runs(line, bold=bold, size=size)) > width and len(line) > 1:
                cut = len(line)
                while cut > 1 and runs_width(split_runs(line[:cut], bold=bold, size=size)) > width:
                    cut -= 1
                lines.append(split_runs(line[:cut], bold=bold, size=size))
                line = line[cut:]
        lines.append(split_runs(line, bold=bold, size=size))
    return lines


def _text(
    text: str,
    *,
    size: float = 10,
    bold: bool = False,
    colour: tuple[float, float, float] = INK,
    after: float = 0,
) -> Any:
    """A flowable paragraph of `text`, set with attendance.fonts."""
    from reportlab.platypus import Flowable

    class Text(Flowable):
        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.lines = wrap_runs(text, width=available_width, size=size, bold=bold)
            self.width = available_width
            self.height = len(self.lines) * size * LEADING + after
            return self.width, self.height

        def draw(self) -> None:
            self.canv.setFillColorRGB(*colour)
            # The space `after` is below the last line.
            y = self.height - size
            for line in self.lines:
                draw_runs(self.canv, line, 0, y)
                y -= size * LEADING

    return Text()


def chart_font() -> str:
    """The report's Latin font, as reportlab knows it, for the charts' labels (country and
    category names, figures), so that they match the text around them."""
    return "FD" + fonts().font_name(FAMILIES[0], bold=False)


def _labelled(label: str, out_of: str) -> str:
    """A figure's label with what it is out of: "Response rate (7 of 16 attendees)"."""
    return f"{label} ({out_of})" if out_of else label


def _heading(text: str) -> list[Any]:
    from reportlab.platypus import Spacer

    return [Spacer(1, 6 * MM), _text(text, size=15, bold=True, colour=ACCENT, after=3 * MM)]


def _section(title: str, first: Any, *rest: Any) -> list[Any]:
    """A heading kept on the same page as what follows it."""
    from reportlab.platypus import KeepTogether

    return [KeepTogether([*_heading(title), first]), *rest]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Any:
    from reportlab.platypus import Table, TableStyle

    data = [[_text(cell, size=9, bold=True) for cell in header]]
    data += [[_text(cell, size=9) for cell in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, "#1f5f7a"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, "#c8ccd2"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _counts(
    title: str, rows: Sequence[tuple[str, int]], label: str, *, world: Any = None
) -> list[Any]:
    """A chart (after a map, if given) and, beside it in reading order, the same figures as a
    table."""
    if not rows:
        return _section(title, _text(_("None."), colour=MUTED))
    width = A4_WIDTH - 2 * MARGIN
    table = _table(
        [label, _("People")], [(name, str(n)) for name, n in rows], [width * 0.75, width * 0.25]
    )
    chart = counts_chart(rows, font=chart_font())
    drawings = [drawing for drawing in (world, chart) if drawing is not None]
    return _section(title, *drawings, table)


def _cover_letterhead(report: "ForumReport") -> list[Any]:
    """The association's logo (at most 60 × 22 mm) and name at the top of the cover."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, Spacer

    if report.letterhead is None:
        return [Spacer(1, 20 * MM)]
    parts: list[Any] = []
    if report.letterhead.logo:
        logo = BytesIO(report.letterhead.logo)
        wide, high = ImageReader(logo).getSize()
        scale = min(60 * MM / wide, 22 * MM / high)
        logo.seek(0)
        image = Image(logo, width=wide * scale, height=high * scale, mask="auto")
        image.hAlign = "LEFT"
        parts += [image, Spacer(1, 4 * MM)]
    parts.append(_text(report.letterhead.organisation, size=12, bold=True, colour=MUTED))
    return parts


def _cover_figures(report: "ForumReport", width: float) -> Any:
    """The key figures on the cover, from the same ForumReport as the key figures page: who
    attended, their companies, and the share who found it helpful with what it is out of."""
    from reportlab.platypus import Table, TableStyle

    figures = [
        (str(report.attended), _("Attended")),
        (str(report.companies), _("Companies")),
        (
            report.helpful or "—",
            _("Found it helpful") + "\n" + (report.helpful_of or _("nobody has answered")),
        ),
    ]
    # As wide as the paragraphs around it (the frame's padding on either side).
    column = (width - 12) / len(figures)
    table = Table(
        [
            [_text(value, size=24, bold=True, colour=ACCENT) for value, _label in figures],
            [_text(label, size=9, colour=MUTED) for _value, label in figures],
        ],
        colWidths=[column] * len(figures),
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, "#1f5f7a"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        )
    )
    return table


def forum_report_pdf(report: "ForumReport") -> bytes:
    """The report: a cover, key figures, attendance by country and by participant category
    with charts, the agenda, the workshops, selected comments and the programme's reach."""
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

    check_fonts()
    buffer = BytesIO()
    width = A4_WIDTH - 2 * MARGIN
    title = _("Post-event report · %(forum)s") % {"forum": report.title}
    document = SimpleDocTemplate(
        buffer,
        pagesize=(A4_WIDTH, A4_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * MM,
        title=title,
        author=report.letterhead.organisation if report.letterhead else "",
        creator="Forum Desk",
        invariant=1,
    )

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColorRGB(*MUTED)
        issuer = f"{report.letterhead.organisation} · " if report.letterhead else ""
        line = split_runs(
            f"{issuer}{report.title} · {report.date} · " + _("Page %(page)s") % {"page": doc.page},
            bold=False,
            size=8,
        )
        draw_runs(canvas, line, MARGIN, MARGIN)
        canvas.restoreState()

    story: list[Any] = [*_cover_letterhead(report), Spacer(1, 30 * MM)]
    story += [
        _text(_("Post-event report"), size=14, colour=MUTED, after=4 * MM),
        _text(report.title, size=26, bold=True, colour=ACCENT, after=6 * MM),
        _text(f"{report.city}, {report.country}", size=16, after=2 * MM),
        _text(
            _("%(date)s (time zone: %(zone)s)") % {"date": report.date, "zone": report.time_zone},
            size=14,
            after=8 * MM,
        ),
        _cover_figures(report, width),
        Spacer(1, 8 * MM),
    ]
    if report.sponsors:
        story += [
            _text(_("Sponsored by"), size=11, bold=True, colour=MUTED, after=1.5 * MM),
            _text(", ".join(report.sponsors), size=13, after=5 * MM),
        ]
    if report.supporters:
        story += [
            _text(_("Supported by"), size=11, bold=True, colour=MUTED, after=1.5 * MM),
            _text(", ".join(report.supporters), size=13, after=5 * MM),
        ]
    story.append(PageBreak())

    story += _heading(_("Key figures"))
    figures = [
        (_("Registered"), str(report.registered)),
        (_("Attended"), str(report.attended)),
        (_("Companies"), str(report.companies)),
        (_("Countries"), str(report.countries)),
        (_labelled(_("Response rate"), report.response_rate_of), report.response_rate or "—"),
        (_labelled(_("Found it helpful"), report.helpful_of), report.helpful or "—"),
    ]
    grid = Table(
        [
            [_text(label, size=12, colour=MUTED), _text(value, size=18, bold=True, colour=ACCENT)]
            for label, value in figures
        ],
        colWidths=[width * 0.6, width * 0.4],
    )
    grid.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#c8ccd2"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(grid)
    story.append(
        _text(
            _(
                "Registered: holding a seat. Attended: checked in at the door. Companies and "
                "countries: those of the people who attended. Response rate: feedback responses "
                "(online and on paper) out of the people who attended."
            ),
            size=8,
            colour=MUTED,
        )
    )

    story += _counts(
        _("Attendance by country"),
        report.by_country,
        _("Country"),
        world=map_drawing(
            report.by_country_code,
            width=A4_WIDTH - 2 * MARGIN,
            legend=_("People"),
            font=chart_font(),
        ),
    )
    if report.by_category is not None:
        story += _counts(_("Attendance by participant category"), report.by_category, _("Category"))

    if report.agenda:
        story += _section(
            _("Agenda"),
            _table(
                [_("Time"), _("Session"), _("Speakers")],
                [(item.time, item.title, item.speakers) for item in report.agenda],
                [width * 0.12, width * 0.48, width * 0.40],
            ),
            _text(_("Times in %(zone)s.") % {"zone": report.time_zone}, size=8, colour=MUTED),
        )
    else:
        story += _section(_("Agenda"), _text(_("No agenda was recorded."), colour=MUTED))

    if report.workshops:
        story += _section(
            _("Workshops"),
            _table(
                [_("Workshop"), _("Facilitators"), _("Places"), _("Attended"), _("Rating")],
                [
                    (
                        f"{w.code} · {w.title}",
                        w.facilitators,
                        str(w.registered),
                        str(w.attended),
                        _("%(rating)s of 5 (%(n)s)") % {"rating": w.rating, "n": w.ratings}
                        if w.rating
                        else "—",
                    )
                    for w in report.workshops
                ],
                [width * 0.30, width * 0.32, width * 0.11, width * 0.12, width * 0.15],
            ),
        )
    else:
        story += _section(_("Workshops"), _text(_("No workshops."), colour=MUTED))

    if report.comments:
        quotes = [_text(f"“{comment}”", size=10, after=3 * MM) for comment in report.comments]
        story += _section(_("Selected comments"), *quotes)

    if report.reach is not None:
        story += _section(
            _("The programme's reach on %(date)s") % {"date": report.reach_as_of},
            _table(
                [_("Forums held"), _("Companies reached"), _("People reached"), _("Countries")],
                [
                    (
                        str(report.reach.forums),
                        str(report.reach.companies),
                        str(report.reach.people),
                        str(report.reach.countries),
                    )
                ],
                [width / 4] * 4,
            ),
            *(
                [
                    _text(
                        ngettext(
                            "Demo data: these figures include %(count)s made-up forum.",
                            "Demo data: these figures include %(count)s made-up forums.",
                            report.reach.demo_forums,
                        )
                        % {"count": report.reach.demo_forums},
                        size=9,
                        colour=MUTED,
                    )
                ]
                if report.reach.demo_forums
                else []
            ),
        )

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
