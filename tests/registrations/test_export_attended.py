"""The registration export's "attended" column: yes for those the attendance app says attended
(attendance.selectors.has_attended), no for everyone else, whatever check-ins they have or lack."""

import csv
import io
from datetime import date

from django.core.management import call_command

from registrations.imports import import_registrations
from registrations.spreadsheets import read_table
from tests.registrations.test_imports import ROWS, add_workshops, csv_bytes, replace


def exported(slug: str) -> dict[str, str]:
    """E-mail address → the "attended" cell, read from export_registrations' CSV."""
    out = io.StringIO()
    call_command("export_registrations", slug, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    return {row["email"]: row["attended"] for row in rows}


def test_export_of_an_imported_list_marks_those_listed_as_not_attending_no(make_forum):
    forum = make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held")
    add_workshops(forum)
    # Siti yes, Ahmad no, Budi yes; then Budi's row says no as well.
    rows = replace(2, "attended", "no", replace(0, "invited_by", "", ROWS))
    import_registrations(forum=forum, table=read_table(csv_bytes(rows=rows), filename="list.csv"))

    assert exported("kl-2017") == {
        "siti@ksm.example": "yes",
        "ahmad@ksm.example": "no",
        "budi@goldenhope.example": "no",
    }
