"""One badge scanned at the same moment on several devices, in real threads with their own
database connections: it is checked in once, and a retried request counts once."""

import threading
import traceback

import pytest
from django.db import connection

from attendance.enums import CheckInAnswer
from attendance.models import CheckIn
from attendance.services import checkin_perform
from audit.services import Actor

THREADS = 8
JOIN_TIMEOUT = 60


def scan_all_at_once(registration, forum, nonces):
    barrier = threading.Barrier(len(nonces), timeout=JOIN_TIMEOUT)
    answers, errors = [], []

    def run(nonce):
        try:
            barrier.wait()
            result = checkin_perform(
                code=registration.checkin_code,
                forum=forum,
                workshop=None,
                nonce=nonce,
                by=Actor.system(),
            )
            answers.append(result.answer)
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(nonce,), daemon=True) for nonce in nonces]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert [thread.name for thread in threads if thread.is_alive()] == []
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
