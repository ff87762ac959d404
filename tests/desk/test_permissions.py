"""The secretariat's desk × every role → the status each must answer (rows in the style of
tests/test_permissions.py). Forum managers only: everyone else logged in gets 404, so an address
tells nothing; the anonymous are sent to log in, and staff without a second factor to set one
up."""

import pytest
from django.urls import reverse

from registrations.models import Registration
from tests.feedback.results_fixture import build_results_fixture
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_desk_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    row("start", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("start POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("forum", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("forum POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("forum_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("forum_unknown POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The confirmation page; a POST without confirm=yes shows it again and changes nothing.
    row("survey_open", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("survey_open POST", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("survey_unknown_action", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("survey_unknown_action POST", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("export", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("export POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("export_unknown_format", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("export_unknown_format POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Acting for a registrant. A POST without its button's value (save=yes, confirm=yes) shows
    # the page again, or goes back to it, and changes nothing.
    row("registration", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("registration POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("registration_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("registration_unknown POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("registration_workshops", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("registration_workshops POST", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("registration_resend", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("registration_resend POST", 302, 404, 404, 404, 404, 404, 404, 302, 302),
    row("registration_cancel", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("registration_cancel POST", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("registration_open", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("registration_open POST", 302, 404, 404, 404, 404, 404, 404, 302, 302),
    row("registration_add", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("registration_add POST", 302, 404, 404, 404, 404, 404, 404, 200, 302),
]


@pytest.fixture
def urls(make_forum):
    kl = build_results_fixture(make_forum)
    slug = kl.forum.slug
    registration = Registration.objects.filter(forum=kl.forum).first()
    return {
        "start": reverse("desk:start"),
        "forum": reverse("desk:forum", args=[slug]),
        "forum_unknown": reverse("desk:forum", args=["no-such-forum"]),
        "survey_open": reverse("desk:survey_action", args=[slug, "open"]),
        "survey_unknown_action": reverse("desk:survey_action", args=[slug, "explode"]),
        "export": reverse("desk:export", args=[slug, "csv"]),
        "export_unknown_format": reverse("desk:export", args=[slug, "pdf"]),
        "registration": reverse("desk:registration", args=[registration.pk]),
        "registration_unknown": reverse("desk:registration", args=["999999"]),
        "registration_workshops": reverse("desk:registration_workshops", args=[registration.pk]),
        "registration_resend": reverse("desk:registration_resend", args=[registration.pk]),
        "registration_cancel": reverse("desk:registration_cancel", args=[registration.pk]),
        "registration_open": reverse("desk:registration_open", args=[registration.pk]),
        "registration_add": reverse("desk:registration_add", args=[slug]),
    }


def test_every_desk_url_has_get_and_post_rows(urls):
    assert sorted({n for n in project_url_names() if in_desk_table(n)} - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_desk(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    assert database_state() == before
