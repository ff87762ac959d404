"""The check-in endpoint: its JSON contract, its 400s, who may use it, and its query count."""

from datetime import timedelta

import pytest
from django.urls import reverse

from attendance.models import CheckIn, DoorHelper
from audit.models import AuditEntry
from tests.registrations.conftest import FORUM_DAY, add_workshops
from workshops.models import Workshop

# Check-in is open on the forum's day only: these tests run with the clock there.
pytestmark = pytest.mark.usefixtures("on_the_day")


@pytest.fixture
def registrant(forum, register, workshop):
    return register(
        forum, workshops=[workshop("A1"), workshop("B1")], company_name="Nestlé Malaysia"
    ).registration


@pytest.fixture
def as_secretariat(client, secretariat):
    client.force_login(secretariat)


def test_checkin_api_ok_answers_the_person_and_time_in_forum_zone(
    as_secretariat, post_checkin, forum, registrant, workshop
):
    response = post_checkin(forum, {"code": registrant.checkin_code, "nonce": "n-1"})

    assert response.status_code == 200
    checkin = CheckIn.objects.get()
    assert response.json() == {
        "result": "ok",
        "reason": None,
        "message": None,
        "person": {
            "name": f"{registrant.person.first_name} Rahman",
            "company": "Nestlé Malaysia",
            "workshops": [
                {"id": workshop("A1").pk, "code": "A1", "title": "Migrant labour"},
                {"id": workshop("B1").pk, "code": "B1", "title": "Water stewardship"},
            ],
        },
        "checked_in_at": checkin.checked_in_at.astimezone(forum.zone).isoformat(),
        "checked_in_by": "desk@forumdesk.example",
        "time_zone": "Asia/Kuala_Lumpur",
        "checkin": checkin.pk,
    }
    assert response.json()["checked_in_at"].endswith("+08:00")


def test_checkin_api_second_scan_answers_already_with_first_time(
    as_secretariat, post_checkin, forum, registrant
):
    first = post_checkin(forum, {"code": registrant.checkin_code, "nonce": "n-1"}).json()

    retried = post_checkin(forum, {"code": registrant.checkin_code, "nonce": "n-1"}).json()
    second = post_checkin(forum, {"code": registrant.checkin_code, "nonce": "n-2"}).json()

    assert retried == first
    assert (second["result"], second["checked_in_at"], second["checked_in_by"]) == (
        "already",
        first["checked_in_at"],
        "desk@forumdesk.example",
    )
    assert CheckIn.objects.count() == 1


def test_checkin_api_workshop_checkin(as_secretariat, post_checkin, forum, registrant, workshop):
    response = post_checkin(
        forum, {"code": registrant.checkin_code, "nonce": "n-1", "workshop": workshop("B1").pk}
    )

    assert response.json()["result"] == "ok"
    assert CheckIn.objects.get().workshop == workshop("B1")


def test_checkin_api_refusal_answers_reason_and_no_person(
    as_secretariat, post_checkin, forum, registrant, workshop
):
    response = post_checkin(
        forum, {"code": registrant.checkin_code, "nonce": "n-1", "workshop": workshop("A2").pk}
    )

    assert response.status_code == 200
    assert response.json() == {
        "result": "refused",
        "reason": "not_in_workshop",
        "message": "This person has no place in this workshop.",
        "person": None,
        "checked_in_at": None,
        "checked_in_by": None,
        "time_zone": "Asia/Kuala_Lumpur",
        "checkin": None,
    }
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "body, message",
    [
        ("{not json", "The request body must be a JSON object."),
        ("[1, 2]", "The request body must be a JSON object."),
        ('{"nonce": "n-1"}', "“code” is required: the text of the badge's QR code."),
        ('{"code": 5, "nonce": "n-1"}', "“code” is required: the text of the badge's QR code."),
        (
            '{"code": "abc"}',
            "“nonce” is required: a text of 1 to 64 characters, new per scan.",
        ),
        (
            '{"code": "abc", "nonce": "' + "n" * 65 + '"}',
            "“nonce” is required: a text of 1 to 64 characters, new per scan.",
        ),
        (
            '{"code": "abc", "nonce": "n-1", "workshop": "A1"}',
            "“workshop” must be a workshop's id (a number), or absent.",
        ),
        (
            '{"code": "abc", "nonce": "n-1", "workshop": true}',
            "“workshop” must be a workshop's id (a number), or absent.",
        ),
        (
            '{"code": "abc", "nonce": "n-1", "workshop": 999999}',
            "This forum has no workshop with id 999999.",
        ),
    ],
)
def test_checkin_api_bad_request_answers_400_with_message(
    as_secretariat, post_checkin, forum, registrant, body, message
):
    response = post_checkin(forum, body)

    assert (response.status_code, response.json()) == (400, {"error": message})
    assert CheckIn.objects.count() == 0


def test_checkin_api_workshop_of_another_forum_is_400(
    as_secretariat, post_checkin, forum, registrant, make_forum
):
    other = make_forum()
    add_workshops(other)
    elsewhere = other.workshops.get(code="A1")

    response = post_checkin(
        forum, {"code": registrant.checkin_code, "nonce": "n-1", "workshop": elsewhere.pk}
    )

    assert (response.status_code, response.json()) == (
        400,
        {"error": f"This forum has no workshop with id {elsewhere.pk}."},
    )


def test_checkin_api_door_helper_only_at_their_forum(
    client, door_helper, post_checkin, forum, registrant, make_forum, register
):
    other_forum = make_forum(day=FORUM_DAY)
    other_registrant = register(other_forum).registration
    client.force_login(door_helper)

    allowed = post_checkin(forum, {"code": registrant.checkin_code, "nonce": "n-1"})
    refused = post_checkin(other_forum, {"code": other_registrant.checkin_code, "nonce": "n-2"})

    assert allowed.json()["result"] == "ok"
    # Another forum's desk is another owner's object: 404, not 403.
    assert (refused.status_code, refused.json()) == (404, {"error": "There is no such forum."})
    assert [c.registration for c in CheckIn.objects.all()] == [registrant]
    assert CheckIn.objects.get().by == door_helper
    entry = AuditEntry.objects.get(action="checked_in")
    assert entry.actor == door_helper


def test_checkin_api_door_helper_sees_no_other_page(client, door_helper, forum):
    client.force_login(door_helper)

    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("member_area")).status_code == 403


@pytest.mark.parametrize("role", ["anonymous", "supplier", "member", "facilitator"])
def test_checkin_api_refuses_others_with_403(client, users, post_checkin, forum, registrant, role):
    if users[role]:
        client.force_login(users[role])

    response = post_checkin(forum, {"code": registrant.checkin_code, "nonce": "n-1"})

    assert (response.status_code, response.json()) == (
        403,
        {"error": "You may not check people in at this forum."},
    )
    assert CheckIn.objects.count() == 0


def test_checkin_api_inactive_door_helper_is_refused(client, door_helper, post_checkin, forum):
    door_helper.is_active = False
    door_helper.save()
    client.force_login(door_helper)

    response = post_checkin(forum, {"code": "A" * 20, "nonce": "n-1"})

    assert response.status_code == 403
    assert DoorHelper.objects.count() == 1


@pytest.mark.parametrize("chosen", [1, 3])
def test_checkin_api_query_count(
    as_secretariat, post_checkin, forum, register, workshop, django_assert_num_queries, chosen
):
    a1 = workshop("A1")
    c1 = Workshop.objects.create(
        forum=forum,
        code="C1",
        title="Traceability",
        pillar="environment",
        starts_at=a1.starts_at + timedelta(hours=5),
        ends_at=a1.ends_at + timedelta(hours=5),
        seat_limit=20,
    )
    registrant = register(forum, workshops=[a1, workshop("B1"), c1][:chosen]).registration

    # 13, and 6 to keep the reach facts true (reports.receivers): the lock, merged records,
    # delete, the company's and person's attended rows (none: the forum is not held yet, so no
    # pillars are read), the forum's groups and pillars.
    with django_assert_num_queries(19):
        response = post_checkin(forum, {"code": registrant.checkin_code, "nonce": "n-1"})

    assert response.json()["result"] == "ok"
    assert len(response.json()["person"]["workshops"]) == chosen
