"""The attendance-list import as django-import-export sees it, so that the admin gets that
library's upload → preview → confirm screens while the reading (encodings, separators, XLSX),
the checks (all or nothing) and the writing stay the ones the command line uses."""

from collections import defaultdict
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from import_export.formats.base_formats import Format
from import_export.resources import Resource
from import_export.results import Error, Result, RowResult

from registrations.imports import ImportRefused, import_registrations
from registrations.spreadsheets import Limits, Row, Table, read_table

ROW = "row"


class _Spreadsheet(Format):
    """A file read by `spreadsheets.read_table`; the dataset's first column is the row number
    a person sees in their spreadsheet, so errors can point at it."""

    extension = ""

    def __init__(self, encoding=None, **kwargs):
        # The encoding is detected from the bytes (read_table), not given by the admin.
        self.encoding = encoding

    def get_title(self):
        return self.extension

    def get_extension(self):
        return self.extension

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def can_import(self):
        return True

    def can_export(self):
        return False

    def create_dataset(self, in_stream, **kwargs):
        table = read_table(
            bytes(in_stream),
            filename=f"upload.{self.extension}",
            max_bytes=settings.MAX_UPLOAD_BYTES,
            limits=Limits.from_settings(),
        )
        dataset = tablib.Dataset(headers=[ROW, *table.headers])
        for row in table.rows:
            dataset.append([row.number, *(row.values[h] for h in table.headers)])
        return dataset


class SpreadsheetCSV(_Spreadsheet):
    extension = "csv"


class SpreadsheetXLSX(_Spreadsheet):
    extension = "xlsx"


class AttendanceListResource(Resource):
    """Imports into the forum chosen on the import form."""

    SHOWN = ["email", "first_name", "last_name", "company", "country", "attended", "workshops"]

    def __init__(self, forum=None, by=None, **kwargs):
        super().__init__(**kwargs)
        self.forum = forum
        self.by = by

    @classmethod
    def get_display_name(cls):
        return "Attendance or registration list"

    def get_user_visible_fields(self):
        return []

    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> Result:
        # Checks and writing are import_registrations' own (all or nothing, in one transaction):
        # the library's transaction and row options do not apply.
        headers = [h for h in dataset.headers if h != ROW]
        rows = [
            Row(number=int(values[0]), values=dict(zip(headers, values[1:], strict=True)))
            for values in dataset
        ]
        table = Table(headers=headers, rows=rows, encoding="utf-8", format="csv")
        result = Result()
        result.diff_headers = ["row", *self.SHOWN]
        if self.forum is None:
            result.append_base_error(Error(ValueError("Choose the forum to import into.")))
            return result
        by_number = {row.number: row for row in rows}
        try:
            report = import_registrations(
                forum=self.forum, table=table, dry_run=dry_run, by=self.by
            )
        except ImportRefused as refused:
            per_row: defaultdict[int, defaultdict[str, list[str]]] = defaultdict(
                lambda: defaultdict(list)
            )
            for error in refused.errors:
                if error.row in by_number:
                    per_row[error.row][error.column or "__all__"].append(error.message)
                else:
                    result.append_base_error(Error(ValueError(str(error))))
            for number, messages in sorted(per_row.items()):
                values = {ROW: number, **{h: by_number[number].get(h) for h in self.SHOWN}}
                result.append_invalid_row(number, values, ValidationError(dict(messages)))
            return result
        for row in rows:
            row_result = RowResult()
            row_result.import_type = report.outcomes.get(row.number, RowResult.IMPORT_TYPE_SKIP)
            row_result.diff = [str(row.number), *(row.get(h) for h in self.SHOWN)]
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        return result
