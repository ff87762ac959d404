"""An attendance list imported into a past forum writes check-ins like the door's: from the
import, once however often the list comes, undone (recorded) when a list says otherwise, and
all or nothing with the rest of the import."""

import re
from datetime import date

import pytest

from attendance.enums import AttendanceState, CheckInSource
from attendance.models import CheckIn, HeldMarking
from attendance.selectors import attendance_by_registration
from audit.models import AuditEntry
from forums.enums import ForumStatus
from forums.models import Forum
from registrations.imports import ImportRefused, import_registrations
from registrations.models import Registration
from registrations.spreadsheets import read_table
from tests.registrations.test_imports import ROWS, add_workshops, csv_bytes, replace

IMPORT_NONCE = re.compile(r"import-[0-9a-f]{32}")


@pytest.fixture
def past_forum(make_forum):
    forum = make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held", capacity=100)
    add_workshops(forum)
    return forum


def run(forum, rows=ROWS, dry_run=False):
    rows = replace(0, "invited_by", "", rows)  # no sponsors here
    return import_registrations(
        forum=forum, table=read_table(csv_bytes(rows=rows), filename="list.csv"), dry_run=dry_run
    )


def attendance(forum):
    registrations = Registration.objects.filter(forum=forum).select_related("person")
    found = attendance_by_registration(registrations)
    return {
        r.person.email.split("@")[0]: (found[r.pk].state, [w.code for w in found[r.pk].workshops])
        for r in registrations
    }


def live_and_undone(forum):
    return sorted(
        (
            c.registration.person.email.split("@")[0],
            c.workshop.code if c.workshop else "door",
            c.undone_at is None,
        )
        for c in CheckIn.objects.filter(registration__forum=forum).select_related(
            "registration__person", "workshop"
        )
    )


def test_reimporting_a_list_adds_no_checkins(past_forum):
    run(past_forum)
    before = sorted(CheckIn.objects.values_list("pk", "nonce", "undone_at"))

    report = run(past_forum)

    assert sorted(CheckIn.objects.values_list("pk", "nonce", "undone_at")) == before
    assert len(before) == 4
    assert (report.registrations_updated, report.registrations_unchanged) == (0, 3)


def test_list_saying_no_undoes_the_imported_checkins_and_counts_as_updated(past_forum):
    run(past_forum)

    report = run(past_forum, replace(0, "attended", "no"))

    assert attendance(past_forum)["siti"] == (AttendanceState.NO_SHOW, [])
    assert live_and_undone(past_forum) == [
        ("budi", "door", True),
        ("siti", "A1", False),
        ("siti", "B1", False),
        ("siti", "door", False),
    ]
    assert (report.registrations_updated, report.registrations_unchanged) == (1, 2)
    assert report.outcomes == {2: "update", 3: "skip", 4: "skip"}
    siti = Registration.objects.get(person__email="siti@ksm.example")
    undone = AuditEntry.objects.filter(action="checkin_undone", object_id=str(siti.pk))
    assert sorted(e.data["source"] for e in undone) == ["import", "import", "import"]


def test_list_saying_yes_again_checks_in_anew_with_a_new_nonce(past_forum):
    run(past_forum)
    run(past_forum, replace(0, "attended", "no"))

    run(past_forum)

    siti = Registration.objects.get(person__email="siti@ksm.example")
    door = CheckIn.objects.filter(registration=siti, workshop__isnull=True).order_by("pk")
    assert [c.undone_at is None for c in door] == [False, True]
    # Nonces no one can guess (they were "import-<id>-door", which anyone could replay).
    assert [bool(IMPORT_NONCE.fullmatch(c.nonce)) for c in door] == [True, True]
    assert door[0].nonce != door[1].nonce
    assert attendance(past_forum)["siti"] == (AttendanceState.ATTENDED, ["A1", "B1"])


def test_list_saying_no_keeps_a_checkin_scanned_on_the_day(past_forum):
    run(past_forum, replace(2, "attended", "no"))
    budi = Registration.objects.get(person__email="budi@goldenhope.example")
    CheckIn.objects.create(
        registration=budi, checked_in_at=past_forum.starts_at, nonce="n-1", source="scan"
    )

    report = run(past_forum, replace(2, "attended", "no"))

    assert attendance(past_forum)["budi"] == (AttendanceState.ATTENDED, [])
    assert CheckIn.objects.get(registration=budi).undone_at is None
    assert report.registrations_unchanged == 3


def test_other_workshops_listed_move_the_imported_workshop_checkins(past_forum):
    run(past_forum)

    run(past_forum, replace(0, "workshops", "A2;B1"))

    assert attendance(past_forum)["siti"] == (AttendanceState.ATTENDED, ["A2", "B1"])
    assert [row for row in live_and_undone(past_forum) if row[0] == "siti"] == [
        ("siti", "A1", False),
        ("siti", "A2", True),
        ("siti", "B1", True),
        ("siti", "door", True),
    ]


def test_import_marks_a_past_forum_held_so_who_did_not_come_is_a_no_show(make_forum):
    forum = make_forum(slug="past", day=date(2017, 10, 24), status="registration_closed")
    add_workshops(forum)

    run(forum)

    forum.refresh_from_db()
    assert forum.status == ForumStatus.HELD
    assert HeldMarking.objects.get(forum=forum).previous_status == "registration_closed"
    assert attendance(forum)["ahmad"] == (AttendanceState.NO_SHOW, [])
    assert AuditEntry.objects.get(action="forum.marked_held").data == {
        "previous_status": "registration_closed",
        "attended": 2,
        "no_shows": 1,
    }


def test_dry_run_counts_attendance_changes_and_writes_no_checkins(past_forum):
    run(past_forum)
    before = sorted(CheckIn.objects.values_list("pk", "undone_at"))

    report = run(past_forum, replace(1, "attended", "yes"), dry_run=True)

    assert report.outcomes == {2: "skip", 3: "update", 4: "skip"}
    assert sorted(CheckIn.objects.values_list("pk", "undone_at")) == before


def test_a_refused_import_leaves_no_checkins(past_forum):
    Forum.objects.filter(pk=past_forum.pk).update(capacity=2)

    with pytest.raises(ImportRefused):
        run(past_forum)

    assert (Registration.objects.count(), CheckIn.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(action="checked_in").count() == 0


def test_imported_nonces_are_not_the_ones_anyone_could_work_out(
    past_forum, make_forum, make_person
):
    """A scanner that sent "import-<id>-door" (the nonce an import used to take) changes
    nothing for the import, and the import's nonce cannot be worked out from the registration."""
    elsewhere = make_forum(slug="elsewhere")
    other = Registration.objects.create(forum=elsewhere, person=make_person(email="x@y.example"))
    siti_pk_next = other.pk + 1
    CheckIn.objects.create(
        registration=other,
        checked_in_at=past_forum.starts_at,
        nonce=f"import-{siti_pk_next}-door",
        source=CheckInSource.SCAN,
    )

    run(past_forum)

    siti = Registration.objects.get(person__email="siti@ksm.example")
    assert siti.pk == siti_pk_next
    door = CheckIn.objects.get(registration=siti, workshop__isnull=True)
    assert (bool(IMPORT_NONCE.fullmatch(door.nonce)), door.forum) == (True, past_forum)
    assert door.nonce not in {f"import-{siti.pk}-door", f"import-{siti.pk}-door-2"}


def test_upcoming_forum_list_writes_no_checkins(make_forum):
    forum = make_forum(slug="next")
    add_workshops(forum)

    run(forum)

    assert CheckIn.objects.count() == 0
    forum.refresh_from_db()
    assert forum.status == ForumStatus.REGISTRATION_OPEN
