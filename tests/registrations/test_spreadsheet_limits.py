"""A small file that unpacks or parses into something huge is refused with a message, early.
The bombs are built in tests/registrations/bombs.py; bench/spreadsheet_bombs.py measures the time
and memory it takes to refuse them."""

import io
import zipfile

import pytest

from registrations.spreadsheets import Limits, SpreadsheetError, read_table
from tests.registrations import bombs

MB = 1024 * 1024
CORRUPT = (
    'The file "list.xlsx" could not be opened as an Excel workbook; it may be damaged or '
    "incomplete. Open it in your spreadsheet program, save it again as Excel Workbook (.xlsx) "
    "or 'CSV UTF-8', and upload it again."
)
UNPACKS_TOO_BIG = (
    'The file "list.xlsx" unpacks to more than 50 MB, far more than a list needs. Copy the list '
    "into a new workbook, or save it as 'CSV UTF-8', and upload it again."
)
ROWS = (
    "Row 20002 is beyond the limit of 20,000 rows below the header row. Split the list into "
    "files of at most 20,000 rows, and upload them one after the other."
)
COLUMN_AY = (
    "Row 2 has a value in column AY, beyond the limit of 50 columns (A to AX). Delete the "
    "columns after AX, and upload the file again."
)


def refusal(data: bytes, filename: str = "list.xlsx", **options) -> str:
    with pytest.raises(SpreadsheetError) as error:
        read_table(data, filename=filename, **options)
    return str(error.value)


def test_limits_defaults():
    assert Limits() == Limits(
        max_rows=20_000,
        max_columns=50,
        max_cell_chars=1_000,
        max_unpacked_bytes=50 * MB,
        max_parts=1_000,
        max_cell_formats=64_000,
    )


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_unpacking_beyond_the_limit_is_refused_before_unpacking():
    data = bombs.unpacks_to(60 * MB)

    assert len(data) < 100_000
    assert refusal(data) == UNPACKS_TOO_BIG


def test_xlsx_part_unpacking_beyond_the_limit_is_refused():
    # Declared as 60 MB in one part, while the whole archive declares no more than that.
    data = bombs.declaring(bombs.unpacks_to(1000), bombs.SHEET, 60 * MB)

    assert refusal(data) == UNPACKS_TOO_BIG


def test_xlsx_part_holding_more_than_its_header_says_is_refused_as_damaged():
    # zipfile stops unpacking a part at its declared size; the checksum then fails.
    data = bombs.declaring(bombs.unpacks_to(60 * MB), bombs.SHEET, 1000)

    assert sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist()) < 50 * MB
    assert refusal(data) == CORRUPT


def test_xlsx_million_rows_is_refused_at_the_first_row_beyond_the_limit():
    assert refusal(bombs.many_rows(1_000_000)) == ROWS


def test_xlsx_rows_up_to_the_limit_are_read():
    table = read_table(bombs.many_rows(20_000), filename="list.xlsx")

    assert (len(table.rows), table.rows[-1].number) == (20_000, 20_001)


def test_xlsx_cell_of_a_million_characters_is_refused():
    assert refusal(bombs.long_cell(1_000_000)) == (
        "Row 2, column A: the cell has 1,000,000 characters, more than the limit of 1,000. "
        "Shorten it, and upload the file again."
    )


def test_xlsx_cell_at_the_length_limit_is_read():
    table = read_table(bombs.long_cell(1_000), filename="list.xlsx")

    assert table.rows[0]["email"] == "x" * 1_000


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("AY", COLUMN_AY),
        ("XFD", COLUMN_AY.replace("column AY", "column XFD")),
    ],
)
def test_xlsx_value_beyond_the_column_limit_is_refused(column, message):
    assert refusal(bombs.value_in_column(column)) == message


def test_xlsx_value_in_the_last_column_allowed_is_checked_as_usual():
    assert refusal(bombs.value_in_column("AX")) == (
        "Row 2 has a value in column AX, but that column has no name in row 1. Add a column "
        "name or delete the value, and upload the file again."
    )


def test_xlsx_too_many_shared_strings_is_refused():
    limits = Limits(max_rows=10, max_columns=2)

    assert refusal(bombs.many_shared_strings(23), limits=limits) == (
        'The workbook "list.xlsx" holds more than 22 different texts, more than a list of 10 '
        "rows and 2 columns can use. Copy the list into a new workbook, or save it as "
        "'CSV UTF-8', and upload it again."
    )
    assert read_table(bombs.many_shared_strings(22), filename="list.xlsx", limits=limits)


def test_xlsx_too_many_cell_formats_is_refused():
    assert refusal(bombs.many_cell_formats(64_001)) == (
        'The workbook "list.xlsx" has more than 64,000 cell formats, more than Excel itself '
        "allows. Copy the list into a new workbook, or save it as 'CSV UTF-8', and upload it "
        "again."
    )


def test_xlsx_too_many_parts_is_refused():
    assert refusal(bombs.many_parts(1_000)) == (
        'The file "list.xlsx" holds 1,005 files; an Excel workbook holding a list has far '
        "fewer, and at most 1,000 are accepted. Save the list again as Excel Workbook (.xlsx) "
        "or 'CSV UTF-8', and upload it again."
    )


def test_xlsx_entity_declarations_are_refused_as_damaged():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    data = bombs.workbook([b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol2;</t></is></c></row>'])
    data = data.replace(b'<?xml version="1.0" encoding="UTF-8"?><worksheet', laughs + b"<worksheet")

    assert refusal(data) == CORRUPT


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_over_the_size_limit_is_refused():
    data = bombs.csv_rows(1_000_000)

    assert refusal(data, filename="list.csv", max_bytes=10 * MB) == (
        "The file is 14.4 MB; the limit is 10 MB. Split it into smaller files."
    )


def test_csv_million_rows_is_refused_at_the_first_row_beyond_the_limit():
    assert refusal(bombs.csv_rows(1_000_000), filename="list.csv") == ROWS


def test_csv_blank_lines_beyond_the_row_limit_are_ignored():
    data = bombs.csv_rows(1) + b"\r\n" * 30_000

    assert len(read_table(data, filename="list.csv").rows) == 1


def test_csv_cell_of_a_million_characters_is_refused():
    assert refusal(bombs.csv_long_cell(1_000_000), filename="list.csv") == (
        "Row 2 has a cell of more than 131,072 characters, more than the limit of 1,000. "
        'Shorten it, or if it should be short, check that its quotation marks (") are closed, '
        "and upload the file again."
    )


def test_csv_cell_over_the_length_limit_is_refused():
    assert refusal(bombs.csv_long_cell(1_001), filename="list.csv") == (
        "Row 2, column B: the cell has 1,001 characters, more than the limit of 1,000. "
        "Shorten it, and upload the file again."
    )


def test_csv_value_beyond_the_column_limit_is_refused():
    assert refusal(bombs.csv_wide_row(51), filename="list.csv") == COLUMN_AY


def test_csv_value_beyond_the_last_column_a_workbook_has_is_refused():
    # A CSV row has no last column: a value after 20,000 separators is in column 20,001, past
    # Excel's last (XFD, 16,384) and past the three letters a workbook's references have.
    data = b"email\r\na@example.com" + b"," * 20_000 + b"x\r\n"

    assert refusal(data, filename="list.csv") == COLUMN_AY.replace("column AY", "column ACOG")


def test_csv_empty_cells_beyond_the_column_limit_are_ignored():
    data = b"email" + b"," * 100 + b"\r\na@example.com" + b"," * 100_000 + b"\r\n"

    assert read_table(data, filename="list.csv").rows[0].values == {"email": "a@example.com"}


def test_csv_header_beyond_the_column_limit_is_refused():
    header = ",".join(f"c{n}" for n in range(51)).encode()

    assert refusal(header + b"\r\n", filename="list.csv") == (
        "Row 1 has a value in column AY, beyond the limit of 50 columns (A to AX). Delete the "
        "columns after AX, and upload the file again."
    )
