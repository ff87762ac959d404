"""The privacy tools × every role → the status each must answer (rows in the style of
tests/test_permissions.py). The registrant's pages answer anyone holding the manage link; the
desk's pages answer forum managers only (404 for everyone else logged in)."""

import pytest
from django.urls import reverse

from forums.models import Person
from registrations.models import Registration
from tests.feedback.results_fixture import build_results_fixture
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_privacy_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    row("manage_export", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("manage_export POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The confirmation page; a POST without confirm=yes shows it again and erases nothing.
    row("manage_erase", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("manage_erase POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("manage_unknown", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("manage_unknown POST", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("personal_data", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("personal_data POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("person", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("person POST", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("person_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("person_unknown POST", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("person_data", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("person_data POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
]


@pytest.fixture
def urls(make_forum):
    kl = build_results_fixture(make_forum)
    registration = Registration.objects.filter(forum=kl.forum).first()
    person = Person.objects.get(pk=registration.person_id)
    return {
        "manage_export": reverse("privacy:manage_export", args=[registration.secret]),
        "manage_erase": reverse("privacy:manage_erase", args=[registration.secret]),
        "manage_unknown": reverse("privacy:manage_erase", args=["A" * 43]),
        "personal_data": reverse("privacy:personal_data"),
        "person": reverse("privacy:person", args=[person.pk]),
        "person_unknown": reverse("privacy:person", args=["999999"]),
        "person_data": reverse("privacy:person_data", args=[person.pk]),
    }


def test_every_privacy_url_has_get_and_post_rows(urls):
    names = {n for n in project_url_names() if in_privacy_table(n)}
    assert sorted(names - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_privacy(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    assert database_state() == before
