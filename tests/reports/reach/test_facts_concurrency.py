"""People of one company checked in at the same moment on several devices, in real threads
with their own database connections: the reach facts kept equal the facts rebuilt, so each
refresh saw the check-ins committed before it (reports.services._lock)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from attendance.enums import CheckInAnswer
from attendance.services import checkin_perform
from audit.services import Actor
from forums.enums import ForumStatus
from forums.models import Organisation
from reports.models import ReachFact
from reports.selectors import reach_totals
from reports.services import reach_facts_rebuild
from tests.threads import at_once

THREADS = 6
FIELDS = ("kind", "entity", "dimension", "group", "first_forum_id", "first_at", "second_at")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite runs one writer at a time"
)
@pytest.mark.django_db(transaction=True)
def test_people_of_one_company_checked_in_at_once(forum, register):
    company = Organisation.objects.create(name="Kilang Sawit Maju", kind="supplier")
    registrations = []
    for _ in range(THREADS):
        registration = register(forum).registration
        registration.company = company
        registration.save(update_fields=["company"])
        registrations.append(registration)
    forum.status = ForumStatus.HELD
    forum.save(update_fields=["status"])

    def scan(registration):
        return checkin_perform(
            code=registration.checkin_code,
            forum=forum,
            workshop=None,
            nonce=f"device-{registration.pk}",
            by=Actor.system(),
        ).answer

    # Scanned on the forum's day: check-in is open then only.
    with time_machine.travel(forum.starts_at + timedelta(hours=1), tick=True):
        answers, errors = at_once(scan, registrations)
    assert errors == []
    assert answers == [CheckInAnswer.OK] * THREADS

    kept = sorted(ReachFact.objects.values_list(*FIELDS))
    reach = reach_totals()
    assert (reach.forums, reach.people) == (1, THREADS)
    assert reach.per_forum[0].people == THREADS
    assert reach.per_forum[0].companies == reach.companies
    reach_facts_rebuild()
    assert sorted(ReachFact.objects.values_list(*FIELDS)) == kept
