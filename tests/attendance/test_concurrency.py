"""One badge scanned at the same moment on several devices, in real threads with their own
database connections: it is checked in once, and a retried request counts once."""

import pytest

from attendance.enums import CheckInAnswer
from attendance.models import CheckIn
from attendance.services import checkin_perform
from audit.services import Actor
from tests.threads import at_once

# Check-in is open on the forum's day only: these tests run with the clock there.
pytestmark = pytest.mark.usefixtures("on_the_day")

THREADS = 8


def scan_all_at_once(registration, forum, nonces):
    def scan(nonce):
        return checkin_perform(
            code=registration.checkin_code,
            forum=forum,
            workshop=None,
            nonce=nonce,
            by=Actor.system(),
        ).answer

    answers, errors = at_once(scan, nonces)
    assert errors == []
    return sorted(answers)


@pytest.mark.django_db(transaction=True)
def test_checkin_perform_same_badge_on_many_devices_checks_in_once(forum, register):
    registration = register(forum).registration

    answers = scan_all_at_once(registration, forum, [f"device-{n}" for n in range(THREADS)])

    assert answers == [CheckInAnswer.ALREADY] * (THREADS - 1) + [CheckInAnswer.OK]
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_checkin_perform_same_nonce_sent_at_once_counts_once(forum, register):
    registration = register(forum).registration

    answers = scan_all_at_once(registration, forum, ["retried"] * THREADS)

    assert answers == [CheckInAnswer.OK] * THREADS
    assert CheckIn.objects.count() == 1
