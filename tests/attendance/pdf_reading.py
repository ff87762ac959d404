"""Reading a PDF back as a person would: its text (poppler's pdftotext, which reads the
/ActualText of shaped runs), its pages as pictures (pdftoppm), the QR codes on them (zbarimg),
and the QR modules drawn on each page (parsed from the content stream with pypdf)."""

import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

import pypdf

TOOLS = {"pdftotext": "poppler-utils", "pdftoppm": "poppler-utils", "zbarimg": "zbar-tools"}
# pdftotext writes a right-to-left line reversed, between these two marks.
RTL_START, RTL_END = "\u202b", "\u202c"


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is needed to read PDFs back: apt-get install {TOOLS[name]} (make fonts)"
    return path


def pdf_lines(content: bytes, page: int | None = None) -> list[str]:
    """The text lines of the PDF (or of one page, from 1), blank lines left out, right-to-left
    lines put back in logical order."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(content)
        pages = ["-f", str(page), "-l", str(page)] if page else []
        text = subprocess.run(
            [_tool("pdftotext"), *pages, str(source), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return text_lines(text)


def text_lines(text: str) -> list[str]:
    """pdftotext's output as lines: blank ones left out, right-to-left ones put back in
    logical order."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(RTL_START):
            line = line.strip(RTL_START + RTL_END)[::-1]
        if line:
            lines.append(line)
    return lines


def page_count(content: bytes) -> int:
    return len(pypdf.PdfReader(BytesIO(content)).pages)


def page_sizes_mm(content: bytes) -> list[tuple[float, float]]:
    return [
        (
            round(float(p.mediabox.width) * 25.4 / 72, 1),
            round(float(p.mediabox.height) * 25.4 / 72, 1),
        )
        for p in pypdf.PdfReader(BytesIO(content)).pages
    ]


def decoded_qr_codes(content: bytes, page: int = 1) -> list[str]:
    """The QR codes a barcode reader finds on a page printed at 150 dpi."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(content)
        subprocess.run(
            [
                _tool("pdftoppm"),
                "-png",
                "-r",
                "150",
                "-f",
                str(page),
                "-l",
                str(page),
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        picture = next(Path(folder).glob("page*.png"))
        found = subprocess.run(
            [_tool("zbarimg"), "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(picture)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    return sorted(line for line in found.splitlines() if line)


def drawn_qr_matrices(content: bytes, page: int = 1) -> list[tuple[tuple[int, ...], ...]]:
    """The QR codes drawn on a page, rebuilt from their rectangles: each is a path of `re`
    operations in module units (after a scaling `cm`), filled with `f`."""
    reader = pypdf.PdfReader(BytesIO(content))
    operations = pypdf.generic.ContentStream(
        reader.pages[page - 1].get_contents(), reader
    ).operations
    matrices = []
    rects: list[tuple[int, int, int, int]] = []
    for operands, operator in operations:
        if operator == b"re":
            rects.append(tuple(int(float(v)) for v in operands))  # type: ignore[arg-type]
        elif operator in (b"f", b"f*") and rects:
            if all(h == 1 for _, _, _, h in rects):
                size = 1 + max(y for _, y, _, _ in rects)
                size = max(size, max(x + w for x, _, w, _ in rects))
                grid = [[0] * size for _ in range(size)]
                for x, y, width, _ in rects:
                    for column in range(x, x + width):
                        grid[size - 1 - y][column] = 1
                matrices.append(tuple(tuple(row) for row in grid))
            rects = []
        elif operator in (b"S", b"n", b"B"):
            rects = []
    return matrices


def page_picture(content: bytes, page: int = 1, dpi: int = 72):
    """A page as poppler prints it, as a Pillow image in RGB (at 72 dpi a pixel is a point)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(content)
        subprocess.run(
            [_tool("pdftoppm"), "-png", "-r", str(dpi), "-f", str(page), "-l", str(page)]
            + [str(source), str(Path(folder) / "page")],
            check=True,
        )
        with Image.open(next(Path(folder).glob("page*.png"))) as picture:
            return picture.convert("RGB")
