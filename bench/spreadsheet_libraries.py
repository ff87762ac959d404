"""The reader of uploaded lists against the libraries that could do parts of its work: separator
sniffing (csv.Sniffer, clevercsv), garbled-text detection (ftfy, against the regular expression
used before it) and workbook reading (openpyxl, tablib). Prints figures; never passes or fails.

    .venv/bin/python bench/spreadsheet_bombs.py        # builds the hostile files in var/bombs/
    .venv/bin/pip install clevercsv                    # optional: without it, it is left out
    .venv/bin/python bench/spreadsheet_libraries.py

Each workbook is read in a process of its own, limited to 120 s and 3 GB of address space, as
bench/spreadsheet_bombs.py does; the libraries get the same checks of the archive (number of
parts, unpacked size) and the same row, column and cell limits, so only the reading differs.
The conclusions are in docs/spreadsheets.md."""

import argparse
import csv
import glob
import io
import os
import re
import resource
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SAMPLE = 8192  # what a sniffer is shown of a hostile file; 64 KB takes minutes with clevercsv

# ---------------------------------------------------------------------------- separators

HEADER = "first_name,last_name,email,company,country,job_title,workshops\n"
SEPARATORS = [
    (",", HEADER + "".join(f"Ana{i},Ruiz,a{i}@x.com,Foo {i},MX,CEO,A1;B1\n" for i in range(10))),
    (
        ",",
        HEADER
        + "".join(f"Ana{i},Ruiz,a{i}@x.com,Foo,MX,CEO,{i % 2 and 'A1;B1'}\n" for i in range(9)),
    ),
    (";", "name;company;fee\n" + "".join(f"Ana{i};Azúcar {i};12,50\n" for i in range(10))),
    (";", "name;city\n" + "".join(f"Ana{i};Madrid, ES\n" for i in range(10))),
    (";", '"name";"company"\n' + "".join(f'"Ana{i}";"Foo, Bar {i}"\n' for i in range(5))),
    (",", "name,company\n" + "".join(f'Ana{i},"Foo, Bar {i} Ltd"\n' for i in range(5))),
    ("\t", "name\tcompany\n" + "".join(f"Ana{i}\tFoo, Bar & Co\n" for i in range(5))),
    (",", "email\n" + "".join(f"a{i}@example.com\n" for i in range(5))),
    (",", "first_name,last_name,email\n"),
    (";", "name;company;amount\nAna;Azúcar SA;1,5\n"),
    (",", "a,b,c,d\n1,2\n3,4,5,6,,,\n7\n"),
    (",", 'name,address\n"Dupont, Jean","1 rue X\n75001 Paris"\nAna,Madrid\n'),
    (";", "name;company\nRobert 'Bob' Smith;Foo\nAna;Bar\n"),
    (",", "name,company\nSean O'Brien,Foo's\nAna D'Souza,'Bar' Foods\n"),
    # Rows shorter than the header, as programs that leave out trailing empty cells write them.
    (";", "first_name;company;workshops\nAna;Foo\nBo;Bar, Baz and Co;A1\nCy\n"),
    ("\t", "name\tcompany\tnote\nAna\tFoo\nBo\tBar, Inc\tlate, early\n"),
    # A comma inside a column name: counting the header row alone gets this wrong.
    (";", "name;fee (EUR, incl. VAT)\nAna;12,50\nBo;13,00\n"),
]
HOSTILE_FIRST_LINES = {
    "'\",' repeated": '",' * 500_000,
    "'a.' repeated": "a." * 500_000,
    "letters only": "a" * 1_000_000,
}


def _sniffers():
    from registrations.spreadsheets import _sniff_delimiter

    def stdlib(text: str) -> str:
        try:
            return csv.Sniffer().sniff(text[:SAMPLE], delimiters=",;\t").delimiter
        except csv.Error:
            return ","

    sniffers = {"own (header row)": _sniff_delimiter, "csv.Sniffer": stdlib}
    try:
        import clevercsv
    except ImportError:
        return sniffers

    def clever(text: str) -> str:
        dialect = clevercsv.Detector().detect(text[:SAMPLE], delimiters=[",", ";", "\t"])
        return dialect.delimiter if dialect and dialect.delimiter else ","

    sniffers["clevercsv"] = clever
    return sniffers


def separators() -> None:
    print(
        f"Separators: {len(SEPARATORS)} lists, and three hostile first lines of 1 MB "
        f"(libraries shown the first {SAMPLE:,} characters)"
    )
    print(f"{'sniffer':<18} {'right':>6} " + " ".join(f"{n:>15}" for n in HOSTILE_FIRST_LINES))
    for name, sniff in _sniffers().items():
        right = sum(sniff(text) == expected for expected, text in SEPARATORS)
        seconds = []
        for text in HOSTILE_FIRST_LINES.values():
            started = time.perf_counter()
            sniff(text)
            seconds.append(f"{time.perf_counter() - started:.3f} s")
        print(f"{name:<18} {right:>3}/{len(SEPARATORS)} " + " ".join(f"{s:>15}" for s in seconds))


# ------------------------------------------------------------------------ garbled text


def _garble(text: str, codec: str = "cp1252") -> str:
    return text.encode("utf-8").decode(codec)


GARBLED = [
    _garble(word)
    for word in ["Nestlé", "Müller", "Société Générale", "don’t", "São Paulo", "à la carte"]
    + ["Ångström", "Ørsted", "Ferrero – Alba", "Wrocław", "Привет", "Şahin", "Nguyễn"]
] + [_garble(_garble("Nestlé")), _garble("Nestlé", "mac_roman"), _garble("Müller", "mac_roman")]
GARBLED.append(_garble("Čapek", "cp1250"))

# The check used before ftfy: "Ã" or "Â" followed by a character of the 0x80-0xBF range, or "â€".
_CONTINUATION = "".join(
    bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(0x80, 0xC0)
)
PREVIOUS = re.compile("[ÂÃ][" + re.escape(_CONTINUATION) + "]|â€")


def _translations() -> list[str]:
    """Every translated message of the installed packages: legitimate text in ~100 languages."""
    texts = set()
    pattern = os.path.join(sysconfig.get_paths()["purelib"], "**", "LC_MESSAGES", "*.po")
    for path in glob.glob(pattern, recursive=True):
        with open(path, encoding="utf-8", errors="ignore") as lines:
            texts.update(
                line[8:-2] for line in lines if line.startswith('msgstr "') and len(line) > 10
            )
    return sorted(texts)


def garbling() -> None:
    from ftfy.badness import is_bad

    translations = _translations()
    row = ["Jürgen", "Müller", "jurgen@example.com", "Société Générale Café Größe " * 15]
    cells = [cell for cell in row * 20_000 if not cell.isascii()]
    print(
        f"\nGarbled text: {len(GARBLED)} garbled names, {len(translations):,} translated "
        f"messages that must pass, and the {len(cells):,} non-ASCII cells of the 20,000-row "
        "Windows-1252 list of spreadsheet_bombs.py"
    )
    print(f"{'detector':<24} {'caught':>7} {'false alarms':>13} {'seconds':>8}")
    for name, bad in (("own regular expression", PREVIOUS.search), ("ftfy.badness.is_bad", is_bad)):
        caught = sum(bool(bad(text)) for text in GARBLED)
        false = sum(bool(bad(text)) for text in translations)
        started = time.perf_counter()
        for cell in cells:
            bad(cell)
        seconds = time.perf_counter() - started
        print(f"{name:<24} {caught:>4}/{len(GARBLED)} {false:>13} {seconds:>8.2f}")


# -------------------------------------------------------------------------- workbooks


def _read_with(library: str, data: bytes, name: str):
    from registrations import spreadsheets as s

    limits = s.Limits.from_settings()
    if library == "own (streaming)":
        return s.read_table(data, filename=name, limits=limits)
    parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    if len(parts) > limits.max_parts or sum(p.file_size for p in parts) > limits.max_unpacked_bytes:
        raise s.SpreadsheetError("refused before reading: parts or unpacked size")
    if library == "openpyxl":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = sheet.iter_rows(values_only=True)
    else:
        import tablib

        rows = tablib.Dataset().load(io.BytesIO(data), format="xlsx", headers=False)
    records = ((n, [s._cell_text(value) for value in row]) for n, row in enumerate(rows, 1))
    return s._build_table(records, encoding="utf-8", file_format="xlsx", limits=limits)


def measure(library: str, path: Path) -> None:
    import django

    django.setup()
    from registrations.spreadsheets import SpreadsheetError

    data = path.read_bytes()
    started = time.perf_counter()
    try:
        outcome = f"read {len(_read_with(library, data, path.name).rows):,} rows"
    except SpreadsheetError as error:
        outcome = f"refused: {str(error)[:50]}"
    except Exception as error:  # what the library raises is what the uploader would meet
        outcome = f"{type(error).__name__}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{time.perf_counter() - started:.2f}\t{peak:.0f}\t{outcome}")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


def workbooks(folder: Path) -> None:
    paths = sorted(folder.glob("*.xlsx"))
    if not paths:
        print(f"\nWorkbooks: none in {folder}; run bench/spreadsheet_bombs.py first.")
        return
    print("\nWorkbooks (seconds, peak MB, outcome)")
    for path in paths:
        print(path.name)
        for library in ("own (streaming)", "openpyxl", "tablib"):
            try:
                result = subprocess.run(
                    [sys.executable, __file__, "--measure", library, str(path)],
                    capture_output=True,
                    text=True,
                    timeout=120,
                    preexec_fn=_limit_memory,
                )
                seconds, peak, outcome = (result.stdout.strip().split("\t") + ["", ""])[:3]
                if result.returncode:
                    outcome = result.stderr.strip().splitlines()[-1][:60]
            except subprocess.TimeoutExpired:
                seconds, peak, outcome = ">120", "", "stopped after 120 s"
            print(f"    {library:<16} {seconds:>6} {peak:>6}  {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, default=ROOT / "var" / "bombs")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]))
        return
    import django

    django.setup()
    separators()
    garbling()
    workbooks(args.folder)


if __name__ == "__main__":
    main()
