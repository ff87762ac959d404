"""Once a forum's check-in has closed, the secretariat records attendance with a reason: a
check-in of source "after_the_day", an audit entry, and an undo; never a door helper."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from attendance.enums import CheckInSource
from attendance.models import CheckIn, checkin_window
from attendance.selectors import attendance_counts
from attendance.services import AfterTheDayRefused, checkins_record_after_the_day
from audit.models import AuditEntry
from audit.services import Actor


@pytest.fixture
def over(forum):
    """The moment check-in at the forum closed."""
    return checkin_window(forum).closes_at


@pytest.fixture
def people(forum, register):
    return [register(forum).registration for _ in range(3)]


def test_record_after_the_day_writes_checkins_with_the_reason_and_audits(
    forum, people, secretariat, over
):
    with time_machine.travel(over):
        written = checkins_record_after_the_day(
            forum=forum,
            registrations=people[:2],
            reason="On the paper list",
            by=Actor.of(secretariat),
        )

    assert sorted(
        CheckIn.objects.values_list("registration", "source", "reason", "checked_in_at", "by")
    ) == [
        (p.pk, CheckInSource.AFTER_THE_DAY, "On the paper list", forum.starts_at, secretariat.pk)
        for p in people[:2]
    ]
    assert [
        (e.object_id, e.actor, e.data)
        for e in AuditEntry.objects.filter(action="checked_in_after_the_day").order_by("id")
    ] == [
        (str(c.registration_id), secretariat, {"checkin": c.pk, "reason": "On the paper list"})
        for c in written
    ]
    assert attendance_counts(forum).attended == 2


def test_record_after_the_day_one_second_before_check_in_closes_is_refused(
    forum, people, secretariat, over
):
    with time_machine.travel(over - timedelta(seconds=1)), pytest.raises(AfterTheDayRefused):
        checkins_record_after_the_day(
            forum=forum, registrations=people, reason="Late", by=Actor.of(secretariat)
        )

    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_record_after_the_day_needs_a_reason(forum, people, secretariat, over, reason):
    with time_machine.travel(over), pytest.raises(AfterTheDayRefused):
        checkins_record_after_the_day(
            forum=forum, registrations=people, reason=reason, by=Actor.of(secretariat)
        )

    assert CheckIn.objects.count() == 0


def test_record_after_the_day_refuses_a_door_helper(forum, people, door_helper, over):
    with time_machine.travel(over), pytest.raises(AfterTheDayRefused):
        checkins_record_after_the_day(
            forum=forum, registrations=people, reason="Late", by=Actor.of(door_helper)
        )

    assert CheckIn.objects.count() == 0


def _recorded(response):
    """The reason in each row of the page's table."""
    html = response.content.decode()
    return re.findall(r'<td class="reason">([^<]*)</td>', html)


def test_after_the_day_page_records_and_undoes(
    client, forum, people, secretariat, door_helper, over
):
    url = reverse("attendance:after_the_day", args=[forum.slug])
    with time_machine.travel(over):
        client.force_login(door_helper)
        helper = client.post(url, {"registrations": [people[0].pk], "reason": "Late"})
        client.force_login(secretariat)
        no_reason = client.post(url, {"registrations": [people[0].pk], "reason": ""})
        recorded = client.post(url, {"registrations": [people[0].pk], "reason": "Signed in late"})
        checkin = CheckIn.objects.get()
        undone = client.post(url, {"undo": str(checkin.pk)})
        shown = client.get(url)

    assert (helper.status_code, no_reason.status_code) == (403, 200)
    assert (recorded.status_code, undone.status_code) == (302, 302)
    checkin.refresh_from_db()
    assert (checkin.reason, checkin.undone_by) == ("Signed in late", secretariat)
    assert _recorded(shown) == ["Signed in late"]
    assert AuditEntry.objects.filter(action="checkin_undone").count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_after_the_day_page_query_count(
    client, forum, people, secretariat, over, count, django_assert_num_queries
):
    url = reverse("attendance:after_the_day", args=[forum.slug])
    with time_machine.travel(over):
        checkins_record_after_the_day(
            forum=forum, registrations=people[:count], reason="Late", by=Actor.of(secretariat)
        )
        client.force_login(secretariat)
        with django_assert_num_queries(5):
            response = client.get(url)

    assert _recorded(response) == ["Late"] * count
