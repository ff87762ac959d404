"""Check-in is open on the forum's day only, midnight to midnight in the forum's zone, widened by
settings.CHECKIN_MARGIN_HOURS; a door helper's grant ends when it closes. Every door is refused
outside it: the scan service, the endpoint, workshops, walk-ins and the pages."""

import json
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from attendance.enums import CheckInAnswer, RefusalReason
from attendance.models import CheckIn, DoorHelper, checkin_window
from attendance.selectors import attendance_counts
from attendance.services import CheckInClosed, checkin_perform, walk_in_register
from audit.models import AuditEntry
from audit.services import Actor
from registrations.models import Registration
from registrations.services import RegistrantDetails

SECOND = timedelta(seconds=1)
# The forum fixture: 11 March 2036, 09:00–17:00 in Kuala Lumpur (UTC+8). With a margin of six
# hours check-in opens at 18:00 on the 10th and closes at 06:00 on the 12th, Kuala Lumpur time.
KL_OPENS = datetime(2036, 3, 10, 10, 0, tzinfo=UTC)
KL_CLOSES = datetime(2036, 3, 11, 22, 0, tzinfo=UTC)
# The same day in Mexico City (UTC-6 all year since 2022): 18:00 on the 10th to 06:00 on the 12th.
MX_OPENS = datetime(2036, 3, 11, 0, 0, tzinfo=UTC)
MX_CLOSES = datetime(2036, 3, 12, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _six_hours(settings):
    settings.CHECKIN_MARGIN_HOURS = 6


@pytest.fixture
def desk(secretariat):
    return Actor.of(secretariat)


@pytest.fixture
def mexico(make_forum):
    return make_forum(
        slug="mexico-2036", day=date(2036, 3, 11), zone="America/Mexico_City", city="Mexico City"
    )


@contextmanager
def at(moment, client, user):
    """The clock at `moment`, `user` logged in then (a session from today has expired by 2036)."""
    with time_machine.travel(moment):
        client.force_login(user)
        yield


def scan_at(moment, registration, forum, desk, workshop=None):
    with time_machine.travel(moment, tick=False):
        return checkin_perform(
            code=registration.checkin_code,
            forum=forum,
            workshop=workshop,
            nonce=f"n-{moment.timestamp()}",
            by=desk,
        )


def test_checkin_window_is_the_forums_day_in_its_own_zone(forum, mexico):
    assert checkin_window(forum) == type(checkin_window(forum))(KL_OPENS, KL_CLOSES)
    assert (checkin_window(mexico).opens_at, checkin_window(mexico).closes_at) == (
        MX_OPENS,
        MX_CLOSES,
    )


def test_checkin_window_margin_comes_from_the_setting(forum, settings):
    settings.CHECKIN_MARGIN_HOURS = 0

    window = checkin_window(forum)

    # Midnight to midnight in Kuala Lumpur.
    assert (window.opens_at, window.closes_at) == (
        datetime(2036, 3, 10, 16, 0, tzinfo=UTC),
        datetime(2036, 3, 11, 16, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    "moment, answer, reason",
    [
        (KL_OPENS - SECOND, CheckInAnswer.REFUSED, RefusalReason.NOT_OPEN_YET),
        (KL_OPENS, CheckInAnswer.OK, None),
        (KL_CLOSES - SECOND, CheckInAnswer.OK, None),
        (KL_CLOSES, CheckInAnswer.REFUSED, RefusalReason.FORUM_OVER),
    ],
)
def test_checkin_perform_kuala_lumpur_both_sides_of_each_boundary(
    forum, register, desk, moment, answer, reason
):
    registration = register(forum).registration

    result = scan_at(moment, registration, forum, desk)

    assert (result.answer, result.reason) == (answer, reason)
    assert CheckIn.objects.count() == (1 if answer == CheckInAnswer.OK else 0)
    assert AuditEntry.objects.filter(action="checked_in").count() == CheckIn.objects.count()


@pytest.mark.parametrize(
    "moment, answer, reason",
    [
        (MX_OPENS - SECOND, CheckInAnswer.REFUSED, RefusalReason.NOT_OPEN_YET),
        (MX_OPENS, CheckInAnswer.OK, None),
        (MX_CLOSES - SECOND, CheckInAnswer.OK, None),
        (MX_CLOSES, CheckInAnswer.REFUSED, RefusalReason.FORUM_OVER),
    ],
)
def test_checkin_perform_mexico_city_both_sides_of_each_boundary(
    mexico, register, desk, moment, answer, reason
):
    registration = register(mexico).registration

    result = scan_at(moment, registration, mexico, desk)

    assert (result.answer, result.reason) == (answer, reason)
    assert CheckIn.objects.count() == (1 if answer == CheckInAnswer.OK else 0)


def test_checkin_perform_a_forum_next_year_is_refused_today_and_nobody_attended(
    make_forum, register, desk
):
    """The issue's case: the March 2027 forum, checked in a year early."""
    soon = make_forum(slug="march", day=date(2027, 3, 11))
    registration = register(soon).registration

    with time_machine.travel(datetime(2026, 3, 11, 3, 0, tzinfo=UTC)):
        result = checkin_perform(
            code=registration.checkin_code, forum=soon, workshop=None, nonce="n-1", by=desk
        )

    assert (result.answer, result.reason) == (CheckInAnswer.REFUSED, RefusalReason.NOT_OPEN_YET)
    assert CheckIn.objects.count() == 0
    assert attendance_counts(soon).attended == 0


def test_checkin_perform_at_a_workshop_after_the_day_is_refused(forum, register, desk, workshop):
    registration = register(forum, workshops=[workshop("A1")]).registration

    result = scan_at(KL_CLOSES, registration, forum, desk, workshop=workshop("A1"))

    assert (result.answer, result.reason) == (CheckInAnswer.REFUSED, RefusalReason.FORUM_OVER)
    assert CheckIn.objects.count() == 0


def test_checkin_api_outside_the_window_says_why_with_the_day_and_zone(
    client, secretariat, post_checkin, forum, register
):
    registration = register(forum).registration

    with at(KL_OPENS - SECOND, client, secretariat):
        early = post_checkin(forum, {"code": registration.checkin_code, "nonce": "n-1"}).json()
    with at(KL_CLOSES, client, secretariat):
        late = post_checkin(forum, {"code": registration.checkin_code, "nonce": "n-2"}).json()

    assert (early["result"], early["reason"], early["person"]) == ("refused", "not_open_yet", None)
    assert early["message"] == (
        "Responsible Sourcing Forum Kuala Lumpur is on 11 March 2036 (Asia/Kuala_Lumpur). "
        "Check-in opens at 10 March 2036, 18:00 (Asia/Kuala_Lumpur)."
    )
    assert (late["result"], late["reason"], late["person"]) == ("refused", "forum_over", None)
    assert late["message"] == (
        "Responsible Sourcing Forum Kuala Lumpur was on 11 March 2036 (Asia/Kuala_Lumpur). "
        "Check-in closed at 12 March 2036, 06:00 (Asia/Kuala_Lumpur); the secretariat can still "
        "record attendance after the day, with a reason."
    )
    assert CheckIn.objects.count() == 0


def _details():
    return RegistrantDetails(
        first_name="Budi", last_name="Santoso", email="budi@kilang.example", company_name="KSM"
    )


@pytest.mark.parametrize(
    "moment, reason",
    [(KL_OPENS - SECOND, RefusalReason.NOT_OPEN_YET), (KL_CLOSES, RefusalReason.FORUM_OVER)],
)
def test_walk_in_register_outside_the_window_registers_nobody(forum, desk, moment, reason):
    with time_machine.travel(moment), pytest.raises(CheckInClosed) as closed:
        walk_in_register(forum=forum, details=_details(), workshops=[], by=desk)

    assert closed.value.reason == reason
    assert (Registration.objects.count(), CheckIn.objects.count()) == (0, 0)


def test_walk_in_register_just_inside_the_window_checks_in(forum, desk):
    with time_machine.travel(KL_CLOSES - SECOND):
        result = walk_in_register(forum=forum, details=_details(), workshops=[], by=desk)

    assert result.checkin is not None
    assert result.checkin.answer == CheckInAnswer.OK


def _closed(response):
    """The reason code and the words of a page that says check-in is closed."""
    found = re.search(
        r'<p class="message error" id="checkin-closed" data-reason="([a-z_]+)" role="status">'
        r"([^<]*)</p>",
        response.content.decode(),
    )
    return (found.group(1), found.group(2)) if found else None


@pytest.mark.parametrize("name", ["attendance:checkin", "attendance:walk_in"])
def test_checkin_and_walk_in_pages_outside_the_window_say_why(client, secretariat, forum, name):
    url = reverse(name, args=[forum.slug])

    with at(KL_OPENS - SECOND, client, secretariat):
        early = client.get(url)
    with at(KL_OPENS, client, secretariat):
        inside = client.get(url)
    with at(KL_CLOSES, client, secretariat):
        late = client.get(url)
        posted = client.post(
            reverse("attendance:walk_in", args=[forum.slug]),
            {"first_name": "Budi", "company_name": "KSM", "country": "MY", "consent": "on"},
        )

    assert (early.status_code, _closed(early)[0]) == (200, "not_open_yet")
    assert (inside.status_code, _closed(inside)) == (200, None)
    assert (late.status_code, _closed(late)[0]) == (200, "forum_over")
    assert _closed(late)[1] == (
        "Responsible Sourcing Forum Kuala Lumpur was on 11 March 2036 (Asia/Kuala_Lumpur). "
        "Check-in closed at 12 March 2036, 06:00 (Asia/Kuala_Lumpur); the secretariat can still "
        "record attendance after the day, with a reason."
    )
    assert (posted.status_code, _closed(posted)[0]) == (200, "forum_over")
    assert (Registration.objects.count(), CheckIn.objects.count()) == (0, 0)


def test_walk_in_page_check_in_of_a_registered_person_after_the_day_changes_nothing(
    client, secretariat, forum, register
):
    registration = register(forum).registration

    with at(KL_CLOSES, client, secretariat):
        response = client.post(
            reverse("attendance:walk_in", args=[forum.slug]),
            {"check_in": str(registration.pk), "nonce": "n-1"},
        )

    assert (response.status_code, _closed(response)[0]) == (200, "forum_over")
    assert CheckIn.objects.count() == 0


# --- the door helper's grant ends with its forum ---------------------------------------------


def test_door_helper_grant_ends_when_check_in_closes(client, door_helper, forum, register):
    registration = register(forum).registration
    walk_in = reverse("attendance:walk_in", args=[forum.slug])
    page = reverse("attendance:checkin", args=[forum.slug])
    codes = reverse("attendance:checkin_codes", args=[forum.slug])

    with at(KL_CLOSES - timedelta(seconds=5), client, door_helper):
        inside = [client.get(page).status_code, client.get(walk_in).status_code]
        inside.append(client.get(codes).status_code)
        scanned = client.post(
            reverse("attendance:checkin_api", args=[forum.slug]),
            data=json.dumps({"code": registration.checkin_code, "nonce": "n-1"}),
            content_type="application/json",
        )
    with at(KL_CLOSES, client, door_helper):
        after = [client.get(page).status_code, client.get(walk_in).status_code]
        after.append(client.get(codes).status_code)
        refused = client.post(
            reverse("attendance:checkin_api", args=[forum.slug]),
            data=json.dumps({"code": registration.checkin_code, "nonce": "n-2"}),
            content_type="application/json",
        )
        walked_in = client.post(
            walk_in, {"first_name": "Budi", "company_name": "KSM", "country": "MY", "consent": "on"}
        )

    assert inside == [200, 200, 200]
    assert scanned.json()["result"] == "ok"
    assert after == [403, 403, 403]
    assert (refused.status_code, refused.json()) == (
        403,
        {
            "error": "Your door-helper access to Responsible Sourcing Forum Kuala Lumpur ended "
            "at 2036-03-12 06:00 (Asia/Kuala_Lumpur)."
        },
    )
    assert walked_in.status_code == 403
    assert (Registration.objects.count(), CheckIn.objects.count()) == (1, 1)


def test_door_helper_of_another_forum_adds_no_walk_in_to_kuala_lumpur(client, forum, make_forum):
    """The issue's case: a door helper given another forum, at the Kuala Lumpur forum."""
    helper = User.objects.create_user(email="jakarta-door@forumdesk.example", password="x")
    DoorHelper.objects.create(user=helper, forum=make_forum(slug="jakarta", day=date(2036, 3, 11)))
    walk_in = reverse("attendance:walk_in", args=[forum.slug])

    with at(KL_OPENS + timedelta(hours=16), client, helper):
        shown = client.get(walk_in)
        posted = client.post(
            walk_in, {"first_name": "Budi", "company_name": "KSM", "country": "MY", "consent": "on"}
        )

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert Registration.objects.count() == 0
