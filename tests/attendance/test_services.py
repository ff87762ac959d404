import pytest

from attendance.enums import CheckInAnswer, CheckInSource, RefusalReason
from attendance.models import CheckIn
from attendance.selectors import attended_forum, attended_workshops, checkin_counts
from attendance.services import CheckInResult, checkin_perform, checkin_undo
from audit.models import AuditEntry
from audit.services import Actor
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.registrations.conftest import FORUM_DAY

# Check-in is open on the forum's day only: these tests run with the clock there.
pytestmark = pytest.mark.usefixtures("on_the_day")


@pytest.fixture
def desk(secretariat):
    return Actor.of(secretariat)


@pytest.fixture
def registrant(forum, register, workshop):
    return register(forum, workshops=[workshop("A1"), workshop("B1")]).registration


def scan(registrant, forum, desk, nonce, workshop=None, code=None, device="") -> CheckInResult:
    return checkin_perform(
        code=registrant.checkin_code if code is None else code,
        forum=forum,
        workshop=workshop,
        nonce=nonce,
        by=desk,
        device=device,
    )


def test_checkin_code_is_20_url_safe_characters_and_not_the_manage_secret(registrant):
    assert len(registrant.checkin_code) == 20
    assert registrant.checkin_code not in registrant.secret


def test_checkin_perform_ok_records_one_checkin_and_an_audit_entry(
    registrant, forum, desk, secretariat
):
    result = scan(registrant, forum, desk, "n-1", device="iPad 2")

    assert (result.answer, result.reason, result.registration) == (
        CheckInAnswer.OK,
        None,
        registrant,
    )
    checkin = CheckIn.objects.get()
    assert result.checkin == checkin
    assert (checkin.registration, checkin.workshop, checkin.by, checkin.device) == (
        registrant,
        None,
        secretariat,
        "iPad 2",
    )
    assert (checkin.nonce, checkin.source, checkin.undone_at) == ("n-1", CheckInSource.SCAN, None)
    entry = AuditEntry.objects.get(action="checked_in")
    assert (entry.object_id, entry.actor, entry.data) == (
        str(registrant.pk),
        secretariat,
        {"checkin": checkin.pk, "workshop": None, "device": "iPad 2"},
    )
    assert attended_forum(registrant) is True


def test_checkin_perform_same_nonce_returns_first_answer_and_counts_once(registrant, forum, desk):
    first = scan(registrant, forum, desk, "n-1")

    again = scan(registrant, forum, desk, "n-1")

    assert (again.answer, again.checkin) == (CheckInAnswer.OK, first.checkin)
    assert CheckIn.objects.count() == 1
    assert AuditEntry.objects.filter(action="checked_in").count() == 1


def test_checkin_perform_new_nonce_answers_already_with_first_checkin(registrant, forum, desk):
    first = scan(registrant, forum, desk, "n-1")

    second = scan(registrant, forum, desk, "n-2")

    assert (second.answer, second.reason, second.checkin) == (
        CheckInAnswer.ALREADY,
        None,
        first.checkin,
    )
    assert CheckIn.objects.count() == 1


def test_checkin_perform_nonce_of_another_scan_is_refused(registrant, forum, desk, register):
    other = register(forum).registration
    scan(registrant, forum, desk, "n-1")

    result = scan(other, forum, desk, "n-1")

    assert (result.answer, result.reason) == (CheckInAnswer.REFUSED, RefusalReason.NONCE_REUSED)
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    "code, reason",
    [
        ("not a code", RefusalReason.MALFORMED),
        ("x" * 21, RefusalReason.MALFORMED),
        ("", RefusalReason.MALFORMED),
        ("A" * 20, RefusalReason.UNKNOWN),
    ],
)
def test_checkin_perform_refuses_malformed_and_unknown_codes(registrant, forum, desk, code, reason):
    result = scan(registrant, forum, desk, "n-1", code=code)

    assert (result.answer, result.reason, result.registration) == (
        CheckInAnswer.REFUSED,
        reason,
        None,
    )
    assert CheckIn.objects.count() == 0


def test_checkin_perform_refuses_code_of_another_forum(registrant, make_forum, desk):
    other_forum = make_forum(day=FORUM_DAY)

    result = scan(registrant, other_forum, desk, "n-1")

    assert (result.answer, result.reason) == (CheckInAnswer.REFUSED, RefusalReason.OTHER_FORUM)
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "status, reason",
    [
        (RegistrationStatus.CANCELLED, RefusalReason.CANCELLED),
        (RegistrationStatus.WAITLISTED, RefusalReason.WAITLISTED),
    ],
)
def test_checkin_perform_refuses_cancelled_and_waitlisted(registrant, forum, desk, status, reason):
    Registration.objects.filter(pk=registrant.pk).update(status=status)

    result = scan(registrant, forum, desk, "n-1")

    assert (result.answer, result.reason) == (CheckInAnswer.REFUSED, reason)
    assert CheckIn.objects.count() == 0
    assert AuditEntry.objects.filter(action="checked_in").count() == 0


def test_checkin_perform_refuses_workshop_without_a_place(registrant, forum, desk, workshop):
    result = scan(registrant, forum, desk, "n-1", workshop=workshop("A2"))

    assert (result.answer, result.reason) == (
        CheckInAnswer.REFUSED,
        RefusalReason.NOT_IN_WORKSHOP,
    )
    assert CheckIn.objects.count() == 0


def test_checkin_perform_at_workshop_is_separate_from_the_door(registrant, forum, desk, workshop):
    door = scan(registrant, forum, desk, "n-1")

    at_a1 = scan(registrant, forum, desk, "n-2", workshop=workshop("A1"))
    again_a1 = scan(registrant, forum, desk, "n-3", workshop=workshop("A1"))

    assert (door.answer, at_a1.answer, again_a1.answer) == (
        CheckInAnswer.OK,
        CheckInAnswer.OK,
        CheckInAnswer.ALREADY,
    )
    assert at_a1.checkin is not None
    assert at_a1.checkin.workshop == workshop("A1")
    assert list(attended_workshops(registrant)) == [workshop("A1")]
    assert attended_forum(registrant) is True


def test_checkin_undo_keeps_the_row_and_allows_checking_in_again(
    registrant, forum, desk, secretariat
):
    first = scan(registrant, forum, desk, "n-1")
    assert first.checkin is not None

    undone = checkin_undo(checkin=first.checkin, by=desk)

    assert undone.undone_by == secretariat
    assert undone.undone_at is not None
    assert attended_forum(registrant) is False
    entry = AuditEntry.objects.get(action="checkin_undone")
    assert (entry.object_id, entry.data) == (
        str(registrant.pk),
        {"checkin": first.checkin.pk, "workshop": None},
    )
    again = scan(registrant, forum, desk, "n-2")
    assert again.answer == CheckInAnswer.OK
    assert CheckIn.objects.count() == 2
    assert attended_forum(registrant) is True


def test_checkin_undo_twice_records_once(registrant, forum, desk):
    first = scan(registrant, forum, desk, "n-1")
    assert first.checkin is not None
    once = checkin_undo(checkin=first.checkin, by=desk)

    twice = checkin_undo(checkin=first.checkin, by=desk)

    assert twice.undone_at == once.undone_at
    assert AuditEntry.objects.filter(action="checkin_undone").count() == 1


def test_checkin_counts_per_forum_and_workshop(forum, register, workshop, desk):
    people = [register(forum, workshops=[workshop("A1")]).registration for _ in range(3)]
    register(forum)
    scan(people[0], forum, desk, "n-1")
    scan(people[1], forum, desk, "n-2")
    scan(people[0], forum, desk, "n-3", workshop=workshop("A1"))
    undone = scan(people[2], forum, desk, "n-4", workshop=workshop("A1")).checkin
    assert undone is not None
    checkin_undo(checkin=undone, by=desk)

    counts = checkin_counts(forum)

    assert (counts.registered, counts.checked_in) == (4, 2)
    assert counts.workshops == {
        workshop("A1").pk: 1,
        workshop("A2").pk: 0,
        workshop("B1").pk: 0,
        workshop("B2").pk: 0,
    }
