"""The reach page × every role → the status each must answer (rows in the style of
tests/test_permissions.py). The reach is the secretariat's: anonymous visitors are sent to log
in, everyone else gets 404, as on the feedback results."""

import pytest
from django.urls import reverse

from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_reach_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    row("reach", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("reach POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("reach_as_of", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("reach_as_of POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("reach_bad_date", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("reach_bad_date POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("reach_export_csv", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("reach_export_csv POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("reach_export_xlsx", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("reach_export_xlsx POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("reach_export_other_format", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("reach_export_other_format POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
]


@pytest.fixture
def urls(history):
    export = "reports:reach_export"
    return {
        "reach": reverse("reports:reach"),
        "reach_as_of": reverse("reports:reach") + "?as_of=2017-10-24",
        "reach_bad_date": reverse("reports:reach") + "?as_of=2017-02-30",
        "reach_export_csv": reverse(export, args=["csv"]),
        "reach_export_xlsx": reverse(export, args=["xlsx"]),
        "reach_export_other_format": reverse(export, args=["pdf"]),
    }


def test_every_reach_url_has_get_and_post_rows(urls):
    project = {name for name in project_url_names() if in_reach_table(name)}
    assert project == {"reports:reach", "reports:reach_export"}
    assert sorted(project - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_reach(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    assert database_state() == before
