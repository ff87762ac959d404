"""Read attendance lists from CSV/XLSX uploads and write exports safely.

Used by the attendance-list import (admin upload and management command) and by the
CSV/XLSX exports. Pure Python on purpose (no Django at module level) so it can be tested
and reused without settings.

Every problem with an uploaded file is reported as a :class:`SpreadsheetError` whose message
is written for the person who uploaded the file: it says what is wrong and how to fix it.
The guiding rule for text decoding is *refuse rather than garble*: a name imported as
"NestlÃ©" ends up on badges and certificates, while a refusal costs one re-save as
"CSV UTF-8".

A file is also refused when it holds more than a list can (see :class:`Limits`): a few MB of
.xlsx can unpack to GB, and a CSV can hold a million rows or a cell of a million characters.
Reading stops at the first limit passed, so such a file is refused within seconds and without
much memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import unicodedata
import xml.parsers.expat
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, TypeVar

__all__ = [
    "Limits",
    "Row",
    "SpreadsheetError",
    "Table",
    "escape_formula",
    "escape_row",
    "iter_csv",
    "read_table",
    "write_csv",
    "write_xlsx",
]

SAVE_AS_UTF8 = "Save it as 'CSV UTF-8' from your spreadsheet program and upload it again."
UNRECOGNISED_ENCODING = (
    "The file is not UTF-8 text and its encoding could not be recognised. " + SAVE_AS_UTF8
)
ALLOWED_TYPES = "CSV (.csv, .txt, .tsv) or Excel workbook (.xlsx)"

CSV_EXTENSIONS = frozenset({"csv", "txt", "tsv"})
XLSX_EXTENSIONS = frozenset({"xlsx"})

ZIP_MAGIC = b"PK\x03\x04"
# Old binary Office files (.xls) and password-protected .xlsx files are both OLE2 containers.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SpreadsheetError(ValueError):
    """A problem with an uploaded file, explained in plain English for the uploader.

    The message is meant to be shown as is (admin message, command error): it names the
    problem and says how to fix it.
    """


@dataclass(frozen=True)
class Row:
    """One data row, with the row number a person sees in their spreadsheet program.

    ``number`` is 1-based and counts the header (row 1) and skipped blank rows, so error
    messages like "row 14" point at the right line.
    """

    number: int
    values: dict[str, str]

    def __getitem__(self, header: str) -> str:
        return self.values[header]

    def get(self, header: str, default: str = "") -> str:
        return self.values.get(header, default)


@dataclass(frozen=True)
class Table:
    """The content of an uploaded list.

    ``headers`` are normalised ("First Name" -> "first_name") so importers can match columns
    regardless of how people typed them. Row values are stripped, NFC-normalised strings,
    '' for empty cells; fully blank rows are left out.

    ``encoding`` says how the text was decoded: "utf-8" (with or without BOM), "utf-16",
    "utf-32" or "cp1252" (Windows Western European, guessed; see ``encoding_guessed``).
    Workbooks store text as Unicode, so an .xlsx reports "utf-8".
    """

    headers: list[str]
    rows: list[Row]
    encoding: str
    format: str  # "csv" or "xlsx"
    # The headers as the file writes them ("E-mail"), for messages; one per header, or none.
    labels: list[str] = field(default_factory=list, compare=False)

    def label(self, header: str) -> str:
        """The header as the file writes it."""
        if len(self.labels) == len(self.headers) and header in self.headers:
            return self.labels[self.headers.index(header)]
        return header

    @property
    def encoding_guessed(self) -> bool:
        """True when the encoding was inferred, so the importer can ask to check accents."""
        return self.encoding == "cp1252"


@dataclass(frozen=True)
class Limits:
    """How much an uploaded list may hold; far more than any attendance list. The import reads
    them from Django settings (:meth:`from_settings`)."""

    max_rows: int = 20_000  # rows below the header row (IMPORT_MAX_ROWS)
    max_columns: int = 50  # (IMPORT_MAX_COLUMNS)
    max_cell_chars: int = 1_000  # characters in one cell (IMPORT_MAX_CELL_CHARS)
    # An .xlsx is a zip archive: what its files add up to once unpacked
    # (IMPORT_MAX_UNPACKED_BYTES).
    max_unpacked_bytes: int = 50 * 1024 * 1024
    max_parts: int = 1_000  # files inside an .xlsx archive
    max_cell_formats: int = 64_000  # Excel's own limit

    @classmethod
    def from_settings(cls) -> Limits:
        """The defaults, each replaced by its Django setting when that is set."""
        from django.conf import settings

        defaults = cls()
        return cls(
            max_rows=getattr(settings, "IMPORT_MAX_ROWS", defaults.max_rows),
            max_columns=getattr(settings, "IMPORT_MAX_COLUMNS", defaults.max_columns),
            max_cell_chars=getattr(settings, "IMPORT_MAX_CELL_CHARS", defaults.max_cell_chars),
            max_unpacked_bytes=getattr(
                settings, "IMPORT_MAX_UNPACKED_BYTES", defaults.max_unpacked_bytes
            ),
        )


# --------------------------------------------------------------------------- reading


def check_size(size: int, max_bytes: int | None) -> None:
    """Refuse a file over the limit before reading it (an upload knows its size up front)."""
    if max_bytes is not None and size > max_bytes:
        raise SpreadsheetError(
            f"The file is {_format_size(size, round_up=True)}; the limit is "
            f"{_format_size(max_bytes)}. Split it into smaller files."
        )


def read_table(
    data: bytes, *, filename: str, max_bytes: int | None = None, limits: Limits = Limits()
) -> Table:
    """Read the first sheet of a CSV or XLSX upload into a :class:`Table`.

    The file type is chosen by the extension of ``filename`` (what the user picked), and the
    bytes are checked against it so a mislabelled file gets a helpful message instead of
    garbage. Raises :class:`SpreadsheetError` for anything that cannot be read faithfully, or
    that holds more than ``limits`` allow.
    """
    check_size(len(data), max_bytes)
    name = re.split(r"[\\/]", filename)[-1]
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    _check_extension(name, extension)
    if not data.strip():
        raise SpreadsheetError(
            f'The file "{name}" is empty. Check that you picked the right file and that it '
            "was saved before uploading."
        )
    if extension in XLSX_EXTENSIONS:
        return _read_xlsx(data, name, limits)
    if data.startswith(ZIP_MAGIC):
        raise SpreadsheetError(
            f'The file "{name}" looks like an Excel workbook, not a CSV file. Rename it so it '
            "ends in .xlsx, or save it as 'CSV UTF-8' from your spreadsheet program, and "
            "upload it again."
        )
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            f'The file "{name}" looks like an old Excel (.xls) workbook, not a CSV file. Open '
            "it in your spreadsheet program, save it as Excel Workbook (.xlsx) or 'CSV UTF-8', "
            "and upload it again."
        )
    return _read_csv(data, limits)


def _check_extension(name: str, extension: str) -> None:
    if extension in CSV_EXTENSIONS or extension in XLSX_EXTENSIONS:
        return
    if extension in {"xls", "xlsm", "xlsb", "xlt", "xltx", "ods", "numbers"}:
        raise SpreadsheetError(
            f'"{name}" is a .{extension} file, which cannot be read here. Open it in your '
            "spreadsheet program, save it as Excel Workbook (.xlsx) or 'CSV UTF-8' (.csv), "
            "and upload it again."
        )
    what = f"a .{extension} file" if extension else "a file without an extension"
    raise SpreadsheetError(f'"{name}" is {what}. Upload a {ALLOWED_TYPES} file instead.')


def _format_size(size: int, *, round_up: bool = False) -> str:
    """Human-readable size in binary units, as file managers show them ("12.3 MB").

    The file size is rounded up so that a file just over the limit never reads as equal to it.
    """
    if size < 1024:
        return f"{size} bytes" if size != 1 else "1 byte"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    tenths = value * 10
    tenths = int(tenths) + (1 if round_up and tenths != int(tenths) else 0)
    text = f"{tenths / 10:.1f}".removesuffix(".0")
    return f"{text} {unit}"


# ----- CSV


def _read_csv(data: bytes, limits: Limits) -> Table:
    text, encoding = _decode(data)
    delimiter = None
    first_line, _, rest = text.partition("\n")
    # Excel writes (and hides) a "sep=;" line when asked to; the header is then row 1.
    sep = re.fullmatch(r'\s*"?sep=(.)"?\s*', first_line, flags=re.IGNORECASE)
    if sep:
        delimiter, text = sep.group(1), rest
    if delimiter is None:
        delimiter = _sniff_delimiter(text)
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        skipinitialspace=True,
        strict=True,
    )
    return _build_table(
        _csv_records(reader, limits), encoding=encoding, file_format="csv", limits=limits
    )


def _csv_records(reader: Iterator[list[str]], limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """Number records as spreadsheet rows: a quoted multi-line cell is still one row."""
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise SpreadsheetError(
                    f"Row {number} has a cell of more than {csv.field_size_limit():,} "
                    f"characters, more than the limit of {limits.max_cell_chars:,}. Shorten it, "
                    'or if it should be short, check that its quotation marks (") are closed, '
                    "and upload the file again."
                ) from error
            raise SpreadsheetError(_csv_error_message(number, str(error))) from error
        yield number, record


def _csv_error_message(number: int, detail: str) -> str:
    if "unexpected end of data" in detail:
        problem = 'a quoted value is opened with " but never closed'
    elif "expected after" in detail:
        problem = 'a closing quote (") is followed by more text in the same cell'
    else:
        problem = detail
    return (
        f"Row {number} could not be read: {problem}. Check the quotation marks in that row, "
        "or save the file again from your spreadsheet program, and upload it again."
    )


def _sniff_delimiter(text: str) -> str:
    """Pick the separator from the header line: whichever of , ; tab occurs most outside quotes.

    Looking only at the header is reliable (column names rarely contain separators) and
    avoids being fooled by commas inside names or addresses further down. Ties prefer the
    comma, then the semicolon; a header without any separator is a single column.
    """
    counts = {",": 0, ";": 0, "\t": 0}
    in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes:
            if char in "\r\n":
                break
            if char in counts:
                counts[char] += 1
    best = max(counts, key=lambda sep: counts[sep])  # max() keeps the first on ties
    return best if counts[best] else ","


# ----- decoding


def _decode(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes, returning (text, encoding name); refuse rather than guess wrongly."""
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_non_utf8(data)
    if "\x00" in text:
        raise SpreadsheetError(
            "The file contains NUL characters, so it is probably not a text file, or it is "
            "UTF-16 text without a byte-order mark. " + SAVE_AS_UTF8
        )
    return text, encoding


def _decode_non_utf8(data: bytes) -> tuple[str, str]:
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise SpreadsheetError(
                    f"The file starts like {codec.upper()} text but is not valid {codec.upper()}. "
                    + SAVE_AS_UTF8
                ) from None
    return _decode_cp1252(data), "cp1252"


# Single-byte code pages for Latin-script text. charset_normalizer ranks these almost at
# random on short samples (it may call a Windows-1252 file "cp775"), so its best guess is
# only used to tell Latin-script text from Cyrillic, Greek, CJK, UTF-16 without BOM, etc.
LATIN_SINGLE_BYTE = frozenset(
    {
        "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1254", "iso8859_9",
        "cp1257", "iso8859_13", "iso8859_4", "iso8859_10", "iso8859_14", "iso8859_16",
        "iso8859_3", "cp1258", "cp437", "cp775", "cp850", "cp852", "cp858", "cp860",
        "cp861", "cp863", "cp865", "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish",
        "hp_roman8",
    }
)  # fmt: skip

# Other encodings a spreadsheet program writes when told to save plain "CSV": the Windows
# ANSI code pages, Mac Excel's Mac Roman and Excel's "CSV (MS-DOS)". The same bytes mean
# different letters in each (0xFA is "ú" in Windows-1252 but "ś" in Windows-1257), and
# nothing in the bytes says which one was meant.
RIVAL_ENCODINGS = (
    "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "mac_roman", "cp850",
)  # fmt: skip

ENCODING_NAMES = {
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1257": "Windows-1257 (Baltic)",
    "cp1258": "Windows-1258 (Vietnamese)",
    "mac_roman": "Mac Roman",
    "cp850": "MS-DOS code page 850",
}

MAX_CHAOS = 0.1


def _decode_cp1252(data: bytes) -> str:
    """Read non-UTF-8 bytes as Windows-1252, but only when that is the one sensible reading.

    Accepted only if all of these hold, otherwise the file is refused:

    1. charset_normalizer's best guess is a Latin-script single-byte code page (rules out
       Cyrillic, Greek, Asian encodings and binary data);
    2. charset_normalizer finds the Windows-1252 reading orderly (low "chaos");
    3. the bytes are valid Windows-1252 and the text looks like text (see ``_implausible``);
    4. no other encoding a spreadsheet program could have written reads the bytes as
       different, equally plausible text. Without language knowledge "Azúcar" (1252) and
       "Azścar" (1257) cannot be told apart, so such files are refused with an example.

    This accepts e.g. German and French lists whose accents are the ones shared by the
    common code pages (é, ä, ö, ü, ß, ...) and refuses the rest with a clear message.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding not in LATIN_SINGLE_BYTE:
        raise SpreadsheetError(UNRECOGNISED_ENCODING)
    if not any(
        "cp1252" in match.could_be_from_charset and match.chaos <= MAX_CHAOS for match in matches
    ):
        raise SpreadsheetError(UNRECOGNISED_ENCODING)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(UNRECOGNISED_ENCODING) from None
    if _implausible(text):
        raise SpreadsheetError(UNRECOGNISED_ENCODING)
    for rival in RIVAL_ENCODINGS:
        try:
            other = data.decode(rival)
        except UnicodeDecodeError:
            continue
        if other != text and not _implausible(other):
            ours, theirs = _differing_word(text, other)
            raise SpreadsheetError(
                "The file is not UTF-8 text, and its encoding cannot be recognised with "
                f'certainty: for example "{ours}" could also be "{theirs}" if the file was '
                f"saved as {ENCODING_NAMES[rival]}. " + SAVE_AS_UTF8
            )
    return text


SCRIPTS = frozenset(
    {"LATIN", "CYRILLIC", "GREEK", "HEBREW", "ARABIC", "THAI", "ARMENIAN", "GEORGIAN"}
)
IN_WORD_PUNCTUATION = frozenset("'’‘·")
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _script(char: str) -> str | None:
    word = unicodedata.name(char, "").split(" ", 1)[0]
    return word if word in SCRIPTS else None


def _implausible(text: str) -> bool:
    """Whether a decoded text shows the marks of a wrong code page.

    Looks only around non-ASCII characters: control characters, accents and superscripts
    glued to letters ("Wroc³aw"), symbols between letters ("Wie¿a"), a currency sign
    before a letter ("£ódź"), a capital after a small letter with an accent involved
    ("NestlÈ", "OíBrien") and a word mixing scripts ("Nestlй", "Azْcar").
    """
    length = len(text)
    for match in NON_ASCII.finditer(text):
        i = match.start()
        char = text[i]
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < length else " "
        category = unicodedata.category(char)
        prev_letter, next_letter = prev.isalpha(), nxt.isalpha()
        if category in {"Cc", "Co", "Cn"}:
            return True
        if category in {"Sk", "Lm"}:
            if prev_letter or next_letter:
                return True
        elif category == "Mn":
            # A combining mark belongs on a letter of its own script (Vietnamese "ễ").
            if not (prev_letter or unicodedata.category(prev) == "Mn"):
                return True
            if len({_script(prev), _script(char)} - {None}) > 1:
                return True
        elif category in {"No", "Sm"}:
            if prev_letter and next_letter:
                return True
        elif category == "Sc":
            if next_letter:
                return True
        elif category[0] in {"S", "P"}:
            if prev_letter and next_letter and char not in IN_WORD_PUNCTUATION:
                return True
        elif category[0] == "L":
            for left, right in ((prev, char), (char, nxt)):
                if not (left.isalpha() and right.isalpha()):
                    continue
                if left.islower() and right.isupper():
                    return True
                scripts = {_script(left), _script(right)} - {None}
                if len(scripts) > 1:
                    return True
    return False


def _differing_word(text: str, other: str) -> tuple[str, str]:
    """The first word that reads differently, to show the uploader what is ambiguous.

    Both texts come from single-byte code pages, so positions line up.
    """
    index = next(i for i, (a, b) in enumerate(zip(text, other, strict=False)) if a != b)
    boundary = re.compile(r'[\s,;"]')
    start = index
    while start > 0 and index - start < 30 and not boundary.match(text[start - 1]):
        start -= 1
    end = index + 1
    while end < len(text) and end - index < 30 and not boundary.match(text[end]):
        end += 1
    return text[start:end], other[start:end]


# ----- XLSX
#
# A workbook is a zip archive of XML parts, read here part by part as a stream with the standard
# library's expat parser. openpyxl's loader is not used for reading uploads: even in read-only
# mode it builds an object for every cell format and shared string before the first row, and
# parses a sheet without a <dimension> element twice, so that a 90 KB file of cell formats takes
# 25 s and 1.5 GB. Only the parts a list needs are read: which sheet comes first and which date
# system the workbook uses, which cell formats are dates, the shared strings, and the first sheet
# up to the end of its rows; each stops at the first limit passed.

_RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CHUNK = 1 << 20


class _Corrupt(Exception):
    """The workbook's structure is not what an Excel workbook has."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


# What a list at the limits holds: a cell and its value, and a shared string and its text.
_ELEMENTS_PER_CELL = 4
_OTHER_ELEMENTS = 100_000  # the workbook, its relationships, cell formats, fonts, colours...


class _PartHandler(Protocol):
    """Receives a workbook part's elements as expat reads them; may also take `text`."""

    def start(self, name: str, attributes: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...


_Handler = TypeVar("_Handler", bound=_PartHandler)


class _Workbook:
    def __init__(self, data: bytes, name: str, limits: Limits):
        self.name = name
        self.limits = limits
        self.elements = 0
        self.max_elements = (
            _ELEMENTS_PER_CELL * (limits.max_rows + 1) * limits.max_columns + _OTHER_ELEMENTS
        )
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        parts = self.archive.infolist()
        self.names = {part.filename for part in parts}
        if len(parts) > limits.max_parts:
            raise SpreadsheetError(
                f'The file "{name}" holds {len(parts):,} files; an Excel workbook holding a list '
                f"has far fewer, and at most {limits.max_parts:,} are accepted. Save the list "
                "again as Excel Workbook (.xlsx) or 'CSV UTF-8', and upload it again."
            )
        # zipfile unpacks no part beyond the size its header declares (the checksum fails if
        # it holds more), so the declared sizes bound what is unpacked.
        if sum(part.file_size for part in parts) > limits.max_unpacked_bytes:
            raise SpreadsheetError(
                f'The file "{name}" unpacks to more than {_format_size(limits.max_unpacked_bytes)}'
                ", far more than a list needs. Copy the list into a new workbook, or save it as "
                "'CSV UTF-8', and upload it again."
            )

    def _parse(self, path: str, handler: _PartHandler) -> Iterator[None]:
        """Feed a part to `handler` (start, end, text methods), yielding after every chunk."""
        parser = xml.parsers.expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        if hasattr(handler, "text"):
            parser.CharacterDataHandler = handler.text
        # No workbook part has a document type; one could only declare entities to expand.
        parser.StartDoctypeDeclHandler = self._refuse_document_type
        with self.archive.open(path) as stream:
            while chunk := stream.read(_CHUNK):
                # Counted before parsing, at C speed: the parser's work is bounded by this.
                self.elements += chunk.count(b"<") - chunk.count(b"</")
                if self.elements > self.max_elements:
                    raise SpreadsheetError(
                        f'The workbook "{self.name}" holds far more than a list of '
                        f"{self.limits.max_rows:,} rows and {self.limits.max_columns:,} columns "
                        "needs. Copy the list into a new workbook, or save it as 'CSV UTF-8', "
                        "and upload it again."
                    )
                parser.Parse(chunk, False)
                yield
        parser.Parse(b"", True)
        yield

    @staticmethod
    def _refuse_document_type(*args) -> None:
        raise _Corrupt("document type declaration")

    def _read(self, path: str, handler: _Handler) -> _Handler:
        for _ in self._parse(path, handler):
            pass
        return handler

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id -> (type, path) of the parts `part` refers to."""
        folder, _, filename = part.rpartition("/")
        rels = f"{folder}/_rels/{filename}.rels" if folder else f"_rels/{filename}.rels"
        if rels not in self.names:
            return {}
        found = {}
        for rel_id, kind, target in self._read(rels, _Relationships()).found:
            if target.startswith("/"):
                path = target[1:]
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            found[rel_id] = (kind.removeprefix(_RELATIONSHIP_TYPES), path)
        return found

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The first worksheet's rows with a value, as (row number, cell texts)."""
        documents = [
            path
            for kind, path in self._relationships("").values()
            if kind == "officeDocument" and path in self.names
        ]
        if not documents and "xl/workbook.xml" in self.names:
            documents = ["xl/workbook.xml"]
        if not documents:
            raise _Corrupt("no workbook part")
        workbook_path = documents[0]
        parts = self._relationships(workbook_path)
        workbook = self._read(workbook_path, _WorkbookPart())
        sheets = [
            parts[rel_id][1]
            for rel_id in workbook.sheets
            if rel_id in parts and parts[rel_id][0] == "worksheet"
        ]
        if not sheets:
            raise SpreadsheetError(
                f'The workbook "{self.name}" has no worksheet. Put the list on the first sheet '
                "and upload it again."
            )
        styles = _Styles(self)
        strings = _SharedStrings(self)
        for kind, path in parts.values():
            if path not in self.names:
                continue
            if kind == "styles":
                self._read(path, styles)
            elif kind == "sharedStrings":
                self._read(path, strings)
        sheet = _Sheet(self, strings.strings, styles, date1904=workbook.date1904)
        first = True
        for _ in self._parse(sheets[0], sheet):
            for number, cells in sheet.take():
                if first and number != 1:
                    yield 1, []  # the header row is empty
                first = False
                yield number, cells
            if sheet.done:
                return


class _Relationships:
    def __init__(self):
        self.found: list[tuple[str, str, str]] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if _local(name) == "Relationship" and attributes.get("TargetMode") != "External":
            self.found.append(
                (attributes.get("Id", ""), attributes.get("Type", ""), attributes["Target"])
            )

    def end(self, name: str) -> None:
        pass


class _WorkbookPart:
    def __init__(self):
        self.sheets: list[str] = []  # relationship ids, in workbook order
        self.date1904 = False  # dates count from 1904 (old Mac Excel), not 1900

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "sheet":
            self.sheets += [v for k, v in attributes.items() if _local(k) == "id" and k != "id"]
        elif tag == "workbookPr":
            self.date1904 = attributes.get("date1904") in {"1", "true"}

    def end(self, name: str) -> None:
        pass


class _Styles:
    """Which cell formats (by index) show a date or a duration."""

    def __init__(self, workbook: _Workbook):
        self.limit = workbook.limits.max_cell_formats
        self.name = workbook.name
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []
        self.in_cell_formats = False
        self._dates: set[int] | None = None
        self._durations: set[int] = set()

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "xf" and self.in_cell_formats:
            self.formats.append(int(attributes.get("numFmtId", 0)))
            if len(self.formats) > self.limit:
                raise self._too_many()
        elif tag == "cellXfs":
            self.in_cell_formats = True
        elif tag == "numFmt":
            self.custom[int(attributes["numFmtId"])] = attributes.get("formatCode", "")
            if len(self.custom) > self.limit:
                raise self._too_many()

    def _too_many(self) -> SpreadsheetError:
        return SpreadsheetError(
            f'The workbook "{self.name}" has more than {self.limit:,} cell formats, more than '
            "Excel itself allows. Copy the list into a new workbook, or save it as 'CSV UTF-8', "
            "and upload it again."
        )

    def end(self, name: str) -> None:
        if _local(name) == "cellXfs":
            self.in_cell_formats = False

    def is_date(self, style: int) -> bool:
        if self._dates is None:
            from openpyxl.styles.numbers import (
                BUILTIN_FORMATS,
                is_date_format,
                is_timedelta_format,
            )

            self._dates = set()
            for index, number_format in enumerate(self.formats):
                code = self.custom.get(number_format) or BUILTIN_FORMATS.get(number_format)
                if is_date_format(code):
                    self._dates.add(index)
                if is_timedelta_format(code):
                    self._durations.add(index)
        return style in self._dates

    def is_duration(self, style: int) -> bool:
        return self.is_date(style) and style in self._durations


class _SharedStrings:
    def __init__(self, workbook: _Workbook):
        limits = workbook.limits
        self.limit = (limits.max_rows + 1) * limits.max_columns
        self.limits = limits
        self.name = workbook.name
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.phonetic = 0  # inside a pronunciation guide (<rPh>), which is not the text
        self.in_text = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "t":
            self.in_text = not self.phonetic
        elif tag == "si":
            self.parts = []
        elif tag == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag == "t":
            self.in_text = False
        elif tag == "si":
            self.strings.append("".join(self.parts).replace("x005F_", ""))
            if len(self.strings) > self.limit:
                raise SpreadsheetError(
                    f'The workbook "{self.name}" holds more than {self.limit:,} different texts, '
                    f"more than a list of {self.limits.max_rows:,} rows and "
                    f"{self.limits.max_columns:,} columns can use. Copy the list into a new "
                    "workbook, or save it as 'CSV UTF-8', and upload it again."
                )
        elif tag == "rPh":
            self.phonetic -= 1

    def text(self, data: str) -> None:
        if self.in_text:
            self.parts.append(data)


class _Sheet:
    """Rows of a worksheet, as they are parsed; cell values as `_cell_text` shows them."""

    def __init__(self, workbook: _Workbook, strings: list[str], styles: _Styles, *, date1904: bool):
        from openpyxl.utils.cell import column_index_from_string
        from openpyxl.utils.datetime import (
            CALENDAR_MAC_1904,
            CALENDAR_WINDOWS_1900,
            from_excel,
            from_ISO8601,
        )

        self.column_of = column_index_from_string  # "B" -> 2; ValueError beyond A to ZZZ
        self.from_excel, self.from_iso = from_excel, from_ISO8601
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.max_columns = workbook.limits.max_columns
        self.strings = strings
        self.styles = styles
        self.rows: list[tuple[int, list[str]]] = []
        self.done = False
        self.row = 0
        self.cells: dict[int, str] = {}
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.value: list[str] = []
        self.inline: list[str] = []
        self.target: list[str] | None = None  # where text goes: the value or an inline string
        self.in_inline = False
        self.phonetic = 0
        self.formula = False  # the cell has a formula (<f>) ...
        self.saved = False  # ... and a <v> element, where its value is saved
        self.header: list[str] | None = None  # the first row's cells, to name a column

    def _column(self, reference: str) -> int:
        """1-based column of a cell reference ("B7" -> 2); refuses what Excel would not write."""
        try:
            return self.column_of(reference.rstrip("0123456789"))
        except ValueError:
            raise _Corrupt(f"bad cell reference {reference!r}") from None

    def take(self) -> list[tuple[int, list[str]]]:
        rows, self.rows = self.rows, []
        return rows

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "c":
            reference = attributes.get("r")
            self.column = self._column(reference) if reference else self.column + 1
            self.kind = attributes.get("t", "n")
            self.style = int(attributes.get("s", 0))
            self.value, self.inline = [], []
            self.formula = self.saved = False
        elif tag == "v":
            self.target = self.value
            self.saved = True
        elif tag == "f":
            self.formula = True
        elif tag == "t":
            self.target = self.inline if self.in_inline and not self.phonetic else None
        elif tag == "row":
            number = attributes.get("r")
            self.row = int(number) if number else self.row + 1
            if self.row < 1:
                raise _Corrupt(f"row number {self.row}")
            self.cells, self.column = {}, 0
        elif tag == "is":
            self.in_inline = True
        elif tag == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag == "c":
            # A formula's saved value is in <v>: empty only for text ("str"), where it is the
            # empty text; openpyxl and other programs that do not calculate write <v/> or none.
            empty = not "".join(self.value)
            if self.formula and (not self.saved or (empty and self.kind != "str")):
                raise SpreadsheetError(self._unsaved_formula())
            text = _cell_text(self._value())
            if self.column > self.max_columns:
                if text.strip():
                    raise SpreadsheetError(_beyond_columns(self.row, self.column, self.max_columns))
            elif text:
                self.cells[self.column] = text
        elif tag in {"v", "t"}:
            self.target = None
        elif tag == "row":
            if self.cells:
                record = [""] * max(self.cells)
                for column, text in self.cells.items():
                    record[column - 1] = text
                self.rows.append((self.row, record))
                if self.header is None:
                    self.header = record
        elif tag == "is":
            self.in_inline = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "sheetData":
            self.done = True

    def text(self, data: str) -> None:
        if self.target is not None:
            self.target.append(data)

    def _unsaved_formula(self) -> str:
        """The refusal of a formula cell saved without its value (a file written by a program
        that does not calculate, such as openpyxl): read as empty, it would be imported as
        blank without a word, and its formula's text is not what anyone sees in the cell."""
        letter = _column_letter(self.column - 1)
        name = ""
        if self.header is not None and self.column <= len(self.header):
            name = _clean(self.header[self.column - 1])
        where = f"Row {self.row}, column {letter}" + (f" ({name})" if name else "")
        return (
            f"{where}: a formula with no saved value. Open the file in your spreadsheet "
            "program, save it (which saves every formula's value), and import it again. "
            "Nothing was imported."
        )

    def _value(self) -> object:
        """The cell's value as openpyxl (data_only) would read it."""
        if self.kind == "inlineStr":
            return "".join(self.inline)
        value = "".join(self.value)
        if not value:
            return None
        if self.kind == "n":
            number = float(value) if ("." in value or "e" in value or "E" in value) else int(value)
            if not self.styles.is_date(self.style):
                return number
            try:
                return self.from_excel(
                    number, self.epoch, timedelta=self.styles.is_duration(self.style)
                )
            except (OverflowError, ValueError):
                return "#VALUE!"
        if self.kind == "s":
            return self.strings[int(value)]
        if self.kind == "b":
            return bool(int(value))
        if self.kind == "d":
            return self.from_iso(value)
        return value  # "str": a formula's text; "e": an error such as #N/A


def _read_xlsx(data: bytes, name: str, limits: Limits) -> Table:
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            f'The file "{name}" is an old Excel (.xls) workbook renamed to .xlsx, or a '
            "password-protected workbook. Remove any password, save it as Excel Workbook "
            "(.xlsx) or 'CSV UTF-8', and upload it again."
        )
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetError(
            f'The file "{name}" could not be opened as an Excel workbook: it is not one. If it '
            "is a CSV file, rename it so it ends in .csv; otherwise save it again as Excel "
            "Workbook (.xlsx) and upload it again."
        )
    try:
        workbook = _Workbook(data, name, limits)
        return _build_table(workbook.rows(), encoding="utf-8", file_format="xlsx", limits=limits)
    except SpreadsheetError:
        raise
    except Exception as error:  # zip, XML and value errors all mean "unreadable"
        raise SpreadsheetError(
            f'The file "{name}" could not be opened as an Excel workbook; it may be damaged or '
            "incomplete. Open it in your spreadsheet program, save it again as Excel Workbook "
            "(.xlsx) or 'CSV UTF-8', and upload it again."
        ) from error


def _cell_text(value: object) -> str:
    """Show a cell's value as text the way a person would type it in the import."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    return str(value)


# ----- shared table building


def _normalise_header(text: str) -> str:
    return re.sub(r"\s+", "_", _clean(text).lower())


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\ufeff", "").replace("\u200b", "")
    return unicodedata.normalize("NFC", text.strip())


def _column_letter(index: int) -> str:
    """0-based column index to the spreadsheet letter (0 -> A, 26 -> AA), for any column: a CSV
    row can reach past ZZZ, where openpyxl's get_column_letter stops."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _beyond_columns(number: int, column: int, max_columns: int) -> str:
    """The message for a value in 1-based `column`, beyond the last column allowed."""
    last = _column_letter(max_columns - 1)
    return (
        f"Row {number} has a value in column {_column_letter(column - 1)}, beyond the limit of "
        f"{max_columns:,} columns (A to {last}). Delete the columns after {last}, and upload "
        "the file again."
    )


def _within_limits(number: int, record: Sequence[str], limits: Limits) -> list[str]:
    """The record's cells, cleaned; refuses a value beyond the last column or a long cell."""
    beyond = next((i for i, cell in enumerate(record[limits.max_columns :]) if cell.strip()), None)
    if beyond is not None:
        raise SpreadsheetError(
            _beyond_columns(number, limits.max_columns + beyond + 1, limits.max_columns)
        )
    cells = [_clean(cell) for cell in record[: limits.max_columns]]
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell_chars:
            raise SpreadsheetError(
                f"Row {number}, column {_column_letter(index)}: the cell has {len(cell):,} "
                f"characters, more than the limit of {limits.max_cell_chars:,}. Shorten it, and "
                "upload the file again."
            )
    return cells


def _build_table(
    records: Iterable[tuple[int, Sequence[str]]],
    *,
    encoding: str,
    file_format: str,
    limits: Limits,
) -> Table:
    records = iter(records)
    first = next(records, None)
    raw_headers = _within_limits(first[0], first[1], limits) if first else []
    if not any(raw_headers):
        if first is None or next(records, None) is None:
            raise SpreadsheetError(
                "The file has no rows. The first row must contain the column names, followed "
                "by one row per person."
            )
        raise SpreadsheetError(
            "Row 1 is empty. The first row must contain the column names; delete any empty "
            "or title rows above them and upload the file again."
        )
    while not raw_headers[-1]:
        raw_headers.pop()
    headers = [_normalise_header(cell) for cell in raw_headers]
    for index, header in enumerate(headers):
        if not header:
            raise SpreadsheetError(
                f"Column {_column_letter(index)} has no name in row 1. Give every column a "
                "name in the first row, or delete the empty column, and upload the file again."
            )
        _check_garbled(raw_headers[index], 1)
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if header in seen:
            raise SpreadsheetError(
                f'The column name "{header}" appears more than once (columns '
                f"{_column_letter(seen[header])} and {_column_letter(index)}). Each column "
                "name must be unique: rename or delete one of them and upload the file again."
            )
        seen[header] = index

    rows: list[Row] = []
    width = len(headers)
    for number, record in records:
        cells = _within_limits(number, record, limits)
        if not any(cells):
            continue
        if number > limits.max_rows + 1:
            raise SpreadsheetError(
                f"Row {number} is beyond the limit of {limits.max_rows:,} rows below the header "
                f"row. Split the list into files of at most {limits.max_rows:,} rows, and "
                "upload them one after the other."
            )
        for index in range(width, len(cells)):
            if cells[index]:
                raise SpreadsheetError(
                    f"Row {number} has a value in column {_column_letter(index)}, but that "
                    "column has no name in row 1. Add a column name or delete the value, and "
                    "upload the file again."
                )
        cells += [""] * (width - len(cells))
        for cell in cells:
            _check_garbled(cell, number)
        rows.append(Row(number=number, values=dict(zip(headers, cells, strict=False))))
    return Table(
        headers=headers, rows=rows, encoding=encoding, format=file_format, labels=raw_headers
    )


_WORD_BREAK = re.compile(r"[ \t\r\n]+")  # not a no-break space: "à" garbles to "Ã" + one


def _check_garbled(value: str, number: int) -> None:
    """Refuse text that was already garbled before upload ("NestlÃ©" for "Nestlé"): UTF-8
    read with another code page (Windows-1252, Latin-1, Mac Roman...) and saved again, once or
    more. ftfy recognises the garbling, and undoes it for the hint."""
    if value.isascii():
        return  # garbling always leaves non-ASCII characters behind
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    if not is_bad(value):
        return
    word = next((word for word in _WORD_BREAK.split(value) if is_bad(word)), value)
    fixed = fix_encoding(word)
    hint = ""
    if len(word) > 60:
        word = word[:60] + "…"
    elif fixed != word and "\ufffd" not in fixed:
        hint = f' (it probably should read "{fixed}")'
    raise SpreadsheetError(
        f'Row {number} contains garbled text: "{word}"{hint}. This happens when a file is opened '
        "with the wrong encoding and saved again. Correct the text in your spreadsheet, or "
        "export the list again from its source, and upload it again."
    )


# --------------------------------------------------------------------------- writing

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def escape_formula(value: object) -> object:
    """Make a text value harmless in a spreadsheet ("CSV injection").

    Spreadsheet programs run a cell starting with = + - @ (tab and carriage return too, and
    their full-width forms in some locales) as a formula, so attendee-supplied text like
    '=HYPERLINK(...)' could act when an organiser opens an export. A leading apostrophe
    makes it plain text. Non-text values (numbers, dates) cannot be formulas and are
    returned unchanged, so -5 stays a number.
    """
    if isinstance(value, str):
        return _escape_text(value)
    return value


def _escape_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def escape_row(values: Iterable[object]) -> list[object]:
    """:func:`escape_formula` applied to every value of a row."""
    return [escape_formula(value) for value in values]


def _is_plain(value: object) -> bool:
    return value is None or isinstance(
        value, bool | int | float | Decimal | dt.date | dt.time | dt.timedelta
    )


def _csv_text(value: object) -> str:
    if isinstance(value, str):
        return _escape_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if _is_plain(value):
        return str(value)
    # Anything else (lazy translations, UUIDs, model instances) becomes text: escape that too.
    return _escape_text(str(value))


def iter_csv(
    headers: Sequence[object], rows: Iterable[Sequence[object]], *, chunk_size: int = 65536
) -> Iterator[bytes]:
    """Stream a CSV export in chunks (e.g. for a StreamingHttpResponse); see :func:`write_csv`.

    Rows are consumed lazily, so memory stays flat however long the export is.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # Excel dialect: comma separated, CRLF, quotes as needed
    buffer.write("\ufeff")
    writer.writerow([_csv_text(value) for value in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
        if buffer.tell() >= chunk_size:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV export: UTF-8 with BOM (so Excel shows accents right), comma separated.

    Every text cell goes through :func:`escape_formula`; None is written as an empty cell,
    booleans as yes/no, dates in ISO format.
    """
    return b"".join(iter_csv(headers, rows))


def write_xlsx(
    headers: Sequence[object], rows: Iterable[Sequence[object]], *, sheet_title: str = "Export"
) -> bytes:
    """An .xlsx export with one sheet, written row by row (openpyxl write-only mode).

    Text is escaped with :func:`escape_formula`, so no cell is ever stored as a formula
    (openpyxl would store a string starting with "=" as one). Numbers, dates and booleans
    keep their type; aware datetimes, which Excel cannot store, are written as ISO text.
    Characters that are not allowed in a workbook (control characters) are dropped.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: object) -> object:
        if isinstance(value, dt.datetime) and value.utcoffset() is not None:
            return value.isoformat(sep=" ")
        if isinstance(value, dt.time) and value.utcoffset() is not None:
            return value.isoformat()
        if _is_plain(value):
            return value
        text = value if isinstance(value, str) else str(value)
        return _escape_text(ILLEGAL_CHARACTERS_RE.sub("", text))

    workbook = Workbook(write_only=True)
    title = re.sub(r"[\\/*?:\[\]]", " ", sheet_title).strip()[:31] or "Export"
    sheet = workbook.create_sheet(title=title)
    sheet.append([cell(value) for value in headers])
    for row in rows:
        sheet.append([cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
