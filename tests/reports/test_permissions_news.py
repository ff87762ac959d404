"""News draft and maturity pages × every role → the status each must answer (rows in the style
of tests/test_permissions.py). The secretariat's only; everyone else logged in gets 404, so the
address tells nothing; the anonymous are sent to log in."""

import pytest
from django.urls import reverse

from attendance.models import DoorHelper
from forums.enums import ForumStatus
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_news_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    # Held, sponsored by "member"; "door_helper" worked its door.
    row("news", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    # POST with no data: the form is refused and shown again, nothing is saved.
    row("news POST", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    # Not held yet: no draft, for anyone.
    row("news_not_held", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("news_not_held POST", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("news_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("news_unknown POST", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("maturity", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("maturity POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("maturity_not_held", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("maturity_not_held POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("maturity_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("maturity_unknown POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
]


@pytest.fixture
def urls(make_forum, sponsor, users):
    held = make_forum(slug="held-forum")
    held.status = ForumStatus.HELD
    held.save()
    sponsor(held, users["member"].organisation)
    DoorHelper.objects.create(user=users["door_helper"], forum=held)
    upcoming = make_forum(slug="upcoming-forum")
    sponsor(upcoming, users["member"].organisation)
    return {
        "news": reverse("reports:news", args=[held.slug]),
        "news_not_held": reverse("reports:news", args=[upcoming.slug]),
        "news_unknown": reverse("reports:news", args=["no-such-forum"]),
        "maturity": reverse("reports:maturity", args=[held.slug]),
        "maturity_not_held": reverse("reports:maturity", args=[upcoming.slug]),
        "maturity_unknown": reverse("reports:maturity", args=["no-such-forum"]),
    }


def test_every_news_url_has_get_and_post_rows(urls):
    project = {name for name in project_url_names() if in_news_table(name)}
    assert project == {"reports:news", "reports:maturity"}
    assert sorted(project - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_news(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    assert database_state() == before
