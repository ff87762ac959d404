"""The day's paper: name badges, certificates of attendance and the check-in list. Pure
rendering: plain data in, PDF bytes out. reportlab and segno are imported inside the functions.

A badge's QR code holds the registration's check-in code and nothing else, drawn as vector
modules (one rectangle per run of dark modules in a row), which prints sharp at any size and is
many times faster than placing an image per badge."""

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from attendance.fonts import Run, check_fonts, draw_runs, runs_width, split_runs

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM
# Eight badges fill an A4 sheet, two across and four down.
BADGE_WIDTH, BADGE_HEIGHT = A4_WIDTH / 2, A4_HEIGHT / 4
BADGE_PADDING = 6 * MM
QR_SIZE = 26 * MM
INK = (0.12, 0.14, 0.17)
MUTED = (0.36, 0.38, 0.42)
ACCENT = (0.05, 0.33, 0.53)
# The largest a logo is drawn on a badge (width, height).
BADGE_LOGO = (20 * MM, 7 * MM)
# A run is reported to `on_progress` every this many pages or badges.
PROGRESS_EVERY = 50


@dataclass(frozen=True)
class ForumHeading:
    """What every page says about the forum, already in the forum's zone and language."""

    title: str
    date: str
    city: str
    country: str
    # What a certificate says the person did, between their name and the forum's title; empty:
    # "attended".
    certificate_wording: str = ""


@dataclass(frozen=True)
class Letterhead:
    """Who issues the paper: the association's name and logo, and who signs certificates (a
    name, a title, a signature image). Images are PNG bytes (forums.images made them)."""

    organisation: str
    logo: bytes = b""
    signatory_name: str = ""
    signatory_title: str = ""
    signature: bytes = b""


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
    # The holder's language, which their page is written in, and the forum as it reads in that
    # language; empty and None: the document's.
    language: str = ""
    forum: ForumHeading | None = None


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


# The sizes names and companies are set at, and the smallest they shrink to before they wrap:
# about 60% of the normal size or more, and never under 9 pt on a badge, which is still read at
# arm's length (a name at 14 pt bold across a room). A text that does not fit on one line at its
# smallest size is wrapped at that size, onto as many lines as it takes: two or three for any
# real name or company, more only for text longer than any we have seen. Nothing is cut.
BADGE_NAME: dict[str, Any] = {"size": 22, "min_size": 14, "bold": True}
BADGE_COMPANY: dict[str, Any] = {"size": 12, "min_size": 9}
BADGE_COUNTRY: dict[str, Any] = {"size": 9, "min_size": 9}
CERTIFICATE_NAME: dict[str, Any] = {"size": 28, "min_size": 17, "bold": True}
CERTIFICATE_COMPANY: dict[str, Any] = {"size": 15, "min_size": 10}
# Only when a badge's name and company do not fit on it at those sizes: a sixth smaller, up to
# this many times, and never under LAST_RESORT_SIZE.
LAST_RESORT_STEPS = 3
LAST_RESORT_SIZE = 6
# The paper list is read up close, on a table at the door.
LIST_CELL: dict[str, Any] = {"size": 9, "min_size": 8}
# Where a line may end: at spaces other than the no-break ones.
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# Where a word may be broken: after a hyphen between two letters.
_HYPHEN_BREAK = re.compile(r"(?<=[^\s\-\u2010][\-\u2010])(?=[^\s\-\u2010])")
# Thai and Lao vowels written before the consonant they follow in speech: never the end of a line.
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")


@dataclass(frozen=True)
class Placed:
    """An image drawn once as a form XObject, and its size on the page."""

    name: str
    width: float
    height: float


# A fitted text on a badge, with the gap above it and its colour.
_Block = tuple[_Text, float, tuple[float, ...]]


@lru_cache(maxsize=4096)
def fit(
    text: str,
    *,
    width: float,
    size: float,
    min_size: float,
    bold: bool = False,
    wider_first: tuple[int, float] = (0, 0),
) -> _Text:
    """`text` whole at `size`, or smaller, down to `min_size`, until it fits on one line of
    `width`; past that, wrapped at `min_size` between words (or after a hyphen) onto as many
    lines as it takes, a word longer than a line broken between two letters. Never cut, never
    smaller than `min_size`. `wider_first` (count, width): the first lines of the wrapped text
    may be that much wider (the lines above a badge's QR code)."""
    runs = split_runs(text, bold=bold, size=size)
    measured = runs_width(runs)
    if measured <= width:
        return _Text([runs], size)
    # In half points, and no smaller than the minimum, at which it may still just fit.
    smaller = max(min_size, int(size * width / measured * 2) / 2)
    runs = split_runs(text, bold=bold, size=smaller)
    if runs_width(runs) <= width:
        return _Text([runs], smaller)
    return _Text(
        [
            split_runs(line, bold=bold, size=min_size)
            for line in _wrapped(
                text, width=width, size=min_size, bold=bold, wider_first=wider_first
            )
        ],
        min_size,
    )


def _wrapped(
    text: str, *, width: float, size: float, bold: bool, wider_first: tuple[int, float]
) -> list[str]:
    """`text` cut into lines no wider than `width` (the first few as wide as `wider_first`
    says), in reading order."""

    def fits(line: str) -> bool:
        limit = wider_first[1] if len(lines) < wider_first[0] else width
        return runs_width(split_runs(line, bold=bold, size=size)) <= limit

    lines: list[str] = []
    line = ""
    for word in _SPACES.split(text.strip()):
        for number, piece in enumerate(_HYPHEN_BREAK.split(word)):
            joined = f"{line} {piece}" if line and number == 0 else line + piece
            if fits(joined):
                line = joined
                continue
            if line:
                lines.append(line)
            line = piece
            while not fits(line):
                # A word longer than the line: as much of it as fits, then the rest.
                head = _longest_start(line, fits)
                lines.append(line[:head])
                line = line[head:]
    if line:
        lines.append(line)
    return lines


def _longest_start(word: str, fits: Callable[[str], bool]) -> int:
    """The length of the longest start of `word` that fits and ends between two letters (never
    inside a letter with its marks, a conjunct or an emoji sequence); at least one letter."""
    breaks = [n for n in range(1, len(word)) if _may_break(word[n - 1], word[n])]
    low, high = 0, len(breaks)  # breaks[:low] fit
    while low < high:
        middle = (low + high + 1) // 2
        if fits(word[: breaks[middle - 1]]):
            low = middle
        else:
            high = middle - 1
    if low:
        return breaks[low - 1]
    return breaks[0] if breaks else len(word)


def _may_break(before: str, after: str) -> bool:
    if unicodedata.category(after)[0] == "M" or unicodedata.category(after) in ("Cf", "Sk"):
        return False  # a mark, a joiner, a variation selector or a skin tone goes with its letter
    if unicodedata.combining(before) == 9 or before in ("\u200d", "\u200c"):
        return False  # after a virama or a joiner, the letters make one conjunct
    return before not in _LEADING_VOWELS


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


def image_form(canvas: Any, png: bytes, name: str, *, width: float, height: float) -> Placed | None:
    """The image drawn once as a form XObject no larger than `width` × `height` (its shape
    kept), to be placed with `place_form` as often as needed; None without an image."""
    from reportlab.lib.utils import ImageReader

    if not png:
        return None
    image = ImageReader(BytesIO(png))
    pixels_wide, pixels_high = image.getSize()
    scale = min(width / pixels_wide, height / pixels_high)
    placed = Placed(name, pixels_wide * scale, pixels_high * scale)
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=placed.width, uppery=placed.height)
    canvas.drawImage(image, 0, 0, placed.width, placed.height, mask="auto")
    canvas.endForm()
    return placed


def place_form(canvas: Any, placed: Placed, x: float, y: float) -> None:
    """The form `placed` with its lower left corner at (x, y)."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(placed.name)
    canvas.restoreState()


def _badge(
    canvas: Any,
    forum: ForumHeading,
    holder: BadgeHolder,
    x: float,
    y: float,
    logo: Placed | None = None,
) -> None:
    """One badge with its lower left corner at (x, y). The association's logo, if any, in the
    top right corner beside the forum's title. The name, company and country take the badge's
    whole width on the lines above the QR code, the width beside it below; the workshops take
    the room left, and say how many more there are when it runs out."""
    inner = BADGE_WIDTH - 2 * BADGE_PADDING
    left, top = x + BADGE_PADDING, y + BADGE_HEIGHT - BADGE_PADDING
    canvas.setFillColorRGB(*ACCENT)
    canvas.rect(x + BADGE_PADDING, top - 1.2 * MM, inner, 1.2 * MM, stroke=0, fill=1)
    heading_width = inner
    if logo is not None:
        place_form(canvas, logo, left + inner - logo.width, top - 2.5 * MM - logo.height)
        heading_width = inner - logo.width - 2 * MM
    canvas.setFillColorRGB(*ACCENT)
    below = _draw(
        canvas,
        fit(forum.title, width=heading_width, size=8, min_size=6, bold=True),
        left,
        top - 2.5 * MM,
    )
    canvas.setFillColorRGB(*MUTED)
    below = _draw(canvas, fit(forum.date, width=heading_width, size=7, min_size=6), left, below)

    # The QR code in the lower right corner, its code printed under it for typing by hand.
    qr_x = x + BADGE_WIDTH - BADGE_PADDING - QR_SIZE
    qr_y = y + BADGE_PADDING + 3 * MM
    draw_qr(canvas, qr_matrix(holder.checkin_code), qr_x, qr_y, QR_SIZE)
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont("Courier", 5.5)
    canvas.drawCentredString(qr_x + QR_SIZE / 2, y + BADGE_PADDING, holder.checkin_code)

    beside_qr = inner - QR_SIZE - 3 * MM
    qr_top = qr_y + QR_SIZE + 1 * MM

    def fitted(text: str, top: float, sizes: dict[str, Any]) -> _Text:
        """`text` across the badge if it ends above the QR code; otherwise beside it, but for
        the lines that are above it."""
        whole_width = fit(text, width=inner, **sizes)
        if top - whole_width.height >= qr_top:
            return whole_width
        above = max(0, int((top - qr_top) // (sizes["min_size"] * 1.2)))
        return fit(text, width=beside_qr, **sizes, wider_first=(above, inner))

    def identity(name_top: float, smaller: int) -> list[_Block]:
        """The name, company and country, each with the gap above it and its colour, set
        `smaller` steps (of a sixth) under their minimum sizes."""
        parts = [
            (holder.name, BADGE_NAME, 0.0, INK),
            (holder.company, BADGE_COMPANY, 1 * MM, INK),
            (holder.country, BADGE_COUNTRY, 0.0, MUTED),
        ]
        blocks: list[_Block] = []
        below = name_top
        for text, layout, gap, colour in parts:
            if text:
                minimum = layout["min_size"] * (1 - smaller / 6)
                minimum = max(LAST_RESORT_SIZE, round(minimum * 2) / 2)
                block = fitted(text, below - gap, {**layout, "min_size": minimum})
                blocks.append((block, gap, colour))
                below -= gap + block.height
        return blocks

    # Under the forum's heading, however many lines a long title takes.
    below = min(top - 11 * MM, below - 1 * MM)
    # Past what a badge holds at the minimum sizes (a name and a company of some 250 letters
    # together), smaller still rather than cut or printed over the next badge.
    for smaller in range(LAST_RESORT_STEPS + 1):
        blocks = identity(below, smaller)
        if below - sum(gap + block.height for block, gap, _ in blocks) >= y + BADGE_PADDING:
            break
    for block, gap, colour in blocks:
        canvas.setFillColorRGB(*colour)
        below = _draw(canvas, block, left, below - gap)
    canvas.setFillColorRGB(*INK)
    below -= 1.5 * MM
    room = below - (y + BADGE_PADDING)
    workshops = [fit(w, width=beside_qr, size=7, min_size=7) for w in holder.workshops]
    more_height = 7 * 1.2
    shown = 0
    for number, workshop in enumerate(workshops):
        last = number == len(workshops) - 1
        if workshop.height + (0 if last else more_height) > room:
            break
        below = _draw(canvas, workshop, left, below)
        room -= workshop.height
        shown += 1
    if shown < len(workshops) and room >= more_height:
        more = _("and %(count)s more") % {"count": len(workshops) - shown}
        _draw(canvas, fit(more, width=beside_qr, size=7, min_size=7), left, below)


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
    letterhead: Letterhead | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """Badges on A4 sheets of eight with cut marks (`sheets`), or one badge-sized page each,
    with the logo of `letterhead` if it has one."""
    buffer = BytesIO()
    pagesize = (A4_WIDTH, A4_HEIGHT) if sheets else (BADGE_WIDTH, BADGE_HEIGHT)
    canvas = _new_canvas(buffer, pagesize, _("Badges · %(forum)s") % {"forum": forum.title})
    logo = (
        image_form(canvas, letterhead.logo, "logo", width=BADGE_LOGO[0], height=BADGE_LOGO[1])
        if letterhead
        else None
    )
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
        _badge(canvas, forum, holder, x, y, logo)
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
    letterhead: Letterhead,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """One A4 landscape page per person who attended, each in that person's language, with the
    association's logo in the top left corner and, under the signature line (and its signature
    image), the signatory's name and title and the association that issues it."""
    width, height = A4_HEIGHT, A4_WIDTH
    buffer = BytesIO()
    canvas = _new_canvas(
        buffer,
        (width, height),
        _("Certificates of attendance · %(forum)s") % {"forum": forum.title},
    )
    # Each image once in the file, placed on every page.
    logo = image_form(canvas, letterhead.logo, "logo", width=45 * MM, height=18 * MM)
    signature = image_form(
        canvas,
        letterhead.signature,
        "signature",
        width=CERTIFICATE_LINE_WIDTH - 20 * MM,
        height=14 * MM,
    )
    done = 0
    for done, holder in enumerate(holders, start=1):
        if done > 1:
            canvas.showPage()
        with translation.override(holder.language) if holder.language else nullcontext():
            _certificate_page(
                canvas,
                holder.forum or forum,
                holder,
                letterhead=letterhead,
                logo=logo,
                signature=signature,
            )
        if on_progress and done % PROGRESS_EVERY == 0:
            on_progress(done)
    if done == 0:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(25 * MM, height - 30 * MM, _("Nobody has attended yet."))
    canvas.save()
    if on_progress:
        on_progress(done)
    return buffer.getvalue()


CERTIFICATE_LINE_WIDTH = 80 * MM


def _certificate_page(
    canvas: Any,
    forum: ForumHeading,
    holder: CertificateHolder,
    *,
    letterhead: Letterhead,
    logo: Placed | None,
    signature: Placed | None,
) -> None:
    """One person's certificate, in the active language."""
    width, height = A4_HEIGHT, A4_WIDTH
    margin = 25 * MM
    inner = width - 2 * margin
    line_width = CERTIFICATE_LINE_WIDTH

    def centred(text: str | _Text, top: float, colour: tuple[float, ...] = INK, **size: Any):
        """Text across the page, each line centred; returns its bottom."""
        canvas.setFillColorRGB(*colour)
        fitted = fit(text, width=inner, **size) if isinstance(text, str) else text
        return _draw(canvas, fitted, margin, top, align="center", width=inner)

    canvas.setStrokeColorRGB(*ACCENT)
    canvas.setLineWidth(2)
    canvas.rect(12 * MM, 12 * MM, width - 24 * MM, height - 24 * MM)
    if logo is not None:
        place_form(canvas, logo, 18 * MM, height - 18 * MM - logo.height)
    title = _("Certificate of attendance")
    below = centred(title, height - 32 * MM, ACCENT, size=30, min_size=18, bold=True)
    below = centred(_("This is to certify that"), below - 8 * MM, MUTED, size=13, min_size=10)
    below = centred(holder.name, below - 4 * MM, **CERTIFICATE_NAME)
    if holder.company:
        below = centred(holder.company, below - 1 * MM, **CERTIFICATE_COMPANY)
    wording = forum.certificate_wording or _("attended")
    below = centred(wording, below - 5 * MM, MUTED, size=13, min_size=10)
    below = centred(forum.title, below - 2 * MM, size=20, min_size=12, bold=True)
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
            named = fit(workshop.title, width=inner, size=12, min_size=9, bold=True)
            leaders = fit(
                _("with %(leaders)s") % {"leaders": "; ".join(workshop.leaders)},
                width=inner,
                size=10,
                min_size=8,
            )
            # 12 mm kept for one line of each; more for titles or leaders that wrap.
            needed = 1.5 * MM + named.height + (leaders.height if workshop.leaders else 0)
            if below - max(12 * MM, needed) < floor:
                more = _("and %(count)s more") % {"count": len(holder.workshops) - number}
                centred(more, below, size=10, min_size=10)
                break
            below = centred(named, below - 1.5 * MM)
            if workshop.leaders:
                below = centred(leaders, below, MUTED)
    # The signature line, bottom right, the signature on it and who signs under it.
    line_x = width - margin - line_width
    if signature is not None:
        place_form(canvas, signature, line_x + (line_width - signature.width) / 2, 34.5 * MM)
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.6)
    canvas.line(line_x, 34 * MM, line_x + line_width, 34 * MM)
    below = 32 * MM
    signed = [
        (letterhead.signatory_name, INK, {"size": 10, "min_size": 8, "bold": True}),
        (letterhead.signatory_title, MUTED, {"size": 9, "min_size": 7}),
        (
            _("For the secretariat, %(issuer)s") % {"issuer": letterhead.organisation},
            MUTED,
            {"size": 9, "min_size": 7},
        ),
    ]
    for text, colour, sizes in signed:
        if text:
            canvas.setFillColorRGB(*colour)
            below = _draw(
                canvas,
                fit(text, width=line_width, **sizes),
                line_x,
                below,
                align="center",
                width=line_width,
            )


# A row is this high, or higher when a cell wraps onto more lines.
ROW_HEIGHT = 9 * MM
LIST_TOP = A4_HEIGHT - 30 * MM
LIST_BOTTOM = 18 * MM
CELL_TOP = 2.2 * MM
CELL_BOTTOM = 1.6 * MM
LIST_MARGIN = 14 * MM
# Tick box, surname, name, company, workshops: the left edge of each column from the margin.
# The company has the most room (a long one takes two lines), the workshops' codes the least.
LIST_COLUMNS = (0, 9 * MM, 47 * MM, 83 * MM, 153 * MM)


def checkin_list_pdf(forum: ForumHeading, rows: Sequence[ListRow]) -> bytes:
    """The paper fallback: every row with a tick box, in the order given (alphabetical by
    surname), the forum's title and date and the page number on every page."""
    buffer = BytesIO()
    canvas = _new_canvas(
        buffer, (A4_WIDTH, A4_HEIGHT), _("Check-in list · %(forum)s") % {"forum": forum.title}
    )
    margin = LIST_MARGIN
    columns = [margin + offset for offset in LIST_COLUMNS]
    right = A4_WIDTH - margin
    widths = [b - a - 2 * MM for a, b in zip(columns, [*columns[1:], right], strict=True)]
    heading_width = right - margin - 40 * MM
    title = fit(forum.title, width=heading_width, size=13, min_size=9, bold=True)
    when = fit(f"{forum.date} · {forum.city}", width=heading_width, size=9, min_size=7)
    # Under the forum's heading, however many lines a long title takes.
    when_top = min(A4_HEIGHT - 18 * MM, A4_HEIGHT - 12 * MM - title.height)
    list_top = min(LIST_TOP, when_top - when.height - 6 * MM)
    # Each row's cells fitted first, so the rows can be shared out over pages and every page
    # can say how many there are.
    fitted = []
    for row in rows:
        values = ["", row.last_name, row.first_name, row.company, row.workshops]
        cells = [
            fit(value, width=width, **LIST_CELL) if value else None
            for width, value in zip(widths, values, strict=True)
        ]
        height = max([ROW_HEIGHT] + [CELL_TOP + c.height + CELL_BOTTOM for c in cells if c])
        fitted.append((cells, height))
    page_rows: list[list[tuple[list[_Text | None], float]]] = [[]]
    room = list_top - LIST_BOTTOM
    for cells, height in fitted:
        if height > room and page_rows[-1]:
            page_rows.append([])
            room = list_top - LIST_BOTTOM
        page_rows[-1].append((cells, height))
        room -= height
    pages = len(page_rows)
    headings = ["", _("Surname"), _("Name"), _("Company"), _("Workshops")]
    for page in range(pages):
        if page:
            canvas.showPage()
        canvas.setFillColorRGB(*INK)
        _draw(canvas, title, margin, A4_HEIGHT - 12 * MM)
        canvas.setFillColorRGB(*MUTED)
        _draw(canvas, when, margin, when_top)
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
                    list_top + 5 * MM,
                )
        canvas.setStrokeColorRGB(*MUTED)
        canvas.setLineWidth(0.6)
        canvas.line(margin, list_top, right, list_top)
        y = list_top
        for cells, height in page_rows[page]:
            canvas.setStrokeColorRGB(*INK)
            canvas.setLineWidth(0.8)
            canvas.rect(columns[0], y - 7 * MM, 5 * MM, 5 * MM)
            for left, cell in zip(columns, cells, strict=True):
                if cell:
                    _draw(canvas, cell, left, y - CELL_TOP)
            y -= height
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
                list_top - 4 * MM,
            )
    canvas.save()
    return buffer.getvalue()
