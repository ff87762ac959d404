"""A nonce is the client's, per forum and device: sent again from the same device at the same
forum for the same badge and place it gets the first answer; anything else is a new scan or a
refusal, and a replay never tells what a new scan would not."""

from datetime import date

import pytest

from attendance.enums import CheckInAnswer, RefusalReason
from attendance.models import CheckIn
from attendance.services import checkin_perform, checkins_import
from audit.services import Actor
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from registrations.signals import ListedAttendance
from tests.registrations.conftest import FORUM_DAY

pytestmark = pytest.mark.usefixtures("on_the_day")


@pytest.fixture
def desk(secretariat):
    return Actor.of(secretariat)


@pytest.fixture
def kl_2017(make_forum, make_person):
    """A past forum whose attendance list was imported: one registrant, checked in by import."""
    forum = make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held")
    registration = Registration.objects.create(
        forum=forum, person=make_person(email="siti@ksm.example")
    )
    checkins_import(forum=forum, listed=[ListedAttendance(registration, True)], by=Actor.system())
    return registration


def test_checkin_api_import_nonce_sent_to_another_forum_tells_nothing(
    client, door_helper, post_checkin, forum, kl_2017
):
    """The issue's attack: a door helper of today's forum sends a past forum's badge code with
    the nonce its import took ("import-<id>-door"); the answer was "ok" with that registrant's
    name, company and workshops."""
    client.force_login(door_helper)

    answer = post_checkin(
        forum, {"code": kl_2017.checkin_code, "nonce": f"import-{kl_2017.pk}-door"}
    ).json()

    assert (answer["result"], answer["reason"], answer["person"], answer["checkin"]) == (
        "refused",
        "other_forum",
        None,
        None,
    )
    assert CheckIn.objects.filter(forum=forum).count() == 0


def test_checkin_perform_nonce_of_another_forums_scan_is_no_replay_there(
    forum, make_forum, register, desk
):
    """A nonce the same device used at another forum: there it is refused as a badge of
    another forum (no person), here it is a new scan."""
    other = make_forum(slug="jakarta", day=FORUM_DAY)
    theirs = register(other).registration
    ours = register(forum).registration
    first = checkin_perform(
        code=theirs.checkin_code, forum=other, workshop=None, nonce="n-1", by=desk, device="d"
    )

    replayed_here = checkin_perform(
        code=theirs.checkin_code, forum=forum, workshop=None, nonce="n-1", by=desk, device="d"
    )
    ours_with_it = checkin_perform(
        code=ours.checkin_code, forum=forum, workshop=None, nonce="n-1", by=desk, device="d"
    )

    assert first.answer == CheckInAnswer.OK
    assert (replayed_here.answer, replayed_here.reason, replayed_here.checkin) == (
        CheckInAnswer.REFUSED,
        RefusalReason.OTHER_FORUM,
        None,
    )
    assert (ours_with_it.answer, ours_with_it.reason) == (CheckInAnswer.OK, None)
    assert ours_with_it.checkin is not None
    assert (ours_with_it.checkin.forum, ours_with_it.checkin.registration) == (forum, ours)
    assert CheckIn.objects.count() == 2


def test_checkin_api_replay_with_another_code_is_refused_without_a_person(
    client, secretariat, post_checkin, forum, register
):
    first, second = (register(forum).registration for _ in range(2))
    client.force_login(secretariat)
    post_checkin(forum, {"code": first.checkin_code, "nonce": "n-1", "device": "door"})

    answer = post_checkin(
        forum, {"code": second.checkin_code, "nonce": "n-1", "device": "door"}
    ).json()

    assert (answer["result"], answer["reason"], answer["person"], answer["checkin"]) == (
        "refused",
        "nonce_reused",
        None,
        None,
    )
    assert list(CheckIn.objects.values_list("registration", flat=True)) == [first.pk]


def test_checkin_api_replay_from_another_device_is_a_new_scan(
    client, secretariat, post_checkin, forum, register
):
    """The same nonce from another device is not a replay: that device is told "already",
    with the first check-in, as a new scan would be."""
    registration = register(forum).registration
    client.force_login(secretariat)
    first = post_checkin(
        forum, {"code": registration.checkin_code, "nonce": "n-1", "device": "door"}
    ).json()

    other_device = post_checkin(
        forum, {"code": registration.checkin_code, "nonce": "n-1", "device": "desk"}
    ).json()
    same_device = post_checkin(
        forum, {"code": registration.checkin_code, "nonce": "n-1", "device": "door"}
    ).json()

    assert (first["result"], other_device["result"], same_device["result"]) == (
        "ok",
        "already",
        "ok",
    )
    assert other_device["checkin"] == same_device["checkin"] == first["checkin"]
    assert CheckIn.objects.count() == 1


def test_checkin_perform_same_nonce_on_two_devices_checks_two_people_in(forum, register, desk):
    first, second = (register(forum).registration for _ in range(2))

    answers = [
        checkin_perform(
            code=registration.checkin_code,
            forum=forum,
            workshop=None,
            nonce="n-1",
            by=desk,
            device=device,
        ).answer
        for registration, device in [(first, "door"), (second, "desk")]
    ]

    assert answers == [CheckInAnswer.OK, CheckInAnswer.OK]
    assert sorted(CheckIn.objects.values_list("device", "nonce")) == [
        ("desk", "n-1"),
        ("door", "n-1"),
    ]


# --- mutations no test caught ----------------------------------------------------------------


def test_checkin_perform_door_nonce_reused_at_a_workshop_is_refused(
    forum, register, workshop, desk
):
    """A nonce used at the door, sent again for the workshop: not a replay of that scan (it was
    at another place), so it is refused, not answered "ok" with the door's check-in."""
    registration = register(forum, workshops=[workshop("A1")]).registration
    door = checkin_perform(
        code=registration.checkin_code, forum=forum, workshop=None, nonce="n-1", by=desk
    )

    at_a1 = checkin_perform(
        code=registration.checkin_code, forum=forum, workshop=workshop("A1"), nonce="n-1", by=desk
    )

    assert door.answer == CheckInAnswer.OK
    assert (at_a1.answer, at_a1.reason, at_a1.checkin) == (
        CheckInAnswer.REFUSED,
        RefusalReason.NONCE_REUSED,
        None,
    )
    assert list(CheckIn.objects.values_list("workshop", flat=True)) == [None]


def test_checkin_perform_someone_waiting_for_a_workshop_place_is_refused_there(
    forum, register, workshop, desk
):
    registration = register(forum, workshops=[workshop("A1")]).registration
    WorkshopPlace.objects.filter(registration=registration).update(status=PlaceStatus.WAITLISTED)
    assert registration.status == RegistrationStatus.CONFIRMED

    at_a1 = checkin_perform(
        code=registration.checkin_code, forum=forum, workshop=workshop("A1"), nonce="n-1", by=desk
    )
    at_door = checkin_perform(
        code=registration.checkin_code, forum=forum, workshop=None, nonce="n-2", by=desk
    )

    assert (at_a1.answer, at_a1.reason) == (CheckInAnswer.REFUSED, RefusalReason.NOT_IN_WORKSHOP)
    assert at_door.answer == CheckInAnswer.OK
    assert list(CheckIn.objects.values_list("workshop", flat=True)) == [None]
