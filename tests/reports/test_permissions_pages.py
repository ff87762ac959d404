"""The dashboards and the post-event report × every role → the status each must answer (rows in
the style of tests/test_permissions.py). Pages answer 404 to those who may not see them, so that
an address tells nothing; anonymous visitors are sent to log in."""

import pytest
from django.urls import reverse

from attendance.models import DoorHelper
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_reports_pages_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    # Sponsored by "member" and "other_member"; "door_helper" works its door.
    row("overview", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("overview POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("overview_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("overview_unknown POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # A member representative sees its own organisation's page; the secretariat picks one.
    row("members", 302, 404, 404, 404, 200, 200, 404, 200, 302),
    row("members POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Another member's page, asked for by its id: its own representative and the secretariat.
    row("members_mars", 302, 404, 404, 404, 404, 200, 404, 200, 302),
    row("members_mars POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("members_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("members_unknown POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Facilitators' accounts only: each sees the workshops it leads (tests/reports/
    # test_facilitator.py checks which).
    row("facilitator", 302, 404, 404, 200, 404, 404, 404, 404, 404),
    row("facilitator POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The post-event report: the secretariat and the forum's sponsors (both members here).
    row("report", 302, 404, 404, 404, 200, 200, 404, 200, 302),
    row("report POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # A forum only "other_member" sponsored.
    row("report_mars_only", 302, 404, 404, 404, 404, 200, 404, 200, 302),
    row("report_mars_only POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("report_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 404),
    row("report_unknown POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
]


@pytest.fixture
def urls(dashboard, users, make_forum, sponsor):
    DoorHelper.objects.create(user=users["door_helper"], forum=dashboard.forum)
    mars_only = make_forum(slug="mars-only")
    sponsor(mars_only, users["other_member"].organisation)
    DoorHelper.objects.create(user=users["door_helper"], forum=mars_only)
    pdf = "reports:forum_report_pdf"
    return {
        "report": reverse(pdf, args=[dashboard.forum.slug]),
        "report_mars_only": reverse(pdf, args=[mars_only.slug]),
        "report_unknown": reverse(pdf, args=["no-such-forum"]),
        "overview": reverse("reports:forum_overview", args=[dashboard.forum.slug]),
        "overview_unknown": reverse("reports:forum_overview", args=["no-such-forum"]),
        "members": reverse("reports:members"),
        "facilitator": reverse("reports:facilitator"),
        "members_mars": reverse("reports:members") + f"?member={dashboard.mars.organisation_id}",
        "members_unknown": reverse("reports:members") + "?member=987654",
    }


def test_every_reports_page_url_has_get_and_post_rows(urls):
    project = {name for name in project_url_names() if in_reports_pages_table(name)}
    assert sorted(project - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_reports_pages(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    assert database_state() == before


def test_forum_admin_links_to_the_overview(client, users, dashboard):
    client.force_login(users["secretariat"])
    page = client.get(reverse("admin:forums_forum_change", args=[dashboard.forum.pk]))
    assert page.status_code == 200
    overview = reverse("reports:forum_overview", args=[dashboard.forum.slug])
    assert f'href="{overview}"' in page.content.decode()
