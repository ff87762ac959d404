"""Long names and companies, and names no font has, read back whole from badges, certificates
and the check-in list: wrapped onto more lines, never cut, never set smaller than the minimum;
an emoji-only name printed, never blank."""

import subprocess
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from django.utils import timezone
from PIL import Image

from attendance import documents, fonts, pdf
from attendance.models import CheckIn
from tests.attendance.pdf_reading import (
    _tool,
    decoded_qr_codes,
    page_count,
    text_lines,
)

MALAYSIAN = (
    "Kilang Pemprosesan Minyak Sawit dan Penapisan Bersepadu Semenanjung Malaysia Timur Sdn Bhd"
)
# First name, last name: longer than two lines of a badge at its old minimum size.
LONG_LATIN = (
    "Maximiliana Alexandrina Josefina Theresia",
    "von Hohenzollern-Sigmaringen-Wittelsbach",
)
LONG_DEVANAGARI = (
    "राजेन्द्रप्रसाद श्रीनिवासन वेंकटेश्वर",
    "चन्द्रशेखर सुब्रह्मण्यम अय्यर रामस्वामी",
)
LONG_THAI = ("สมชายประเสริฐวงศ์ศักดิ์ชัย", "ศรีสุวรรณภูมิพิทักษ์")
LONG_WORKSHOP = (
    "Grievance mechanisms: building, operating and learning from channels that workers, "
    "communities, smallholders and suppliers trust, in palm oil, sugar and cocoa supply chains"
)


@dataclass(frozen=True)
class Drawn:
    text: str  # as the font's /ToUnicode decodes it: garbled for shaped scripts
    font: str
    size: float


def drawn_text(content: bytes, page: int = 1) -> list[Drawn]:
    """Every piece of text drawn on a page, with its font and size, from the content stream."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            base = str(font.get("/BaseFont", "")).split("+")[-1] if font else ""
            found.append(Drawn(text.strip(), base, size * tm[0]))

    pypdf.PdfReader(BytesIO(content)).pages[page - 1].extract_text(visitor_text=visit)
    return found


def font_sizes(content: bytes, page: int = 1) -> list[tuple[str, float]]:
    """(font, size) of every text drawn on a page, in the order drawn: read from the content
    stream's Tf operators, for text that pypdf cannot decode (emoji)."""
    reader = pypdf.PdfReader(BytesIO(content))
    resources = reader.pages[page - 1]["/Resources"]["/Font"]
    operations = pypdf.generic.ContentStream(reader.pages[page - 1].get_contents(), reader)
    return [
        (str(resources[operands[0]]["/BaseFont"]).split("+")[-1], float(operands[1]))
        for operands, operator in operations.operations
        if operator == b"Tf"
    ]


def lines_in(content: bytes, *, x: float, top: float, width: float, height: float, page=1):
    """The text lines inside a rectangle of the page, in points from its top left, as printed
    (pdftotext -layout: without it, poppler joins a line ending in a hyphen to the next and
    drops the hyphen), right-to-left lines in logical order."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(content)
        crop = {"-x": x, "-y": top, "-W": width, "-H": height}
        text = subprocess.run(
            [
                _tool("pdftotext"),
                *("-layout", "-f", str(page), "-l", str(page), "-r", "72"),
                *(str(part) for item in crop.items() for part in (item[0], round(item[1]))),
                str(source),
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return text_lines(text)


def badge_lines(content: bytes, place: int, page: int = 1) -> list[str]:
    """The lines of the badge at `place` (0 to 7, across then down) on an A4 sheet."""
    return lines_in(
        content,
        x=(place % 2) * pdf.BADGE_WIDTH,
        top=(place // 2) * pdf.BADGE_HEIGHT,
        width=pdf.BADGE_WIDTH,
        height=pdf.BADGE_HEIGHT,
        page=page,
    )


def joined(lines: list[str]) -> str:
    """Wrapped lines put back together: a space between them, none after a hyphen."""
    text = ""
    for line in lines:
        text += line if not text or text.endswith("-") else f" {line}"
    return text


def ink(content: bytes, *, x: float, top: float, width: float, height: float) -> int:
    """How many dark pixels a rectangle of the first page has, printed at 72 dpi."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(content)
        subprocess.run(
            [
                _tool("pdftoppm"),
                "-png",
                "-r",
                "72",
                "-f",
                "1",
                "-l",
                "1",
                str(source),
                f"{folder}/p",
            ],
            check=True,
        )
        picture = Image.open(next(Path(folder).glob("p*.png"))).convert("L")
    box = picture.crop((round(x), round(top), round(x + width), round(top + height)))
    return sum(box.histogram()[:128])


# The name's first line on a badge-sized page: under the forum's heading, above the company.
NAME_BOX = {"x": pdf.BADGE_PADDING, "top": 17 * pdf.MM, "width": 60 * pdf.MM, "height": 9 * pdf.MM}


def check_in(registration):
    return CheckIn.objects.create(
        registration=registration,
        checked_in_at=timezone.now(),
        nonce=f"n-{registration.pk}",
        source="scan",
    )


# --- badges -------------------------------------------------------------------------------------


def test_badge_long_malaysian_company_reads_back_whole_at_9_pt(forum, register):
    register(forum, first_name="Siti", last_name="Rahman", company_name=MALAYSIAN)

    content = documents.badges(forum)

    lines = badge_lines(content, place=0)
    name, country = lines.index("Siti Rahman"), lines.index("Malaysia")
    company = lines[name + 1 : country]
    assert joined(company) == MALAYSIAN
    assert len(company) == 2
    drawn = [(d.text, d.size) for d in drawn_text(content) if d.text in company]
    assert drawn == [(line, 9.0) for line in company]


@pytest.mark.parametrize(
    ("first", "last", "font"),
    [
        (*LONG_LATIN, "NotoSans-Bold"),
        (*LONG_DEVANAGARI, "NotoSansDevanagari-Bold"),
        (*LONG_THAI, "NotoSansThai-Bold"),
    ],
    ids=["latin", "devanagari", "thai"],
)
def test_badge_long_name_reads_back_whole_never_under_14_pt(forum, register, first, last, font):
    register(forum, first_name=first, last_name=last, company_name="Thai Union")

    content = documents.badges(forum)

    lines = badge_lines(content, place=0)
    assert lines[:2] == ["Responsible Sourcing Forum Kuala Lumpur", "11 March 2036"]
    name = lines[2 : lines.index("Thai Union")]
    assert joined(name) == f"{first} {last}"
    assert len(name) in (2, 3)
    sizes = [d.size for d in drawn_text(content) if d.font == font and d.text != "Responsible"]
    name_sizes = [size for size in sizes if size > 8]  # the forum's title is bold too, at 8 pt
    assert name_sizes and min(name_sizes) == 14.0


def test_badge_ordinary_name_and_company_keep_their_full_size(forum, register):
    register(forum, first_name="Siti", last_name="Rahman", company_name="Kilang Sawit Maju Sdn Bhd")

    content = documents.badges(forum)

    assert badge_lines(content, place=0)[2:5] == [
        "Siti Rahman",
        "Kilang Sawit Maju Sdn Bhd",
        "Malaysia",
    ]
    sizes = {d.text: d.size for d in drawn_text(content)}
    assert (sizes["Siti Rahman"], sizes["Kilang Sawit Maju Sdn Bhd"]) == (22.0, 12.0)


def test_badge_long_name_and_company_leave_the_qr_code_clear(forum, register):
    first, last = LONG_LATIN
    registration = register(forum, first_name=first, last_name=last, company_name=MALAYSIAN)

    content = documents.badge(registration.registration)

    # Nothing printed over the QR code's square, which still decodes.
    qr_x = pdf.BADGE_WIDTH - pdf.BADGE_PADDING - pdf.QR_SIZE
    qr_top = pdf.BADGE_HEIGHT - pdf.BADGE_PADDING - 3 * pdf.MM - pdf.QR_SIZE
    assert lines_in(content, x=qr_x, top=qr_top, width=pdf.QR_SIZE, height=pdf.QR_SIZE) == []
    assert decoded_qr_codes(content) == [registration.registration.checkin_code]
    lines = lines_in(content, x=0, top=0, width=pdf.BADGE_WIDTH, height=pdf.BADGE_HEIGHT)
    assert joined(lines[2:-2]) == f"{first} {last} {MALAYSIAN}"
    assert lines[-2:] == ["Malaysia", registration.registration.checkin_code]
    # Both long, and still at their minimum sizes, not under.
    drawn = drawn_text(content)
    assert {d.size for d in drawn if d.font == "NotoSans-Bold" and d.size > 8} == {14.0}
    company = [d for d in drawn if d.font == "NotoSans-Regular" and d.text != "Malaysia"]
    assert joined([d.text for d in company[1:]]) == MALAYSIAN  # after the date
    assert {d.size for d in company[1:]} == {9.0}


def test_badge_name_and_company_as_long_as_the_fields_allow_stay_whole_and_on_their_badge(
    forum, register
):
    # As long as the fields allow: 100 letters for each name, 200 for the company.
    first = (
        "Maximiliana Alexandrina Josefina Theresia Wilhelmina Augusta Carolina Friederike "
        "Luise Adelheid Rosa"
    )
    last = (
        "von Hohenzollern-Sigmaringen-Wittelsbach und Habsburg-Lothringen zu Sachsen-Coburg "
        "und Gotha-Saalfel"
    )
    company = f"{MALAYSIAN} {MALAYSIAN} Kilang Sawit Indah"
    assert (len(first), len(last), len(company)) == (100, 100, 200)
    register(forum, first_name=first, last_name=last, company_name=company)

    content = documents.badges(forum)

    lines = badge_lines(content, place=0)
    assert joined(lines[2:-2]) == f"{first} {last} {company}"
    assert lines[-2:] == ["Malaysia", lines[-1]]
    # Nothing ran over into the place of the badge under it.
    assert badge_lines(content, place=2) == []
    # Smaller than the minimum only here, and only by as many sixths as it takes.
    sizes = [d.size for d in drawn_text(content) if d.font == "NotoSans-Bold" and d.size > 8]
    assert 14 > min(sizes) >= 14 * (1 - pdf.LAST_RESORT_STEPS / 6)


def test_badge_emoji_only_name_prints_its_emoji_in_the_fallback_font(forum, register):
    registration = register(forum, first_name="🌴🌴", last_name="", company_name="Thai Union")

    content = documents.badge(registration.registration)

    lines = lines_in(content, x=0, top=0, width=pdf.BADGE_WIDTH, height=pdf.BADGE_HEIGHT)
    assert lines[2:4] == ["🌴🌴", "Thai Union"]
    assert [size for font, size in font_sizes(content) if font == "Symbola"] == [22.0]
    assert ink(content, **NAME_BOX) > 50


def test_badge_name_no_font_has_prints_the_substitute(forum, register):
    # Unicode 13 emoji: newer than Symbola (Unicode 9).
    registration = register(forum, first_name="🥲🥲", last_name="", company_name="Thai Union")

    content = documents.badge(registration.registration)

    # The PDF's text is the name as typed; what is drawn is U+FFFD, twice.
    lines = lines_in(content, x=0, top=0, width=pdf.BADGE_WIDTH, height=pdf.BADGE_HEIGHT)
    assert lines[2:4] == ["🥲🥲", "Thai Union"]
    drawn = [(d.text, d.font, d.size) for d in drawn_text(content) if d.size == 22]
    assert drawn == [("\ufffd\ufffd", "NotoSans-Bold", 22.0)]
    assert ink(content, **NAME_BOX) > 50


def test_badge_emoji_only_name_without_the_fallback_font_prints_the_substitute(
    forum, register, monkeypatch
):
    registration = register(forum, first_name="🌴🌴", last_name="", company_name="Thai Union")
    monkeypatch.setattr(fonts, "FAMILIES", tuple(f for f in fonts.FAMILIES if not f.fallback))
    for cached in (fonts.font_paths, fonts.fonts, pdf.fit):
        cached.cache_clear()
    try:
        content = documents.badge(registration.registration)
    finally:
        monkeypatch.undo()
        for cached in (fonts.font_paths, fonts.fonts, pdf.fit):
            cached.cache_clear()

    drawn = [(d.text, d.font, d.size) for d in drawn_text(content) if d.size == 22]
    assert drawn == [("\ufffd\ufffd", "NotoSans-Bold", 22.0)]
    assert ink(content, **NAME_BOX) > 50


# --- certificates and the check-in list ---------------------------------------------------------


def test_certificate_long_name_company_and_workshop_read_back_whole(forum, register, workshop):
    first, last = LONG_DEVANAGARI
    long_workshop = workshop("A1")
    long_workshop.title = LONG_WORKSHOP
    long_workshop.save()
    registration = register(
        forum, first_name=first, last_name=last, company_name=MALAYSIAN
    ).registration
    check_in(registration)
    CheckIn.objects.create(
        registration=registration,
        workshop=long_workshop,
        checked_in_at=timezone.now(),
        nonce="n-workshop",
        source="scan",
    )

    content = documents.certificate(registration)

    lines = lines_in(content, x=0, top=0, width=pdf.A4_HEIGHT, height=pdf.A4_WIDTH)
    assert lines[:2] == ["Certificate of attendance", "This is to certify that"]
    attended = lines.index("attended")
    assert lines[2:attended] == [f"{first} {last}", MALAYSIAN]
    took_part = lines.index("and took part in these workshops:")
    assert joined(lines[took_part + 1 : -1]) == LONG_WORKSHOP
    sizes = [d.size for d in drawn_text(content) if d.font == "NotoSansDevanagari-Bold"]
    assert min(sizes) >= 17


def test_checkin_list_long_names_and_company_wrap_in_their_cells(forum, register):
    # A Thai given name written as one word, wider than its cell even at 7 pt.
    first, last = "สมชายประเสริฐวงศ์ศักดิ์ชัยแสงเพชร", LONG_THAI[1]
    register(forum, first_name=first, last_name=last, company_name=MALAYSIAN)

    content = documents.checkin_list(forum)

    row_top = pdf.A4_HEIGHT - pdf.LIST_TOP
    edges = [pdf.LIST_MARGIN + left for left in pdf.LIST_COLUMNS]

    def cell(column: int) -> list[str]:
        left, right = edges[column], edges[column + 1]
        # Up to the gap before the next column's text.
        return lines_in(content, x=left, top=row_top, width=right - left - pdf.MM, height=60)

    assert cell(1) == [last]
    # One Thai word wider than its cell: broken between two letters, nothing left out.
    assert "".join(cell(2)) == first
    assert len(cell(2)) == 2
    company = cell(3)
    assert joined(company) == MALAYSIAN
    assert len(company) == 2
    sizes = [d.size for d in drawn_text(content) if d.text in company]
    assert sizes == [8.0, 8.0]


@pytest.mark.parametrize(("rows", "pages"), [(23, 1), (24, 2)])
def test_checkin_list_rows_that_wrap_move_the_page_break(forum, register, rows, pages):
    # Each row two lines high (10.6 mm instead of 9): 23 fill a page, 24 do not.
    for number in range(rows):
        register(forum, first_name=f"P{number:02}", last_name="Tan", company_name=MALAYSIAN)

    content = documents.checkin_list(forum)

    footer = {"x": 0, "top": 280 * pdf.MM, "width": pdf.A4_WIDTH, "height": 10 * pdf.MM}
    assert lines_in(content, **footer) == [f"Page 1 of {pages}"]
    assert page_count(content) == pages


LONG_FORUM = (
    "Responsible Sourcing Forum Kuala Lumpur on Palm Oil, Sugar and Cocoa: Migrant Labour, "
    "Grievance Mechanisms and Sustainable Land Use in Supply Chains of South-East Asia"
)


def test_long_forum_title_wraps_above_the_badge_name_and_the_list_headings(forum, register):
    forum.title = LONG_FORUM
    forum.save()
    register(forum, first_name="Siti", last_name="Rahman", company_name="Thai Union")

    badge = badge_lines(documents.badges(forum), place=0)
    listed = lines_in(
        documents.checkin_list(forum), x=0, top=0, width=pdf.A4_WIDTH, height=45 * pdf.MM
    )

    date = badge.index("11 March 2036")
    assert joined(badge[:date]) == LONG_FORUM
    assert badge[date + 1 : date + 3] == ["Siti Rahman", "Thai Union"]
    when = listed.index("11 March 2036 · Kuala Lumpur")
    # The count of registrations stands to the right of the title's first line.
    assert listed[0].endswith("1 registered")
    title = [listed[0].removesuffix("1 registered").strip(), *listed[1:when]]
    assert joined(title) == LONG_FORUM
    assert listed[when + 1].split() == ["Surname", "Name", "Company", "Workshops"]


# --- the fitting itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "width"),
    [
        (pdf.BADGE_NAME, 93 * pdf.MM),
        (pdf.BADGE_COMPANY, 64 * pdf.MM),
        (pdf.CERTIFICATE_NAME, 247 * pdf.MM),
        (pdf.CERTIFICATE_COMPANY, 247 * pdf.MM),
        (pdf.LIST_CELL, 33 * pdf.MM),
    ],
    ids=["badge name", "badge company", "certificate name", "certificate company", "list cell"],
)
@pytest.mark.parametrize(
    "text",
    [
        MALAYSIAN,
        " ".join(LONG_LATIN),
        " ".join(LONG_DEVANAGARI),
        " ".join(LONG_THAI),
        "上海食品有限公司" * 12,
        "شركة الأغذية والمشروبات المتحدة للصناعات الغذائية في المملكة العربية السعودية",
        "X" * 200,
    ],
    ids=["malaysian", "latin", "devanagari", "thai", "cjk", "arabic", "one long word"],
)
def test_fit_keeps_every_character_and_never_goes_under_the_minimum(layout, width, text):
    fitted = pdf.fit(text, width=width, **layout)

    assert fitted.size >= layout["min_size"]
    assert all(fonts.runs_width(line) <= width for line in fitted.lines)
    read = ["".join(run.text for run in _logical(line)) for line in fitted.lines]
    assert "".join(read).replace(" ", "") == text.replace(" ", "")


def _logical(line: list[fonts.Run]) -> list[fonts.Run]:
    """A line's runs in reading order (a right-to-left line's are drawn from the right)."""
    text = "".join(run.text for run in line)
    return line[::-1] if fonts._is_rtl(text) else line


def test_fit_shrinks_to_the_minimum_on_one_line_then_wraps_at_it():
    name = "Maximiliana Alexandrina Hohenzollern"
    at_minimum = fonts.runs_width(fonts.split_runs(name, bold=True, size=14))

    on_one_line = pdf.fit(name, width=at_minimum, **pdf.BADGE_NAME)
    wrapped = pdf.fit(name, width=at_minimum - 0.5, **pdf.BADGE_NAME)

    assert (on_one_line.size, len(on_one_line.lines)) == (14, 1)
    assert (wrapped.size, len(wrapped.lines)) == (14, 2)
    assert ["".join(r.text for r in line) for line in wrapped.lines] == [
        "Maximiliana Alexandrina",
        "Hohenzollern",
    ]


def test_fit_breaks_a_long_word_between_letters_never_inside_a_conjunct_or_a_thai_vowel():
    for word in ("श्रीनिवासनवेंकटेश्वरचन्द्रशेखर", "เสริฐวงศ์ศักดิ์ชัยแสงเพชรไพโรจน์"):
        fitted = pdf.fit(word, width=20 * pdf.MM, size=9, min_size=8)

        lines = ["".join(run.text for run in line) for line in fitted.lines]
        assert len(lines) > 1
        assert "".join(lines) == word
        for before, after in zip(lines, lines[1:], strict=False):
            assert pdf._may_break(before[-1], after[0])
