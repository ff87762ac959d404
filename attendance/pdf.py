"""The day's paper: name badges, certificates of attendance and the check-in list. Pure
rendering: plain data in, PDF bytes out. reportlab and segno are imported inside the functions.

A badge's QR code holds the registration's check-in code and nothing else, drawn as vector
modules (one rectangle per run of dark modules in a row), which prints sharp at any size and is
many times faster than placing an image per badge."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _

from attendance.fonts import Run, check_fonts, draw_runs, runs_width, split_runs

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM
# Eight badges fill an A4 sheet, two across and four down.
BADGE_WIDTH, BADGE_HEIGHT = A4_WIDTH / 2, A4_HEIGHT / 4
BADGE_PADDING = 6 * MM
QR_SIZE = 26 * MM
ELLIPSIS = "…"
INK = (0.12, 0.14, 0.17)
MUTED = (0.36, 0.38, 0.42)
ACCENT = (0.05, 0.33, 0.53)
# A run is reported to `on_progress` every this many pages or badges.
PROGRESS_EVERY = 50


@dataclass(frozen=True)
class ForumHeading:
    """What every page says about the forum, already in the forum's zone and language."""

    title: str
    date: str
    city: str
    country: str


@dataclass(frozen=True)
class BadgeHolder:
    first_name: str
    last_name: str
    company: str
    country: str
    checkin_code: str
    # "A1 · Migrant labour", in the order of the day.
    workshops: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class AttendedWorkshop:
    title: str
    # "Lara White (IOM)", or an organisation leading it when no facilitator is named.
    leaders: tuple[str, ...] = ()


@dataclass(frozen=True)
class CertificateHolder:
    name: str
    company: str
    workshops: tuple[AttendedWorkshop, ...] = ()


@dataclass(frozen=True)
class ListRow:
    last_name: str
    first_name: str
    company: str
    workshops: str


@dataclass
class _Text:
    """Lines of runs fitted into a width."""

    lines: list[list[Run]] = field(default_factory=list)
    size: float = 0

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * 1.2


@lru_cache(maxsize=4096)
def fit(
    text: str, *, width: float, size: float, min_size: float, bold: bool = False, max_lines: int = 1
) -> _Text:
    """`text` at `size`, smaller down to `min_size` until it fits `width`; past that, wrapped
    over up to `max_lines` lines at `min_size`, the last ending in an ellipsis if need be."""
    runs = split_runs(text, bold=bold, size=size)
    measured = runs_width(runs)
    if measured <= width:
        return _Text([runs], size)
    smaller = int(size * width / measured * 2) / 2  # in half points
    if smaller >= min_size:
        runs = split_runs(text, bold=bold, size=smaller)
        if runs_width(runs) <= width:
            return _Text([runs], smaller)
    lines: list[list[Run]] = []
    words = text.split()
    while words and len(lines) < max_lines:
        if len(lines) == max_lines - 1:
            lines.append(_ellipsized(" ".join(words), width=width, size=min_size, bold=bold))
            break
        taken = 1
        while taken < len(words):
            candidate = split_runs(" ".join(words[: taken + 1]), bold=bold, size=min_size)
            if runs_width(candidate) > width:
                break
            taken += 1
        line = " ".join(words[:taken])
        words = words[taken:]
        if runs_width(split_runs(line, bold=bold, size=min_size)) > width:
            # One word longer than the line: cut it, and say so.
            lines.append(_ellipsized(line, width=width, size=min_size, bold=bold))
            break
        lines.append(split_runs(line, bold=bold, size=min_size))
    return _Text(lines, min_size)


def _ellipsized(text: str, *, width: float, size: float, bold: bool) -> list[Run]:
    runs = split_runs(text, bold=bold, size=size)
    if runs_width(runs) <= width:
        return runs
    low, high = 0, len(text)
    while low < high:  # the longest start of `text` that fits with the ellipsis
        middle = (low + high + 1) // 2
        if runs_width(split_runs(text[:middle].rstrip() + ELLIPSIS, bold=bold, size=size)) <= width:
            low = middle
        else:
            high = middle - 1
    return split_runs(text[:low].rstrip() + ELLIPSIS, bold=bold, size=size)


def _draw(canvas: Any, text: _Text, x: float, top: float, *, align: str = "left", width: float = 0):
    """Draw `text` with its first baseline one size below `top`; returns the y under it."""
    y = top
    for line in text.lines:
        y -= text.size
        line_x = x
        if align == "center":
            line_x = x + (width - runs_width(line)) / 2
        elif align == "right":
            line_x = x + width - runs_width(line)
        draw_runs(canvas, line, line_x, y)
        y -= text.size * 0.2
    return y


def qr_matrix(code: str) -> tuple[tuple[int, ...], ...]:
    """The QR code's modules (1 dark), row by row from the top, without the quiet zone.

    Mask pattern 0 always: any of the eight masks is valid and every reader tries them all;
    segno's search for the best one takes three quarters of the time of the whole code."""
    import segno

    qr = segno.make_qr(code, error="m", mask=0, boost_error=False)
    return tuple(tuple(row) for row in qr.matrix)


def draw_qr(canvas: Any, matrix: Sequence[Sequence[int]], x: float, y: float, size: float):
    """Draw `matrix` as a `size` square with its lower left corner at (x, y): one rectangle per
    run of dark modules in a row, in module units under a scaling, so each is a few bytes."""
    count = len(matrix)
    path = canvas.beginPath()
    # Whole numbers in module units: written as they are, without reportlab's float formatting
    # (path.rect), which took a fifth of a badge's time.
    operators = path._code
    for row_number, row in enumerate(matrix):
        y_module = count - 1 - row_number
        column = 0
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                operators.append(f"{start} {y_module} {column - start} 1 re")
            else:
                column += 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / count, size / count)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _new_canvas(buffer: BytesIO, pagesize: tuple[float, float], title: str) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    check_fonts()
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("Forum Desk")
    return canvas


def _badge(canvas: Any, forum: ForumHeading, holder: BadgeHolder, x: float, y: float) -> None:
    """One badge with its lower left corner at (x, y)."""
    inner = BADGE_WIDTH - 2 * BADGE_PADDING
    left, top = x + BADGE_PADDING, y + BADGE_HEIGHT - BADGE_PADDING
    canvas.setFillColorRGB(*ACCENT)
    canvas.rect(x + BADGE_PADDING, top - 1.2 * MM, inner, 1.2 * MM, stroke=0, fill=1)
    canvas.setFillColorRGB(*ACCENT)
    below = _draw(
        canvas, fit(forum.title, width=inner, size=8, min_size=6, bold=True), left, top - 2.5 * MM
    )
    canvas.setFillColorRGB(*MUTED)
    _draw(canvas, fit(forum.date, width=inner, size=7, min_size=6), left, below)

    # The QR code in the lower right corner, its code printed under it for typing by hand.
    qr_x = x + BADGE_WIDTH - BADGE_PADDING - QR_SIZE
    qr_y = y + BADGE_PADDING + 3 * MM
    draw_qr(canvas, qr_matrix(holder.checkin_code), qr_x, qr_y, QR_SIZE)
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont("Courier", 5.5)
    canvas.drawCentredString(qr_x + QR_SIZE / 2, y + BADGE_PADDING, holder.checkin_code)

    text_width = inner - QR_SIZE - 3 * MM
    name_top = top - 11 * MM
    canvas.setFillColorRGB(*INK)
    name = fit(holder.name, width=inner, size=22, min_size=12, bold=True, max_lines=2)
    below = _draw(canvas, name, left, name_top)
    if holder.company:
        company = fit(holder.company, width=text_width, size=12, min_size=8, max_lines=2)
        below = _draw(canvas, company, left, below - 1 * MM)
    if holder.country:
        canvas.setFillColorRGB(*MUTED)
        below = _draw(
            canvas, fit(holder.country, width=text_width, size=9, min_size=7), left, below
        )
    canvas.setFillColorRGB(*INK)
    room = below - (y + BADGE_PADDING) - 1.5 * MM
    lines = max(0, int(room // (7 * 1.2)))
    shown = holder.workshops if len(holder.workshops) <= lines else holder.workshops[: lines - 1]
    below -= 1.5 * MM
    for workshop in shown:
        below = _draw(canvas, fit(workshop, width=text_width, size=7, min_size=7), left, below)
    if lines and len(shown) < len(holder.workshops):
        more = len(holder.workshops) - len(shown)
        _draw(
            canvas,
            fit(_("and %(count)s more") % {"count": more}, width=text_width, size=7, min_size=7),
            left,
            below,
        )


def _cut_marks(canvas: Any) -> None:
    """Short marks where the sheet is cut, at its edges and where four badges meet, kept off the
    badges' printed area."""
    canvas.setStrokeColorRGB(0.55, 0.55, 0.55)
    canvas.setLineWidth(0.3)
    length = 3 * MM
    xs = [BADGE_WIDTH]
    ys = [BADGE_HEIGHT * row for row in (1, 2, 3)]
    for cut_x in xs:
        canvas.line(cut_x, A4_HEIGHT - 2 * MM, cut_x, A4_HEIGHT - 2 * MM - length)
        canvas.line(cut_x, 2 * MM, cut_x, 2 * MM + length)
    for cut_y in ys:
        canvas.line(2 * MM, cut_y, 2 * MM + length, cut_y)
        canvas.line(A4_WIDTH - 2 * MM, cut_y, A4_WIDTH - 2 * MM - length, cut_y)
        for cut_x in xs:
            canvas.line(cut_x - length / 2, cut_y, cut_x + length / 2, cut_y)
            canvas.line(cut_x, cut_y - length / 2, cut_x, cut_y + length / 2)


def badges_pdf(
    forum: ForumHeading,
    holders: Iterable[BadgeHolder],
    *,
    sheets: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """Badges on A4 sheets of eight with cut marks (`sheets`), or one badge-sized page each."""
    buffer = BytesIO()
    pagesize = (A4_WIDTH, A4_HEIGHT) if sheets else (BADGE_WIDTH, BADGE_HEIGHT)
    canvas = _new_canvas(buffer, pagesize, _("Badges · %(forum)s") % {"forum": forum.title})
    done = 0
    for done, holder in enumerate(holders, start=1):
        if sheets:
            place = (done - 1) % 8
            if place == 0 and done > 1:
                canvas.showPage()
            if place == 0:
                _cut_marks(canvas)
            x = (place % 2) * BADGE_WIDTH
            y = A4_HEIGHT - (place // 2 + 1) * BADGE_HEIGHT
        else:
            if done > 1:
                canvas.showPage()
            x = y = 0
        _badge(canvas, forum, holder, x, y)
        if on_progress and done % PROGRESS_EVERY == 0:
            on_progress(done)
    if done == 0:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(20 * MM, pagesize[1] - 30 * MM, _("No badges to print."))
    canvas.save()
    if on_progress:
        on_progress(done)
    return buffer.getvalue()


def certificates_pdf(
    forum: ForumHeading,
    holders: Iterable[CertificateHolder],
    *,
    issuer: str,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """One A4 landscape page per person who attended."""
    width, height = A4_HEIGHT, A4_WIDTH
    buffer = BytesIO()
    canvas = _new_canvas(
        buffer,
        (width, height),
        _("Certificates of attendance · %(forum)s") % {"forum": forum.title},
    )
    margin = 25 * MM
    inner = width - 2 * margin

    def centred(text: str, top: float, colour: tuple[float, ...] = INK, **size: Any) -> float:
        """One line (or a few, with max_lines) across the page, centred; returns its bottom."""
        canvas.setFillColorRGB(*colour)
        return _draw(
            canvas, fit(text, width=inner, **size), margin, top, align="center", width=inner
        )

    done = 0
    for done, holder in enumerate(holders, start=1):
        if done > 1:
            canvas.showPage()
        canvas.setStrokeColorRGB(*ACCENT)
        canvas.setLineWidth(2)
        canvas.rect(12 * MM, 12 * MM, width - 24 * MM, height - 24 * MM)
        title = _("Certificate of attendance")
        below = centred(title, height - 32 * MM, ACCENT, size=30, min_size=18, bold=True)
        below = centred(_("This is to certify that"), below - 8 * MM, MUTED, size=13, min_size=10)
        below = centred(holder.name, below - 4 * MM, size=28, min_size=16, bold=True, max_lines=2)
        if holder.company:
            below = centred(holder.company, below - 1 * MM, size=15, min_size=10, max_lines=2)
        below = centred(_("attended"), below - 5 * MM, MUTED, size=13, min_size=10)
        below = centred(forum.title, below - 2 * MM, size=20, min_size=12, bold=True, max_lines=2)
        place = _("%(date)s, %(city)s, %(country)s") % {
            "date": forum.date,
            "city": forum.city,
            "country": forum.country,
        }
        below = centred(place, below - 1 * MM, size=13, min_size=10)
        if holder.workshops:
            below = centred(
                _("and took part in these workshops:"), below - 6 * MM, MUTED, size=11, min_size=9
            )
            floor = 50 * MM
            for number, workshop in enumerate(holder.workshops):
                if below - 12 * MM < floor:
                    more = _("and %(count)s more") % {"count": len(holder.workshops) - number}
                    centred(more, below, size=10, min_size=10)
                    break
                below = centred(workshop.title, below - 1.5 * MM, size=12, min_size=9, bold=True)
                if workshop.leaders:
                    leaders = _("with %(leaders)s") % {"leaders": "; ".join(workshop.leaders)}
                    below = centred(leaders, below, MUTED, size=10, min_size=8, max_lines=2)
        # The signature line, bottom right.
        line_width = 80 * MM
        line_x = width - margin - line_width
        canvas.setStrokeColorRGB(*INK)
        canvas.setLineWidth(0.6)
        canvas.line(line_x, 34 * MM, line_x + line_width, 34 * MM)
        canvas.setFillColorRGB(*MUTED)
        caption = _("For the secretariat, %(issuer)s") % {"issuer": issuer}
        _draw(
            canvas,
            fit(caption, width=line_width, size=10, min_size=8),
            line_x,
            32 * MM,
            align="center",
            width=line_width,
        )
        if on_progress and done % PROGRESS_EVERY == 0:
            on_progress(done)
    if done == 0:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(margin, height - 30 * MM, _("Nobody has attended yet."))
    canvas.save()
    if on_progress:
        on_progress(done)
    return buffer.getvalue()


ROW_HEIGHT = 9 * MM
LIST_TOP = A4_HEIGHT - 30 * MM
LIST_BOTTOM = 18 * MM
ROWS_PER_PAGE = int((LIST_TOP - LIST_BOTTOM) // ROW_HEIGHT)


def checkin_list_pdf(forum: ForumHeading, rows: Sequence[ListRow]) -> bytes:
    """The paper fallback: every row with a tick box, in the order given (alphabetical by
    surname), the forum's title and date and the page number on every page."""
    buffer = BytesIO()
    canvas = _new_canvas(
        buffer, (A4_WIDTH, A4_HEIGHT), _("Check-in list · %(forum)s") % {"forum": forum.title}
    )
    margin = 14 * MM
    # Tick box, surname, name, company, workshops: the left edge of each column.
    columns = [margin, margin + 9 * MM, margin + 45 * MM, margin + 80 * MM, margin + 130 * MM]
    right = A4_WIDTH - margin
    widths = [b - a - 2 * MM for a, b in zip(columns, [*columns[1:], right], strict=True)]
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
    headings = ["", _("Surname"), _("Name"), _("Company"), _("Workshops")]
    for page in range(pages):
        if page:
            canvas.showPage()
        canvas.setFillColorRGB(*INK)
        _draw(
            canvas,
            fit(forum.title, width=right - margin - 40 * MM, size=13, min_size=9, bold=True),
            margin,
            A4_HEIGHT - 12 * MM,
        )
        canvas.setFillColorRGB(*MUTED)
        _draw(
            canvas,
            fit(f"{forum.date} · {forum.city}", width=right - margin - 40 * MM, size=9, min_size=7),
            margin,
            A4_HEIGHT - 18 * MM,
        )
        count = _("%(count)s registered") % {"count": len(rows)}
        _draw(
            canvas,
            fit(count, width=40 * MM, size=9, min_size=7),
            right - 40 * MM,
            A4_HEIGHT - 12 * MM,
            align="right",
            width=40 * MM,
        )
        canvas.setFillColorRGB(*INK)
        for left, width, heading in zip(columns, widths, headings, strict=True):
            if heading:
                _draw(
                    canvas,
                    fit(heading, width=width, size=8, min_size=6, bold=True),
                    left,
                    LIST_TOP + 5 * MM,
                )
        canvas.setStrokeColorRGB(*MUTED)
        canvas.setLineWidth(0.6)
        canvas.line(margin, LIST_TOP, right, LIST_TOP)
        y = LIST_TOP
        for row in rows[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]:
            canvas.setStrokeColorRGB(*INK)
            canvas.setLineWidth(0.8)
            canvas.rect(columns[0], y - 7 * MM, 5 * MM, 5 * MM)
            values = ["", row.last_name, row.first_name, row.company, row.workshops]
            for left, width, value in zip(columns, widths, values, strict=True):
                if value:
                    _draw(canvas, fit(value, width=width, size=9, min_size=7), left, y - 2.2 * MM)
            y -= ROW_HEIGHT
            canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
            canvas.setLineWidth(0.3)
            canvas.line(margin, y, right, y)
        canvas.setFillColorRGB(*MUTED)
        label = _("Page %(page)s of %(pages)s") % {"page": page + 1, "pages": pages}
        _draw(
            canvas,
            fit(label, width=50 * MM, size=8, min_size=8),
            right - 50 * MM,
            12 * MM,
            align="right",
            width=50 * MM,
        )
        if not rows:
            _draw(
                canvas,
                fit(_("Nobody is registered."), width=100 * MM, size=11, min_size=11),
                margin,
                LIST_TOP - 4 * MM,
            )
    canvas.save()
    return buffer.getvalue()
