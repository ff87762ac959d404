"""Feedback results pages × every role → the status each must answer (rows in the style of
tests/test_permissions.py). The secretariat sees every forum's results; a member those of the
forums it sponsored; a facilitator those of the forums where it led a workshop; nobody else any
(404, so the address tells nothing)."""

import pytest
from django.urls import reverse

from attendance.models import DoorHelper
from forums.models import Person
from tests.feedback.results_fixture import build_results_fixture, build_survey
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_feedback_results_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    # Sponsored by "member"; "facilitator" led its workshop A1; "door_helper" works its door.
    row("results", 302, 404, 404, 200, 200, 404, 404, 200, 302),
    row("results POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Sponsored by "other_member"; led by no one with an account.
    row("results_other", 302, 404, 404, 404, 404, 200, 404, 200, 302),
    row("results_other POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Sponsored by "member", no survey yet: those who may see results are told so.
    row("results_no_survey", 302, 404, 404, 404, 200, 404, 404, 200, 302),
    row("results_no_survey POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("results_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 404),
    row("results_unknown POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # One row per response, with e-mail addresses: the secretariat's only.
    row("results_export_csv", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("results_export_csv POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("results_export_xlsx", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("results_export_xlsx POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("results_export_other_format", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("results_export_other_format POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
]


@pytest.fixture
def urls(make_forum, sponsor, users):
    kl = build_results_fixture(make_forum)
    sponsor(kl.forum, users["member"].organisation)
    kl.workshops["A1"].facilitators.add(
        Person.objects.create(
            first_name="Fa", last_name="Cilitator", email="facilitator@example.com"
        )
    )
    DoorHelper.objects.create(user=users["door_helper"], forum=kl.forum)
    other = make_forum(slug="other-forum")
    build_survey(other)
    sponsor(other, users["other_member"].organisation)
    no_survey = make_forum(slug="no-survey")
    sponsor(no_survey, users["member"].organisation)
    export = "feedback:results_export"
    return {
        "results": reverse("feedback:results", args=[kl.forum.slug]),
        "results_other": reverse("feedback:results", args=[other.slug]),
        "results_no_survey": reverse("feedback:results", args=[no_survey.slug]),
        "results_unknown": reverse("feedback:results", args=["no-such-forum"]),
        "results_export_csv": reverse(export, args=[kl.forum.slug, "csv"]),
        "results_export_xlsx": reverse(export, args=[kl.forum.slug, "xlsx"]),
        "results_export_other_format": reverse(export, args=[kl.forum.slug, "pdf"]),
    }


def test_every_feedback_results_url_has_get_and_post_rows(urls):
    project = {name for name in project_url_names() if in_feedback_results_table(name)}
    assert project == {"feedback:results", "feedback:results_export"}
    assert sorted(project - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_feedback_results(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    assert database_state() == before
