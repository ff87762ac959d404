import zoneinfo
from datetime import date, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from forums.enums import ForumStatus

UTC = zoneinfo.ZoneInfo("UTC")


def _events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_calendar_feed_has_each_public_forum_in_its_own_zone(client, make_forum):
    make_forum(
        title="KL",
        slug="kl",
        day=date(2017, 10, 24),
        zone="Asia/Kuala_Lumpur",
        status=ForumStatus.HELD,
        venue="Hotel Istana",
        city="Kuala Lumpur",
    )
    make_forum(
        title="Mexico",
        slug="mx",
        day=date(2017, 11, 14),
        zone="America/Mexico_City",
        status=ForumStatus.HELD,
        city="Mexico City",
        country="MX",
    )
    make_forum(title="Draft", slug="draft", status=ForumStatus.DRAFT)

    calendar, events = _events(client.get(reverse("calendar_feed")))

    assert sorted(events) == ["KL", "Mexico"]
    kl, mexico = events["KL"], events["Mexico"]
    assert kl["dtstart"].dt == datetime(
        2017, 10, 24, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
    )
    assert kl["dtstart"].dt.astimezone(UTC) == datetime(2017, 10, 24, 1, 0, tzinfo=UTC)
    assert kl["dtend"].dt.astimezone(UTC) == datetime(2017, 10, 24, 9, 0, tzinfo=UTC)
    assert kl["dtstart"].params["TZID"] == "Asia/Kuala_Lumpur"
    assert mexico["dtstart"].dt.astimezone(UTC) == datetime(2017, 11, 14, 15, 0, tzinfo=UTC)
    assert str(kl["location"]) == "Hotel Istana, Kuala Lumpur, Malaysia"
    assert str(kl["url"]) == "https://forums.example.org/forums/kl/"
    assert str(kl["uid"]).endswith("@forumdesk")
    assert kl["uid"] != mexico["uid"]
    assert "dtstamp" in kl
    zones = {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")}
    assert zones == {"Asia/Kuala_Lumpur", "America/Mexico_City"}


def test_forum_calendar_file_is_a_download_for_that_forum(client, make_forum):
    forum = make_forum(title="KL", slug="kl")
    response = client.get(reverse("forums:calendar", args=[forum.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="kl.ics"'
    _, events = _events(response)
    assert list(events) == ["KL"]


def test_forum_calendar_of_draft_answers_404(client, make_forum):
    forum = make_forum(status=ForumStatus.DRAFT)
    assert client.get(reverse("forums:calendar", args=[forum.slug])).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_calendar_feed_query_count_does_not_grow_with_forums(
    client, make_forum, count, django_assert_num_queries
):
    for _ in range(count):
        make_forum()
    with django_assert_num_queries(1):
        response = client.get(reverse("calendar_feed"))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == count
