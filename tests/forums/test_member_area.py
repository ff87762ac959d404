import re

import pytest
from django.urls import reverse

from forums.enums import ForumStatus


def test_member_area_shows_own_invitation_link_for_open_forums(client, users, make_forum, sponsor):
    member = users["member"].organisation
    open_forum = make_forum(title="Open", slug="open-2027")
    own = sponsor(open_forum, member)
    other = sponsor(open_forum, users["other_member"].organisation)
    closed = make_forum(title="Closed", status=ForumStatus.REGISTRATION_CLOSED)
    sponsor(closed, member)
    client.force_login(users["member"])
    html = client.get(reverse("member_area")).content.decode()
    assert (
        f'value="https://forums.example.org/forums/open-2027/?invite={own.invitation_code}"' in html
    )
    assert other.invitation_code not in html
    assert html.count("Registration is not open.") == 1


@pytest.mark.parametrize("count", [1, 3])
def test_member_area_query_count_does_not_grow_with_forums(
    client, users, make_forum, sponsor, count, django_assert_num_queries
):
    for index in range(count):
        forum = make_forum(title=f"Forum {index}")
        sponsor(forum, users["member"].organisation)
        sponsor(forum)
    client.force_login(users["member"])
    with django_assert_num_queries(5):
        response = client.get(reverse("member_area"))
    assert len(response.context["rows"]) == count


def test_member_area_for_the_secretariat_shows_every_sponsors_link(
    client, users, make_forum, sponsor
):
    forum = make_forum(title="Open", slug="open-2027")
    first = sponsor(forum, users["member"].organisation)
    second = sponsor(forum, users["other_member"].organisation)
    client.force_login(users["secretariat"])

    html = client.get(reverse("member_area")).content.decode()

    assert re.findall(r"<h2>(.*?)</h2>", html) == [
        "All forums and their sponsors’ invitation links"
    ]
    links = re.findall(r'<label class="invitation">([^<]*?)\s*<input[^>]*value="([^"]+)"', html)
    assert sorted(links) == sorted(
        [
            (
                f"Invitation link of {s.organisation.name}",
                f"https://forums.example.org/forums/open-2027/?invite={s.invitation_code}",
            )
            for s in [first, second]
        ]
    )
    assert 'value=""' not in html


def test_member_area_links_the_feedback_results_of_held_forums_only(
    client, users, make_forum, sponsor
):
    member = users["member"].organisation
    held = make_forum(title="Held", slug="held-2017", status=ForumStatus.HELD)
    sponsor(held, member)
    sponsor(make_forum(title="Open", slug="open-2027"), member)
    client.force_login(users["member"])

    html = client.get(reverse("member_area")).content.decode()

    assert re.findall(r'<a href="([^"]+)">Feedback results</a>', html) == [
        "/forums/held-2017/feedback/results/"
    ]
