"""Tests for registrations.spreadsheets: reading attendance lists and writing safe exports."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import openpyxl
import pytest

from registrations.spreadsheets import (
    Row,
    SpreadsheetError,
    Table,
    escape_formula,
    escape_row,
    iter_csv,
    read_table,
    write_csv,
    write_xlsx,
)

UTF8_REFUSAL = (
    "The file is not UTF-8 text and its encoding could not be recognised. Save it as "
    "'CSV UTF-8' from your spreadsheet program and upload it again."
)


def read_csv(text: str, encoding: str = "utf-8") -> Table:
    return read_table(text.encode(encoding), filename="list.csv")


def refusal(data: bytes, filename: str = "list.csv", **kwargs: object) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        read_table(data, filename=filename, **kwargs)
    return str(caught.value)


def values(table: Table) -> list[dict[str, str]]:
    return [row.values for row in table.rows]


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# ----------------------------------------------------------------- CSV structure


def test_read_table_utf8_without_bom() -> None:
    table = read_csv("name,company\nZoë,Nestlé\n")

    assert table == Table(
        headers=["name", "company"],
        rows=[Row(number=2, values={"name": "Zoë", "company": "Nestlé"})],
        encoding="utf-8",
        format="csv",
    )
    assert table.encoding_guessed is False


def test_read_table_utf8_with_bom() -> None:
    table = read_table(
        b"\xef\xbb\xbf" + "Name,Company\r\nZoë,Nestlé\r\n".encode(), filename="l.csv"
    )

    assert table.headers == ["name", "company"]
    assert values(table) == [{"name": "Zoë", "company": "Nestlé"}]
    assert table.encoding == "utf-8"


def test_read_table_semicolon_separated() -> None:
    table = read_csv("name;company;amount\nAna;Azúcar SA;1,5\n")

    assert values(table) == [{"name": "Ana", "company": "Azúcar SA", "amount": "1,5"}]


def test_read_table_comma_separated_with_semicolon_in_value() -> None:
    table = read_csv("name,note\nAna,vegan; no nuts\n")

    assert values(table) == [{"name": "Ana", "note": "vegan; no nuts"}]


def test_read_table_tab_separated() -> None:
    table = read_csv("name\tcompany\nAna\tFoo, Bar & Co\n")

    assert values(table) == [{"name": "Ana", "company": "Foo, Bar & Co"}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "first_name;company;workshops\nAna;Foo\nBo;Bar, Baz and Co;A1\nCy\n",
            [
                {"first_name": "Ana", "company": "Foo", "workshops": ""},
                {"first_name": "Bo", "company": "Bar, Baz and Co", "workshops": "A1"},
                {"first_name": "Cy", "company": "", "workshops": ""},
            ],
        ),
        (
            "name\tcompany\tnote\nAna\tFoo\nBo\tBar, Inc\tlate, early\n",
            [
                {"name": "Ana", "company": "Foo", "note": ""},
                {"name": "Bo", "company": "Bar, Inc", "note": "late, early"},
            ],
        ),
    ],
    ids=["semicolon", "tab"],
)
def test_read_table_separator_found_when_rows_are_short(
    text: str, expected: list[dict[str, str]]
) -> None:
    # Programs that leave out trailing empty cells write rows with fewer separators than the
    # header; the separator is read from the header row, so commas in values do not win.
    assert values(read_csv(text)) == expected


def test_read_table_quoted_fields_with_separators_and_newlines() -> None:
    text = (
        'name,address,note\r\n"Dupont, Jean","1 rue X\r\n75001 Paris","said ""hi""; left"\r\n'
        "Ana,Madrid,ok\r\n"
    )

    table = read_csv(text)

    assert table.rows == [
        Row(
            number=2,
            values={
                "name": "Dupont, Jean",
                "address": "1 rue X\n75001 Paris",
                "note": 'said "hi"; left',
            },
        ),
        Row(number=3, values={"name": "Ana", "address": "Madrid", "note": "ok"}),
    ]


def test_read_table_quoted_semicolon_file() -> None:
    table = read_csv('"name";"company"\n"Ana";"Foo; Bar"\n')

    assert values(table) == [{"name": "Ana", "company": "Foo; Bar"}]


def test_read_table_headers_normalised() -> None:
    table = read_csv(" First Name ,LAST  NAME,E-mail\tAddress\n")

    assert table.headers == ["first_name", "last_name", "e-mail_address"]


def test_read_table_values_stripped_and_empty_cells_blank() -> None:
    table = read_csv("a,b,c\n  x  ,,\n")

    assert values(table) == [{"a": "x", "b": "", "c": ""}]


def test_read_table_blank_rows_skipped_numbering_kept() -> None:
    table = read_csv("name,email\n\nAna,a@example.com\n,\n  ,  \n\nBo,b@example.com\n")

    assert [(row.number, row["name"]) for row in table.rows] == [(3, "Ana"), (7, "Bo")]


def test_read_table_short_rows_padded() -> None:
    table = read_csv("name,email,company\nAna\n")

    assert values(table) == [{"name": "Ana", "email": "", "company": ""}]


def test_read_table_extra_value_without_header_refused() -> None:
    message = refusal(b"name,email\nAna,a@example.com\nBo,b@example.com,oops\n")

    assert message == (
        "Row 3 has a value in column C, but that column has no name in row 1. Add a column "
        "name or delete the value, and upload the file again."
    )


def test_read_table_trailing_empty_separators_ignored() -> None:
    table = read_csv("name,email,,\nAna,a@example.com,,\n")

    assert table.headers == ["name", "email"]
    assert values(table) == [{"name": "Ana", "email": "a@example.com"}]


def test_read_table_excel_sep_line_sets_separator() -> None:
    table = read_csv("sep=;\nname;note\nAna;a,b\n")

    assert table.rows == [Row(number=2, values={"name": "Ana", "note": "a,b"})]


def test_read_table_single_column() -> None:
    table = read_csv("email\na@example.com\n")

    assert values(table) == [{"email": "a@example.com"}]


def test_read_table_only_header_gives_no_rows() -> None:
    table = read_csv("name,email\n")

    assert table.headers == ["name", "email"]
    assert table.rows == []


def test_read_table_values_normalised_to_nfc() -> None:
    table = read_csv("name\nNestle\u0301\n")

    assert table.rows[0]["name"] == "Nestlé"


def test_read_table_unclosed_quote_refused() -> None:
    message = refusal(b'name,note\nAna,ok\nBo,"unfinished\nCy,x\n')

    assert message == (
        'Row 3 could not be read: a quoted value is opened with " but never closed. Check the '
        "quotation marks in that row, or save the file again from your spreadsheet program, "
        "and upload it again."
    )


def test_read_table_text_after_closing_quote_refused() -> None:
    message = refusal(b'name,note\n"Ana"x,ok\n')

    assert message == (
        'Row 2 could not be read: a closing quote (") is followed by more text in the same '
        "cell. Check the quotation marks in that row, or save the file again from your "
        "spreadsheet program, and upload it again."
    )


# ----------------------------------------------------------------- header problems


def test_read_table_empty_file_refused() -> None:
    assert refusal(b"") == (
        'The file "list.csv" is empty. Check that you picked the right file and that it was '
        "saved before uploading."
    )


def test_read_table_blank_lines_only_refused() -> None:
    assert refusal(b"\xef\xbb\xbf;;\r\n") == (
        "The file has no rows. The first row must contain the column names, followed by one "
        "row per person."
    )


def test_read_table_empty_first_row_refused() -> None:
    assert refusal(b"\nname,email\nAna,a@example.com\n") == (
        "Row 1 is empty. The first row must contain the column names; delete any empty or "
        "title rows above them and upload the file again."
    )


def test_read_table_duplicate_header_refused() -> None:
    message = refusal(b"Email,Name,email \na@example.com,Ana,b@example.com\n")

    assert message == (
        'The column name "email" appears more than once (columns A and C). Each column name '
        "must be unique: rename or delete one of them and upload the file again."
    )


def test_read_table_empty_header_cell_refused() -> None:
    message = refusal(b"name,,email\nAna,x,a@example.com\n")

    assert message == (
        "Column B has no name in row 1. Give every column a name in the first row, or delete "
        "the empty column, and upload the file again."
    )


# ----------------------------------------------------------------- encodings


def test_read_table_cp1252_german_decoded() -> None:
    text = (
        "first_name,last_name,company\nJürgen,Müller,Nestlé\nGérard,Straße,Société Générale\n"
        "René,Höß,Café Größe\n"
    )

    table = read_csv(text, "cp1252")

    assert table.encoding == "cp1252"
    assert table.encoding_guessed is True
    assert values(table) == [
        {"first_name": "Jürgen", "last_name": "Müller", "company": "Nestlé"},
        {"first_name": "Gérard", "last_name": "Straße", "company": "Société Générale"},
        {"first_name": "René", "last_name": "Höß", "company": "Café Größe"},
    ]


def test_read_table_cp1252_ambiguous_refused_not_garbled() -> None:
    # 0xFA is "ú" in Windows-1252 and "ś" in Windows-1257: the bytes cannot decide.
    data = "name;company\nNestlé;Société Générale\nAzúcar;Café\n".encode("cp1252")

    message = refusal(data)

    assert message == (
        "The file is not UTF-8 text, and its encoding cannot be recognised with certainty: for "
        'example "Azúcar" could also be "Azścar" if the file was saved as Windows-1257 '
        "(Baltic). Save it as 'CSV UTF-8' from your spreadsheet program and upload it again."
    )


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("name;company\nNestlé;Société Générale\nAzúcar;Café\n", "cp1252"),
        ("first_name,company\nHélène,Crème Brûlée SA\nJosé,Señor Ñandú\n", "cp1252"),
        ("name\nNestlé\n", "cp1252"),
        ("jmeno,prijmeni\nAntonín,Dvořák\nJiří,Černý\n", "cp1250"),
        ("imie,firma\nŁukasz,Łódź Sp. z o.o.\nAgnieszka,Wrocław\n", "cp1250"),
        ("ad,sirket\nAyşe,Şişecam\nİbrahim,Koç Holding\n", "cp1254"),
        ("имя,компания\nИван,Газпром\nОльга,Сбербанк\n", "cp1251"),
        ("name,company\nJürgen Müller,Nestlé\nHélène,Société Générale\n", "mac_roman"),
        ("name,company\nJürgen Müller,Nestlé\nHélène,Société Générale\n", "cp850"),
        ("名前,会社\n田中,トヨタ\n", "shift_jis"),
    ],
    ids=[
        "cp1252-spanish",
        "cp1252-french",
        "cp1252-one-word",
        "cp1250-czech",
        "cp1250-polish",
        "cp1254-turkish",
        "cp1251-russian",
        "mac-roman",
        "cp850",
        "shift-jis",
    ],
)
def test_read_table_legacy_encoding_correct_or_refused(text: str, encoding: str) -> None:
    try:
        table = read_table(text.encode(encoding), filename="list.csv")
    except SpreadsheetError as error:
        assert str(error).startswith("The file is not UTF-8 text")
    else:
        rows = [",".join(row.values.values()) for row in table.rows]
        assert rows == text.splitlines()[1:]


def test_read_table_cp1250_refusal_shows_both_readings() -> None:
    message = refusal("jmeno,prijmeni\nAntonín,Dvořák\nJiří,Černý\n".encode("cp1250"))

    assert message == (
        "The file is not UTF-8 text, and its encoding cannot be recognised with certainty: for "
        'example "Dvoøák" could also be "Dvořák" if the file was saved as Windows-1250 '
        "(Central European). Save it as 'CSV UTF-8' from your spreadsheet program and upload "
        "it again."
    )


def test_read_table_cp1251_refused() -> None:
    assert refusal("имя,компания\nИван,Газпром\n".encode("cp1251")) == UTF8_REFUSAL


def test_read_table_random_binary_refused() -> None:
    data = random.Random(20240601).randbytes(4000)

    assert refusal(data) == UTF8_REFUSAL


def test_read_table_utf16_le_with_bom() -> None:
    # Excel's "Unicode Text" export: UTF-16 LE with BOM, tab separated, named .txt.
    data = "Name\tCompany\r\nZoë\tSociété Générale\r\n".encode("utf-16")

    table = read_table(data, filename="export.txt")

    assert table.encoding == "utf-16"
    assert values(table) == [{"name": "Zoë", "company": "Société Générale"}]


def test_read_table_utf16_be_with_bom() -> None:
    data = b"\xfe\xff" + "name,company\nZoë,Azúcar\n".encode("utf-16-be")

    assert values(read_table(data, filename="l.csv")) == [{"name": "Zoë", "company": "Azúcar"}]


def test_read_table_utf16_without_bom_refused() -> None:
    message = refusal("name,company\nAna,Foo\n".encode("utf-16-le"))

    assert message == (
        "The file contains NUL characters, so it is probably not a text file, or it is UTF-16 "
        "text without a byte-order mark. Save it as 'CSV UTF-8' from your spreadsheet program "
        "and upload it again."
    )


def test_read_table_double_encoded_utf8_refused() -> None:
    # "Nestlé" read as Windows-1252 and saved again as UTF-8 becomes "NestlÃ©".
    message = refusal("name,company\nAna,Foo\nBo,NestlÃ© SA\n".encode())

    assert message == (
        'Row 3 contains garbled text: "NestlÃ©" (it probably should read "Nestlé"). This '
        "happens when a file is opened with the wrong encoding and saved again. Correct the "
        "text in your spreadsheet, or export the list again from its source, and upload it "
        "again."
    )


def garbled(row: int, word: str, fixed: str) -> str:
    return (
        f'Row {row} contains garbled text: "{word}" (it probably should read "{fixed}"). This '
        "happens when a file is opened with the wrong encoding and saved again. Correct the "
        "text in your spreadsheet, or export the list again from its source, and upload it "
        "again."
    )


@pytest.mark.parametrize(
    ("text", "word", "fixed"),
    [
        # Saved as UTF-8 after being read as Mac Roman (Excel for Mac's plain "CSV").
        ("Bo,Nestl√© SA\n", "Nestl√©", "Nestlé"),
        # Letters that Windows-1252 turns into a capital and a symbol, not "Ã" or "Â".
        ("Bo,Fabryka WrocÅ‚aw\n", "WrocÅ‚aw", "Wrocław"),
        ("Bo,ÐŸÑ€Ð¸Ð²ÐµÑ‚\n", "ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет"),
        # Garbled twice: the hint undoes both.
        ("Bo,NestlÃƒÂ© SA\n", "NestlÃƒÂ©", "Nestlé"),
    ],
    ids=["mac-roman", "polish-as-windows-1252", "cyrillic-as-windows-1252", "twice"],
)
def test_read_table_garbled_text_from_other_code_pages_refused(
    text: str, word: str, fixed: str
) -> None:
    assert refusal(("name,company\nAna,Foo\n" + text).encode()) == garbled(3, word, fixed)


@pytest.mark.parametrize(
    "name",
    [
        "SÃO PAULO",
        "JOÃO CONCEIÇÃO",
        "Ângelo Brandão",
        "PÃO DE AÇÚCAR",
        "Łódź",
        "Nguyễn Văn An",
        "Şahin Gıda",
        "王伟",
        "Привет",
        "Ελλάδα",
        "محمد",
        "Größe",
        "Côte d’Ivoire",
        "Ñandú S.A.",
        "Ærø",
        "¿Qué tal?",
        "3½ days",
        "Škoda",
        "l’Oréal",
        "25 °C",
        "Nestlé®",
        "Fee: 12 €",
        "«Hola»",
    ],
)
def test_read_table_legitimate_text_not_mistaken_for_garbling(name: str) -> None:
    table = read_csv(f"name,company\nAna,{name}\n")

    assert values(table) == [{"name": "Ana", "company": name}]


def test_read_table_portuguese_tilde_not_mistaken_for_garbling() -> None:
    table = read_csv("city,note\nSÃO PAULO,Ã© é ok? no: Ã then space\n".replace("Ã©", "Ãx"))

    assert values(table) == [{"city": "SÃO PAULO", "note": "Ãx é ok? no: Ã then space"}]


# ----------------------------------------------------------------- file types


def test_read_table_xls_refused() -> None:
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", filename="Attendees.XLS")

    assert message == (
        '"Attendees.XLS" is a .xls file, which cannot be read here. Open it in your spreadsheet '
        "program, save it as Excel Workbook (.xlsx) or 'CSV UTF-8' (.csv), and upload it again."
    )


def test_read_table_unknown_extension_refused() -> None:
    message = refusal(b"name\nAna\n", filename="C:\\fakepath\\list.pdf")

    assert message == (
        '"list.pdf" is a .pdf file. Upload a CSV (.csv, .txt, .tsv) or Excel workbook (.xlsx) '
        "file instead."
    )


def test_read_table_missing_extension_refused() -> None:
    message = refusal(b"name\nAna\n", filename="list")

    assert message == (
        '"list" is a file without an extension. Upload a CSV (.csv, .txt, .tsv) or Excel '
        "workbook (.xlsx) file instead."
    )


def test_read_table_zip_bytes_named_csv_refused() -> None:
    message = refusal(xlsx_bytes([["name"], ["Ana"]]), filename="list.csv")

    assert message == (
        'The file "list.csv" looks like an Excel workbook, not a CSV file. Rename it so it ends '
        "in .xlsx, or save it as 'CSV UTF-8' from your spreadsheet program, and upload it again."
    )


def test_read_table_xls_bytes_named_csv_refused() -> None:
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), filename="list.csv")

    assert message == (
        'The file "list.csv" looks like an old Excel (.xls) workbook, not a CSV file. Open it '
        "in your spreadsheet program, save it as Excel Workbook (.xlsx) or 'CSV UTF-8', and "
        "upload it again."
    )


# ----------------------------------------------------------------- XLSX


# Excel has no time zones: workbooks hold naive datetimes.
NOON_ISH = dt.datetime(2024, 1, 2, 9, 30)  # noqa: DTZ001
MIDNIGHT = dt.datetime(2024, 3, 1)  # noqa: DTZ001


def test_read_table_xlsx_cells_converted() -> None:
    data = xlsx_bytes(
        [
            ["First Name", "Count", "Ratio", "Born", "Seen", "Active", "Note", None],
            ["Ana", 3, 2.0, dt.date(1990, 5, 17), NOON_ISH, True, None],
            [],
            [" Bo ", -12345678901, 0.25, MIDNIGHT, None, False, None],
        ]
    )

    table = read_table(data, filename="Attendees.xlsx")

    assert table == Table(
        headers=["first_name", "count", "ratio", "born", "seen", "active", "note"],
        rows=[
            Row(
                number=2,
                values={
                    "first_name": "Ana",
                    "count": "3",
                    "ratio": "2",
                    "born": "1990-05-17",
                    "seen": "2024-01-02 09:30",
                    "active": "yes",
                    "note": "",
                },
            ),
            Row(
                number=4,
                values={
                    "first_name": "Bo",
                    "count": "-12345678901",
                    "ratio": "0.25",
                    "born": "2024-03-01",
                    "seen": "",
                    "active": "no",
                    "note": "",
                },
            ),
        ],
        encoding="utf-8",
        format="xlsx",
    )


def test_read_table_xlsx_cell_kinds_written_by_other_programs() -> None:
    # As Excel and other programs write them: a shared string in formatted runs with a
    # pronunciation guide, an inline string, a formula's cached text, an error, an ISO date, a
    # number in a built-in and in a custom date format, a boolean, and cells without a reference.
    from tests.registrations import bombs

    header = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (column, column)
        for column in [b"A", b"B", b"C", b"D"]
    )
    data = bombs.workbook(
        [
            b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><r><t>Ana </t>'
            b'</r><r><rPr><b/></rPr><t xml:space="preserve">L\xc3\xb3pez</t></r></is></c>'
            b'<c r="C2" t="str"><f>A2&amp;"!"</f><v>Nestl\xc3\xa9!</v></c>'
            b'<c r="D2" t="e"><v>#N/A</v></c></row>',
            b'<row><c t="d"><v>2024-01-02T09:30:00</v></c><c s="1"><v>45352</v></c>'
            b'<c s="2"><v>45352.5</v></c><c t="b"><v>1</v></c></row>',
        ],
        header=b'<row r="1">' + header + b"</row>",
        shared_strings=[
            b"<si><r><t>Kilang </t></r><r><rPr><i/></rPr><t>Sawit</t></r>"
            b'<rPh sb="0" eb="1"><t>kirangu</t></rPh></si>'
        ],
        styles=[
            b'<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/>'
            b'</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/>'
            b'<xf numFmtId="164"/></cellXfs>'
        ],
    )

    assert values(read_table(data, filename="list.xlsx")) == [
        {"a": "Kilang Sawit", "b": "Ana López", "c": "Nestlé!", "d": "#N/A"},
        {"a": "2024-01-02 09:30", "b": "2024-03-01", "c": "2024-03-01 12:00", "d": "yes"},
    ]


def test_read_table_xlsx_1904_date_system() -> None:
    workbook = openpyxl.Workbook()
    workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    workbook.active.append(["born"])
    workbook.active.append([dt.date(1990, 5, 17)])
    output = io.BytesIO()
    workbook.save(output)

    assert values(read_table(output.getvalue(), filename="l.xlsx")) == [{"born": "1990-05-17"}]


def test_read_table_xlsx_formula_without_saved_value_is_refused_with_row_and_column() -> None:
    # openpyxl saves formulas without their value, as any program that does not calculate.
    rows: list[list[object]] = [["First name", "Last name", "Email", "Country", "Company"]]
    rows += [["Ana", "López", f"ana{n}@example.com", "MX", "Azúcar SA"] for n in range(10)]
    rows += [["Budi", "Santoso", "budi@example.com", "ID", '=CONCAT("Golden ", "Hope")']]

    assert refusal(xlsx_bytes(rows), "list.xlsx") == (
        "Row 12, column E (Company): a formula with no saved value. Open the file in your "
        "spreadsheet program, save it (which saves every formula's value), and import it "
        "again. Nothing was imported."
    )


def test_read_table_xlsx_formula_without_saved_value_in_the_header_row_is_refused() -> None:
    data = xlsx_bytes([["name", "=1+1"], ["Ana", "2"]])

    assert refusal(data, "list.xlsx") == (
        "Row 1, column B: a formula with no saved value. Open the file in your spreadsheet "
        "program, save it (which saves every formula's value), and import it again. Nothing "
        "was imported."
    )


def test_read_table_xlsx_formula_with_saved_value_reads_the_value() -> None:
    from tests.registrations import bombs

    data = bombs.workbook(
        [
            b'<row r="2"><c r="A2" t="inlineStr"><is><t>Ana</t></is></c>'
            b'<c r="B2" t="str"><f>IF(A2="","","Nestl\xc3\xa9")</f><v>Nestl\xc3\xa9</v></c>'
            b'<c r="C2"><f>1+1</f><v>2</v></c></row>',
            # A formula whose saved value is empty text is empty, not unsaved.
            b'<row r="3"><c r="A3" t="inlineStr"><is><t>Budi</t></is></c>'
            b'<c r="B3" t="str"><f>IF(A3="Budi","","x")</f><v></v></c>'
            b'<c r="C3"><f>1+2</f><v>3</v></c></row>',
        ],
        header=b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>company</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>total</t></is></c></row>',
    )

    assert values(read_table(data, filename="l.xlsx")) == [
        {"name": "Ana", "company": "Nestlé", "total": "2"},
        {"name": "Budi", "company": "", "total": "3"},
    ]


def test_read_table_xlsx_gap_and_styled_empty_cells() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "Name", "Email"
    sheet["A5"], sheet["B5"] = "Ana", "a@example.com"
    sheet["F9"].style = "Good"  # formatted but empty: widens the sheet
    output = io.BytesIO()
    workbook.save(output)

    table = read_table(output.getvalue(), filename="l.xlsx")

    assert table.headers == ["name", "email"]
    assert table.rows == [Row(number=5, values={"name": "Ana", "email": "a@example.com"})]


def test_read_table_xlsx_first_sheet_only() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["name"])
    workbook.active.append(["Ana"])
    other = workbook.create_sheet("Other")
    other.append(["name"])
    other.append(["Bo"])
    workbook.active = 1
    output = io.BytesIO()
    workbook.save(output)

    assert values(read_table(output.getvalue(), filename="l.xlsx")) == [{"name": "Ana"}]


def test_read_table_xlsx_corrupt_refused() -> None:
    data = xlsx_bytes([["name"], ["Ana"]])

    message = refusal(data[: len(data) // 2], filename="list.xlsx")

    assert message == (
        'The file "list.xlsx" could not be opened as an Excel workbook; it may be damaged or '
        "incomplete. Open it in your spreadsheet program, save it again as Excel Workbook "
        "(.xlsx) or 'CSV UTF-8', and upload it again."
    )


def test_read_table_xlsx_zip_without_workbook_refused() -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")

    message = refusal(output.getvalue(), filename="list.xlsx")

    assert message.startswith('The file "list.xlsx" could not be opened as an Excel workbook;')


def test_read_table_csv_named_xlsx_refused() -> None:
    message = refusal(b"name\nAna\n", filename="list.xlsx")

    assert message == (
        'The file "list.xlsx" could not be opened as an Excel workbook: it is not one. If it is '
        "a CSV file, rename it so it ends in .csv; otherwise save it again as Excel Workbook "
        "(.xlsx) and upload it again."
    )


def test_read_table_protected_xlsx_refused() -> None:
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), filename="list.xlsx")

    assert message == (
        'The file "list.xlsx" is an old Excel (.xls) workbook renamed to .xlsx, or a '
        "password-protected workbook. Remove any password, save it as Excel Workbook (.xlsx) "
        "or 'CSV UTF-8', and upload it again."
    )


def test_read_table_xlsx_duplicate_header_refused() -> None:
    message = refusal(xlsx_bytes([["Name", "E-mail", "name"]]), filename="l.xlsx")

    assert message == (
        'The column name "name" appears more than once (columns A and C). Each column name '
        "must be unique: rename or delete one of them and upload the file again."
    )


def test_read_table_xlsx_empty_sheet_refused() -> None:
    message = refusal(xlsx_bytes([]), filename="l.xlsx")

    assert message == (
        "The file has no rows. The first row must contain the column names, followed by one "
        "row per person."
    )


# ----------------------------------------------------------------- size limit


def test_read_table_size_limit_message() -> None:
    data = b"a" * int(12.3 * 1024 * 1024)

    message = refusal(data, max_bytes=10 * 1024 * 1024)

    assert message == "The file is 12.3 MB; the limit is 10 MB. Split it into smaller files."


def test_read_table_size_just_over_limit_never_reads_as_equal() -> None:
    message = refusal(b"a" * (10 * 1024 * 1024 + 1), max_bytes=10 * 1024 * 1024)

    assert message == "The file is 10.1 MB; the limit is 10 MB. Split it into smaller files."


def test_read_table_size_limit_small_units() -> None:
    message = refusal(b"name\n" + b"a\n" * 1000, max_bytes=512)

    assert message == "The file is 2 KB; the limit is 512 bytes. Split it into smaller files."


def test_read_table_size_at_limit_accepted() -> None:
    data = b"name\nAna\n"

    assert values(read_table(data, filename="l.csv", max_bytes=len(data))) == [{"name": "Ana"}]


# ----------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+49 30 1234", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "＝1+1", "＋1", "－1", "＠x"],
)
def test_escape_formula_dangerous_first_character(value: str) -> None:
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["Jean-Pierre", "a=b", "name@example.com", "", " =1", "'already", "|cmd"],
)
def test_escape_formula_safe_text_unchanged(value: str) -> None:
    assert escape_formula(value) == value


@pytest.mark.parametrize("value", [-5, -2.5, None, True, dt.date(2024, 1, 2)])
def test_escape_formula_non_text_unchanged(value: object) -> None:
    assert escape_formula(value) is value


def test_escape_row_escapes_each_value() -> None:
    assert escape_row(["=A1", -1, "ok", None]) == ["'=A1", -1, "ok", None]


# ----------------------------------------------------------------- writing


def test_write_csv_bom_and_escaped_cells() -> None:
    data = write_csv(
        ["Name", "=Total"],
        [['=HYPERLINK("http://x")', -5], [None, True], [dt.date(2024, 1, 2), "Société"]],
    )

    assert data[:3] == b"\xef\xbb\xbf"
    assert (
        data
        == (
            "\ufeff"
            "Name,'=Total\r\n"
            '"\'=HYPERLINK(""http://x"")",-5\r\n'
            ",yes\r\n"
            "2024-01-02,Société\r\n"
        ).encode()
    )


def test_write_csv_reads_back_with_read_table() -> None:
    data = write_csv(
        ["First Name", "Company", "Note"],
        [["Zoë", "Nestlé, Suisse", "line 1\nline 2"], ["Bo", "Azúcar; SA", "-lead"]],
    )

    table = read_table(data, filename="export.csv")

    assert values(table) == [
        {"first_name": "Zoë", "company": "Nestlé, Suisse", "note": "line 1\nline 2"},
        {"first_name": "Bo", "company": "Azúcar; SA", "note": "'-lead"},
    ]


def test_write_csv_escapes_text_from_other_objects() -> None:
    class Lazy:
        def __str__(self) -> str:
            return "=cmd"

    assert write_csv(["a"], [[Lazy()]]) == b"\xef\xbb\xbfa\r\n'=cmd\r\n"


def test_iter_csv_streams_rows_lazily() -> None:
    consumed: list[int] = []

    def rows():
        for number in range(3):
            consumed.append(number)
            yield [f"row {number}"]

    chunks = iter_csv(["name"], rows(), chunk_size=1)
    first = next(chunks)

    assert first == b"\xef\xbb\xbfname\r\nrow 0\r\n"
    assert consumed == [0]
    assert b"".join([first, *chunks]) == write_csv(["name"], [[f"row {n}"] for n in range(3)])


def test_write_xlsx_reads_back_without_formulas() -> None:
    data = write_xlsx(
        ["Name", "=Total", "Born", "Active"],
        [
            ["=1+1", -5, dt.date(1990, 5, 17), True],
            ["@SUM(A1:A2)", 2.5, None, False],
            ["Zoë\x01", "+33 1 23", "－1", "Société"],
        ],
    )

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]

    assert sheet.title == "Export"
    assert [cell.data_type for cell in cells if cell.data_type == "f"] == []
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Name", "'=Total", "Born", "Active"],
        ["'=1+1", -5, dt.datetime(1990, 5, 17), True],  # noqa: DTZ001
        ["'@SUM(A1:A2)", 2.5, None, False],
        ["Zoë", "'+33 1 23", "'－1", "Société"],
    ]


def test_write_xlsx_aware_datetime_written_as_text() -> None:
    moment = dt.datetime(2024, 6, 1, 14, 30, tzinfo=dt.UTC)

    data = write_xlsx(["when"], [[moment]], sheet_title="Check-ins: day 1/2")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Check-ins  day 1 2"
    assert sheet["A2"].value == "2024-06-01 14:30:00+00:00"


def test_write_xlsx_reads_back_with_read_table() -> None:
    data = write_xlsx(["Name", "Count"], [["Ana", 3], ["=x", None]])

    table = read_table(data, filename="export.xlsx")

    assert values(table) == [{"name": "Ana", "count": "3"}, {"name": "'=x", "count": ""}]


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="A2"><f>1+1</f></c>',
        b'<c r="A2"><f>1+1</f><v/></c>',
        b'<c r="A2" t="str"><f>B2</f></c>',
        b'<c r="A2" t="b"><f>TRUE()</f><v></v></c>',
        b'<c r="A2"><f t="shared" si="0"/></c>',
    ],
)
def test_read_table_xlsx_formula_cells_without_saved_value_as_programs_write_them(cell) -> None:
    from tests.registrations import bombs

    data = bombs.workbook([b'<row r="2">' + cell + b"</row>"])

    assert refusal(data, "list.xlsx").startswith(
        "Row 2, column A (email): a formula with no saved value."
    )
