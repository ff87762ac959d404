"""Every page × every role → the status it must answer. New pages add rows here."""

import pytest
from django.urls import reverse

from forums.enums import ForumStatus
from tests.matrix import assert_statuses, row

MATRIX = [
    row("home", 200, 200, 200, 200, 200, 200, 200),
    row("calendar_feed", 200, 200, 200, 200, 200, 200, 200),
    row("forum_public", 200, 200, 200, 200, 200, 200, 200),
    row("forum_public_ics", 200, 200, 200, 200, 200, 200, 200),
    row("forum_draft", 404, 404, 404, 404, 404, 404, 200),
    row("forum_draft_ics", 404, 404, 404, 404, 404, 404, 200),
    row("member_area", 302, 403, 403, 403, 200, 200, 200),
    # Django's admin sends everyone who is not staff to its login page, which answers 403 to a
    # logged-in non-staff user (test below).
    row("admin_index", 302, 302, 302, 302, 302, 302, 200),
    row("admin_forums", 302, 302, 302, 302, 302, 302, 200),
]


@pytest.fixture
def urls(make_forum, sponsor, users):
    public = make_forum(slug="public-forum")
    sponsor(public, users["member"].organisation)
    draft = make_forum(slug="draft-forum", status=ForumStatus.DRAFT)
    return {
        "home": reverse("home"),
        "calendar_feed": reverse("calendar_feed"),
        "forum_public": reverse("forum", args=[public.slug]),
        "forum_public_ics": reverse("forums:calendar", args=[public.slug]),
        "forum_draft": reverse("forum", args=[draft.slug]),
        "forum_draft_ics": reverse("forums:calendar", args=[draft.slug]),
        "member_area": reverse("member_area"),
        "admin_index": reverse("admin:index"),
        "admin_forums": reverse("admin:forums_forum_changelist"),
    }


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix(client, users, urls, name, expected):
    assert_statuses(client, users, urls[name], expected)


def test_member_area_lists_only_own_forums(client, users, make_forum, sponsor):
    own = make_forum(title="Own forum")
    sponsor(own, users["member"].organisation)
    other = make_forum(title="Someone else's forum")
    sponsor(other, users["other_member"].organisation)
    client.force_login(users["member"])
    response = client.get(reverse("member_area"))
    assert [f.title for f in response.context["forums"]] == ["Own forum"]
    assert "Someone else" not in response.content.decode()


def test_admin_login_goes_through_allauth(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_refuses_logged_in_non_staff(client, users):
    client.force_login(users["member"])
    response = client.get(reverse("admin:forums_forum_changelist"), follow=True)
    assert response.status_code == 403
