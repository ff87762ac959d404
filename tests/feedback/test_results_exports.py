import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from feedback.exports import export_results
from tests.feedback.results_fixture import FORMULA, SCRIPT, build_results_fixture

HEADERS = [
    "helpful",
    "overall",
    "recommend",
    "workshop:A1",
    "workshop:B2",
    "facilitator:A1:White",
    "facilitator:B2:Chua",
    "facilitator:B2:McKeller",
    "workshop_comment:A1",
    "workshop_comment:B2",
    "change",
    "topics",
    "comments",
]
FIRST_ROW = [
    "yes",
    "5",
    "10",
    "5",
    "",
    "5",
    "",
    "",
    "'" + FORMULA,
    "",
    SCRIPT,
    "environment;human_rights",
    "",
]


@pytest.fixture
def kl(make_forum):
    return build_results_fixture(make_forum)


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_export_csv_one_row_per_response_in_the_import_columns(staff_client, kl):
    response = staff_client.get(reverse("feedback:results_export", args=[kl.forum.slug, "csv"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="kuala-lumpur-2017-feedback-'
    )
    rows = _csv(response.content)
    assert rows[0] == ["email", *HEADERS]
    assert len(rows) == 1 + 7
    assert rows[1] == ["d1@x.example", *FIRST_ROW]
    # A paper form has no e-mail; r6 answered "no" and skipped the topics.
    assert rows[6][:4] == ["", "no", "2", "0"]
    assert rows[6][HEADERS.index("topics") + 1] == ""
    assert rows[5][HEADERS.index("facilitator:B2:McKeller") + 1] == "2"


def test_export_anonymous_survey_has_no_email_column(make_forum):
    kl = build_results_fixture(make_forum, anonymous=True)

    rows = _csv(export_results(kl.survey, file_format="csv", with_emails=True))

    assert rows[0] == HEADERS
    assert rows[1] == FIRST_ROW


def test_export_xlsx_escapes_formulas(kl):
    content = export_results(kl.survey, file_format="xlsx", with_emails=True)

    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["email", *HEADERS]
    comment = sheet.cell(row=2, column=1 + HEADERS.index("workshop_comment:A1") + 1)
    assert comment.value == "'" + FORMULA
    assert comment.data_type == "s"
    # Numbers stay numbers.
    assert rows[1][1:4] == ["yes", 5, 10]
