"""Hostile spreadsheets, built on the fly (for tests/registrations/test_spreadsheet_limits.py and
bench/spreadsheet_bombs.py): small files that unpack or parse into something huge. Workbooks are
written part by part as streams, so even one that unpacks to gigabytes is built in little memory.
"""

import io
import struct
import zipfile
from collections.abc import Iterable, Iterator

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "%s</Types>"
)
_SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_STYLES_TYPE = (
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{MAIN.decode()}" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="List" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>'


def _in_chunks(pieces: Iterable[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    buffer, length = [], 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield b"".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield b"".join(buffer)


def workbook(
    rows: Iterable[bytes] = (),
    *,
    header: bytes = HEADER_ROW,
    shared_strings: Iterable[bytes] | None = None,
    styles: Iterable[bytes] | None = None,
    extra_parts: int = 0,
) -> bytes:
    """An .xlsx whose first sheet holds a header row (email) and then `rows` (XML), with
    optional shared strings and styles parts (XML inside their root element)."""

    def sheet() -> Iterator[bytes]:
        yield b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>' % MAIN
        yield header
        yield from rows
        yield b"</sheetData></worksheet>"

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        types = (_SHARED_STRINGS_TYPE if shared_strings is not None else "") + (
            _STYLES_TYPE if styles is not None else ""
        )
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES % types)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        parts = [(SHEET, sheet())]
        if shared_strings is not None:
            parts.append((SHARED_STRINGS, _wrapped(b"sst", shared_strings)))
        if styles is not None:
            parts.append((STYLES, _wrapped(b"styleSheet", styles)))
        for name, pieces in parts:
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in _in_chunks(pieces):
                    part.write(chunk)
        for number in range(extra_parts):
            archive.writestr(f"customXml/item{number}.xml", b"")
    return output.getvalue()


def _wrapped(root: bytes, pieces: Iterable[bytes]) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><%s xmlns="%s">' % (root, MAIN)
    yield from pieces
    yield b"</%s>" % root


def unpacks_to(size: int) -> bytes:
    """A workbook whose sheet is `size` bytes of blank space once unpacked (about 1/1000 of
    that packed): the classic zip bomb."""
    block = b" " * (1 << 20)
    full, rest = divmod(size, len(block))
    return workbook([block] * full + [b" " * rest])


def declaring(data: bytes, part: str, size: int) -> bytes:
    """The workbook with `part` declared (in its local and central headers) as `size` bytes
    unpacked, whatever it really holds: a zip whose headers lie."""
    data = bytearray(data)
    name = part.encode()
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) >= 0:
        name_length, extra_length = struct.unpack_from("<HH", data, offset + 28)
        if data[offset + 46 : offset + 46 + name_length] == name:
            if struct.unpack_from("<I", data, offset + 24)[0] == 0xFFFFFFFF:
                _declare_zip64(data, offset + 46 + name_length, extra_length, size)
            else:
                struct.pack_into("<I", data, offset + 24, size)
            local = struct.unpack_from("<I", data, offset + 42)[0]
            struct.pack_into("<I", data, local + 22, min(size, 0xFFFFFFFE))
            return bytes(data)
        offset += 46
    raise ValueError(f"{part} is not in the archive")


def _declare_zip64(data: bytearray, extra: int, length: int, size: int) -> None:
    end = extra + length
    while extra < end:
        kind, field_length = struct.unpack_from("<HH", data, extra)
        if kind == 0x0001:  # zip64: the uncompressed size comes first
            struct.pack_into("<Q", data, extra + 4, size)
            return
        extra += 4 + field_length
    raise ValueError("no zip64 field")


def many_rows(count: int) -> bytes:
    """`count` data rows of one number each, below the header."""
    return workbook(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(2, count + 2)
    )


def long_cell(length: int) -> bytes:
    """One data cell of `length` characters (a shared string)."""
    return workbook(
        [b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'],
        shared_strings=[b"<si><t>" + b"x" * length + b"</t></si>"],
    )


def value_in_column(column: str) -> bytes:
    """One data row with a value in `column` (a letter such as AY)."""
    ref = column.encode()
    return workbook([b'<row r="2"><c r="%s2"><v>1</v></c></row>' % ref])


def many_shared_strings(count: int) -> bytes:
    return workbook(shared_strings=(b"<si><t>%d</t></si>" % n for n in range(count)))


def many_cell_formats(count: int) -> bytes:
    return workbook(
        styles=[b"<cellXfs>", *(b'<xf numFmtId="14"/>' for _ in range(count)), b"</cellXfs>"]
    )


def many_parts(count: int) -> bytes:
    return workbook(extra_parts=count)


def csv_rows(count: int) -> bytes:
    return b"email\r\n" + b"a@example.com\r\n" * count


def csv_long_cell(length: int) -> bytes:
    return b"email,note\r\na@example.com," + b"x" * length + b"\r\n"


def csv_wide_row(columns: int) -> bytes:
    return b"email\r\na@example.com" + b",1" * (columns - 1) + b"\r\n"
