"""The attendance-list import as django-import-export sees it, so that the admin gets that
library's upload → preview → confirm screens while the reading (encodings, separators, XLSX),
the checks (all or nothing) and the writing stay the ones the command line uses."""

from collections import defaultdict
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext
from import_export.formats.base_formats import Format
from import_export.resources import Resource
from import_export.results import Error, Result, RowResult

from registrations.enums import PlaceStatus
from registrations.imports import ImportRefused, RowCompany, import_registrations, place_columns
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
        # The headers as the file writes them, so that messages can quote them.
        dataset = tablib.Dataset(headers=[ROW, *(table.label(h) for h in table.headers)])
        for row in table.rows:
            dataset.append([row.number, *(row.values[h] for h in table.headers)])
        return dataset


class SpreadsheetCSV(_Spreadsheet):
    extension = "csv"


class SpreadsheetXLSX(_Spreadsheet):
    extension = "xlsx"


def _preview_columns() -> list[tuple[str, str]]:
    """The preview's columns: (key, header) pairs; a key names a column of the list or, for
    what the import makes of a row, one of PREVIEW."""
    return [
        (ROW, gettext("Row")),
        ("email", gettext("E-mail")),
        ("first_name", gettext("First name")),
        ("last_name", gettext("Last name")),
        ("company", gettext("Company")),
        ("company_match", gettext("Company match")),
        ("country", gettext("Country")),
        ("workshops", gettext("Workshops")),
        ("workshop_places", gettext("Workshop places")),
        ("attendance", gettext("Attendance recorded")),
    ]


PREVIEW = {"company_match", "workshop_places", "attendance"}


def company_text(company: RowCompany) -> str:
    if company.outcome == "matched":
        return f"= {company.name}"
    if company.outcome == "unsure":
        return gettext("unsure: listed for review")
    return gettext("new")


def places_text(places: list[tuple[str, str]]) -> str:
    return "; ".join(
        f"{code}: "
        + (gettext("seat") if status == PlaceStatus.CONFIRMED else gettext("waiting list"))
        for code, status in places
    )


def attendance_text(attended: bool | None) -> str:
    if attended is None:
        return gettext("none (the forum is still to come)")
    return pgettext("import preview", "attended") if attended else gettext("no-show")


class AttendanceListResource(Resource):
    """Imports into the forum chosen on the import form."""

    def __init__(self, forum=None, by=None, **kwargs):
        super().__init__(**kwargs)
        self.forum = forum
        self.by = by

    @classmethod
    def get_display_name(cls):
        return gettext("Attendance or registration list")

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
        labels = [h for h in dataset.headers if h != ROW]
        rows = [
            Row(number=int(values[0]), values=dict(zip(labels, values[1:], strict=True)))
            for values in dataset
        ]
        table = Table(headers=labels, rows=rows, encoding="utf-8", format="csv", labels=labels)
        result = Result()
        columns = _preview_columns()
        result.diff_headers = [header for _, header in columns]
        if self.forum is None:
            result.append_base_error(Error(ValueError(gettext("Choose the forum to import into."))))
            return result
        by_number = {row.number: row for row in rows}
        try:
            table = place_columns(table)
            by_number = {row.number: row for row in table.rows}
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
                row = by_number[number]
                values = {
                    header: number if key == ROW else ("" if key in PREVIEW else row.get(key))
                    for key, header in columns
                }
                result.append_invalid_row(number, values, ValidationError(dict(messages)))
            return result
        for row in table.rows:
            made = {
                ROW: str(row.number),
                "company_match": company_text(report.companies[row.number]),
                "workshop_places": places_text(report.places[row.number]),
                "attendance": attendance_text(report.attendance[row.number]),
            }
            row_result = RowResult()
            row_result.import_type = report.outcomes.get(row.number, RowResult.IMPORT_TYPE_SKIP)
            row_result.diff = [made.get(key, row.get(key)) for key, _ in columns]
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        return result
