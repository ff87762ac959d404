"""Hostile spreadsheets: how long reading each takes and how much memory it uses before it is
refused (or read). Prints figures; never passes or fails.

    .venv/bin/python bench/spreadsheet_bombs.py

Each file is built once into var/bombs/ (the 4 GB zip bombs take a minute), then read by
`read_table` with the import's limits in a process of its own, which reports its wall time and
its peak resident memory (getrusage), both for the read alone: the process's memory before the
read (Python, Django settings, the file's bytes) is printed apart."""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

GB = 1024**3
MB = 1024**2


def _bombs():
    from tests.registrations import bombs

    def garbage(elements: int) -> bytes:
        # Empty elements of a kind no list has, inside a row: parsed, counted, and ignored.
        return bombs.workbook([b'<row r="2">', *([b"<x/>" * 1000] * (elements // 1000)), b"</row>"])

    def large_list(columns: int) -> bytes:
        # 20,000 rows (the limit) of different texts: what a legitimate list costs at most.
        header = b'<row r="1">' + b"".join(
            b'<c r="%s1" t="inlineStr"><is><t>c%d</t></is></c>' % (_letters(n).encode(), n)
            for n in range(columns)
        )
        rows = (
            b'<row r="%d">' % r
            + b"".join(
                b'<c r="%s%d" t="s"><v>%d</v></c>'
                % (_letters(n).encode(), r, (r - 2) * columns + n)
                for n in range(columns)
            )
            + b"</row>"
            for r in range(2, 20_002)
        )
        strings = (b"<si><t>text %d</t></si>" % n for n in range(20_000 * columns))
        return bombs.workbook(rows, header=header + b"</row>", shared_strings=strings)

    def cp1252_text() -> bytes:
        # 20,000 rows (the limit) with accents on every line, in a legacy encoding.
        line = "Jürgen,Müller,jurgen@example.com," + "Société Générale Café Größe " * 15 + "\r\n"
        return ("first_name,last_name,email,company\r\n" + line * 20_000).encode("cp1252")

    return {
        "xlsx unpacking to 4 GB (zip bomb)": ("xlsx", lambda: bombs.unpacks_to(4 * GB)),
        "xlsx of 4 GB declaring 1 KB (lying header)": (
            "xlsx",
            lambda: bombs.declaring(bombs.unpacks_to(4 * GB), bombs.SHEET, 1024),
        ),
        "xlsx with 1,000,000 rows": ("xlsx", lambda: bombs.many_rows(1_000_000)),
        "xlsx with a cell of 1,000,000 characters": ("xlsx", lambda: bombs.long_cell(1_000_000)),
        "xlsx with a value in column XFD": ("xlsx", lambda: bombs.value_in_column("XFD")),
        "xlsx with 1,100,000 shared strings": (
            "xlsx",
            lambda: bombs.many_shared_strings(1_100_000),
        ),
        "xlsx with 2,000,000 cell formats": ("xlsx", lambda: bombs.many_cell_formats(2_000_000)),
        "xlsx with 80,000 files inside": ("xlsx", lambda: bombs.many_parts(80_000)),
        "xlsx with 12,000,000 empty elements": ("xlsx", lambda: garbage(12_000_000)),
        "xlsx with 4,000,000 empty elements (within limits)": ("xlsx", lambda: garbage(4_000_000)),
        "xlsx of 20,000 rows x 25 texts (accepted)": ("xlsx", lambda: large_list(25)),
        "csv of 12 MB (over the size limit)": ("csv", lambda: bombs.csv_rows(800_000)),
        "csv with 600,000 rows (9 MB)": ("csv", lambda: bombs.csv_rows(600_000)),
        "csv with a cell of 1,000,000 characters": ("csv", lambda: bombs.csv_long_cell(1_000_000)),
        "csv with 1,000,000 columns": ("csv", lambda: bombs.csv_wide_row(1_000_000)),
        # Texts that a separator sniffer reading a sample of the file takes long over: the
        # standard library's csv.Sniffer on '",' (15 s for 64 KB), clevercsv on "a." (3 s for
        # 8 KB). The separator is taken from the header row instead (docs/spreadsheets.md).
        "csv whose first line is '\",' x 500,000": ("csv", lambda: b'",' * 500_000 + b"\r\n"),
        "csv whose first line is 'a.' x 500,000": ("csv", lambda: b"a." * 500_000 + b"\r\n"),
        "csv of 20,000 rows, 9 MB in Windows-1252 (accepted)": ("csv", cp1252_text),
    }


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _path(folder: Path, name: str, extension: str) -> Path:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return folder / f"{slug}.{extension}"


def build(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (extension, make) in _bombs().items():
        path = _path(folder, name, extension)
        if not path.exists():
            started = time.perf_counter()
            path.write_bytes(make())
            print(f"built {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def measure(path: Path) -> None:
    """Runs in a process of its own: read one file, print seconds, memory and the outcome."""
    import django

    django.setup()
    from django.conf import settings

    from registrations.spreadsheets import Limits, SpreadsheetError, read_table

    data = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    try:
        table = read_table(
            data,
            filename=path.name,
            max_bytes=settings.MAX_UPLOAD_BYTES,
            limits=Limits.from_settings(),
        )
        outcome = f"read {len(table.rows):,} rows"
    except SpreadsheetError as error:
        outcome = f"refused: {str(error)[:90]}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.2f}\t{peak:.0f}\t{before:.0f}\t{outcome}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, default=ROOT / "var" / "bombs")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    build(args.folder)
    print(f"{'file':<52} {'size':>9} {'seconds':>8} {'peak MB':>8} {'before':>7}  outcome")
    for name, (extension, _) in _bombs().items():
        path = _path(args.folder, name, extension)
        result = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        seconds, peak, before, outcome = result.stdout.strip().split("\t")
        size = f"{path.stat().st_size / MB:.2f} MB"
        print(f"{name:<52} {size:>9} {seconds:>8} {peak:>8} {before:>7}  {outcome}")


if __name__ == "__main__":
    main()
