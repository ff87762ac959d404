"""A forum marked held counts those with a place who were not checked in at the door as
no-shows; the secretariat can reverse it. Attendance is read through attendance.selectors."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from attendance.enums import AttendanceState, CheckInSource
from attendance.models import CheckIn, HeldMarking
from attendance.selectors import (
    attendance_by_registration,
    attendance_counts,
    attendance_counts_by_forum,
    attendance_state,
    attendees,
    no_shows,
    with_attendance,
)
from attendance.services import (
    HeldRefused,
    checkin_perform,
    checkin_undo,
    checkins_record_after_the_day,
    forum_mark_held,
    forum_unmark_held,
)
from audit.models import AuditEntry
from audit.services import Actor
from forums.enums import ForumStatus
from forums.models import Forum
from registrations import services as registration_services
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.attendance.conftest import forum_day

CHANGELIST = "admin:forums_forum_changelist"


@pytest.fixture
def desk(secretariat):
    return Actor.of(secretariat)


@pytest.fixture
def people(forum, register, workshop, desk, nonces):
    """came@ (checked in at the door and at A1), undone@ (checked in, undone), absent@ (never
    checked in), cancelled@ (cancelled) and waiting@ (on the waiting list)."""
    made = {
        name: register(forum, f"{name}@supplier.example", [workshop("A1")]).registration
        for name in ["came", "undone", "absent", "cancelled"]
    }
    registration_services.registration_cancel(registration=made["cancelled"], by=desk)
    made["cancelled"].refresh_from_db()
    Forum.objects.filter(pk=forum.pk).update(capacity=3)
    made["waiting"] = register(forum, "waiting@supplier.example", [workshop("A1")]).registration
    assert made["waiting"].status == RegistrationStatus.WAITLISTED
    # Checked in on the forum's day, when check-in is open.
    with time_machine.travel(forum_day(forum), tick=True):
        for place in [None, workshop("A1")]:
            checkin_perform(
                code=made["came"].checkin_code,
                forum=forum,
                workshop=place,
                nonce=nonces(),
                by=desk,
            )
        result = checkin_perform(
            code=made["undone"].checkin_code, forum=forum, workshop=None, nonce=nonces(), by=desk
        )
        checkin_undo(checkin=result.checkin, by=desk)
    return made


@pytest.fixture
def after_the_day(forum):
    """The forum took place yesterday (moved there once its registrations are made)."""
    day = timezone.now() - timedelta(days=1)
    Forum.objects.filter(pk=forum.pk).update(starts_at=day, ends_at=day + timedelta(hours=8))
    forum.refresh_from_db()


def emails(registrations):
    return sorted(registrations.values_list("person__email", flat=True))


def states(registrations):
    fresh = Registration.objects.select_related("forum", "person").filter(
        pk__in=[r.pk for r in registrations.values()]
    )
    return {r.person.email.split("@")[0]: attendance_state(r) for r in fresh}


def test_before_the_forum_is_held_nobody_is_a_no_show(forum, people):
    assert emails(no_shows(forum)) == []
    assert states(people) == {
        "came": AttendanceState.ATTENDED,
        "undone": AttendanceState.NOT_YET,
        "absent": AttendanceState.NOT_YET,
        "cancelled": None,
        "waiting": None,
    }
    assert attendance_counts(forum) == attendance_counts_by_forum([forum])[forum.pk]
    counts = attendance_counts(forum)
    assert (counts.registered, counts.attended, counts.no_shows, counts.not_yet) == (3, 1, 0, 2)


def test_forum_mark_held_counts_no_shows_and_records_it(
    forum, people, desk, secretariat, after_the_day
):
    result = forum_mark_held(forum=forum, by=desk)

    assert (result.attended, result.no_shows) == (1, 2)
    forum.refresh_from_db()
    assert forum.status == ForumStatus.HELD
    marking = HeldMarking.objects.get(forum=forum)
    assert (marking.previous_status, marking.marked_by) == (
        ForumStatus.REGISTRATION_OPEN,
        secretariat,
    )
    assert emails(no_shows(forum)) == ["absent@supplier.example", "undone@supplier.example"]
    assert emails(attendees(forum)) == ["came@supplier.example"]
    assert states(people) == {
        "came": AttendanceState.ATTENDED,
        "undone": AttendanceState.NO_SHOW,
        "absent": AttendanceState.NO_SHOW,
        "cancelled": None,
        "waiting": None,
    }
    counts = attendance_counts(forum)
    assert (counts.registered, counts.attended, counts.no_shows, counts.not_yet) == (3, 1, 2, 0)
    entry = AuditEntry.objects.get(action="forum.marked_held")
    assert (entry.object_id, entry.actor, entry.data) == (
        str(forum.pk),
        secretariat,
        {"previous_status": "registration_open", "attended": 1, "no_shows": 2},
    )


def test_a_checkin_after_the_forum_is_held_makes_that_person_attended(
    forum, people, desk, nonces, after_the_day
):
    forum_mark_held(forum=forum, by=desk)
    forum.refresh_from_db()

    # After the day, attendance is recorded by the secretariat with a reason (a scan is refused).
    with time_machine.travel(forum.ends_at + timedelta(days=2)):
        checkins_record_after_the_day(
            forum=forum, registrations=[people["absent"]], reason="On the paper list", by=desk
        )

    assert emails(no_shows(forum)) == ["undone@supplier.example"]
    assert states(people)["absent"] == AttendanceState.ATTENDED
    counts = attendance_counts(forum)
    assert (counts.attended, counts.no_shows) == (2, 1)


def test_forum_unmark_held_puts_the_status_back_and_records_it(
    forum, people, desk, secretariat, after_the_day
):
    forum_mark_held(forum=forum, by=desk)
    checkins = sorted(CheckIn.objects.values_list("pk", "undone_at"))

    result = forum_unmark_held(forum=forum, by=desk)

    forum.refresh_from_db()
    assert forum.status == ForumStatus.REGISTRATION_OPEN
    assert result.no_shows == 2
    assert HeldMarking.objects.filter(forum=forum).exists() is False
    assert emails(no_shows(forum)) == []
    assert states(people)["absent"] == AttendanceState.NOT_YET
    assert sorted(CheckIn.objects.values_list("pk", "undone_at")) == checkins
    entry = AuditEntry.objects.get(action="forum.unmarked_held")
    assert (entry.object_id, entry.actor, entry.data) == (
        str(forum.pk),
        secretariat,
        {"status": "registration_open", "attended": 1, "no_shows": 2},
    )


def test_forum_mark_held_before_the_forum_starts_is_refused(forum, people, desk):
    with pytest.raises(HeldRefused) as refused:
        forum_mark_held(forum=forum, by=desk)

    assert str(refused.value) == (
        f"{forum.title} has not started yet; mark it held once it has taken place."
    )
    forum.refresh_from_db()
    assert forum.status == ForumStatus.REGISTRATION_OPEN
    assert HeldMarking.objects.count() == 0
    assert AuditEntry.objects.filter(action="forum.marked_held").count() == 0


@pytest.mark.parametrize("status", [ForumStatus.HELD, ForumStatus.ARCHIVED])
def test_forum_mark_held_twice_or_archived_is_refused(forum, desk, status, after_the_day):
    Forum.objects.filter(pk=forum.pk).update(status=status)

    with pytest.raises(HeldRefused) as refused:
        forum_mark_held(forum=forum, by=desk)

    label = {"held": "held", "archived": "archived"}[status]
    assert str(refused.value) == f"{forum.title} is already {label}."
    assert HeldMarking.objects.count() == 0


def test_forum_unmark_held_refuses_a_forum_not_held_or_held_by_its_form(forum, desk):
    with pytest.raises(HeldRefused) as not_held:
        forum_unmark_held(forum=forum, by=desk)
    Forum.objects.filter(pk=forum.pk).update(status=ForumStatus.HELD)
    with pytest.raises(HeldRefused) as by_form:
        forum_unmark_held(forum=forum, by=desk)

    assert str(not_held.value) == f"{forum.title} is not marked held; there is nothing to reverse."
    assert str(by_form.value) == (
        f"{forum.title} was set to held on its own page, so there is no earlier status to go "
        "back to; change its status there."
    )
    forum.refresh_from_db()
    assert forum.status == ForumStatus.HELD
    assert AuditEntry.objects.filter(action="forum.unmarked_held").count() == 0


def test_attendance_by_registration_reads_states_and_workshops(
    forum, people, workshop, desk, after_the_day
):
    forum_mark_held(forum=forum, by=desk)

    attendance = attendance_by_registration(Registration.objects.filter(forum=forum))

    by_name = {
        r.person.email.split("@")[0]: (attendance[r.pk].state, attendance[r.pk].workshops)
        for r in people.values()
    }
    assert by_name == {
        "came": (AttendanceState.ATTENDED, [workshop("A1")]),
        "undone": (AttendanceState.NO_SHOW, []),
        "absent": (AttendanceState.NO_SHOW, []),
        "cancelled": (None, []),
        "waiting": (None, []),
    }
    assert attendance[people["came"].pk].attended is True
    assert attendance[people["absent"].pk].attended is False


@pytest.mark.usefixtures("on_the_day")
@pytest.mark.parametrize("how_many", [1, 3])
def test_attendance_of_many_registrations_takes_the_same_queries(
    forum, register, workshop, desk, nonces, how_many, django_assert_num_queries
):
    for number in range(how_many):
        registration = register(forum, f"p{number}@x.example", [workshop("A1")]).registration
        for place in [None, workshop("A1")]:
            checkin_perform(
                code=registration.checkin_code,
                forum=forum,
                workshop=place,
                nonce=nonces(),
                by=desk,
            )
    registrations = Registration.objects.filter(forum=forum)

    with django_assert_num_queries(2):
        attendance = attendance_by_registration(registrations)
    with django_assert_num_queries(1):
        annotated = list(with_attendance(registrations))
    with django_assert_num_queries(1):
        counts = attendance_counts_by_forum([forum])

    assert [a.state for a in attendance.values()] == [AttendanceState.ATTENDED] * how_many
    assert [len(a.workshops) for a in attendance.values()] == [1] * how_many
    assert [r.attendance for r in annotated] == [AttendanceState.ATTENDED] * how_many
    assert counts[forum.pk].attended == how_many


# --- the forum admin's actions ------------------------------------------------------------------


def post_action(client, action, forums, confirm=False):
    data = {"action": action, "_selected_action": [f.pk for f in forums]}
    if confirm:
        data["post"] = "yes"
    return client.post(reverse(CHANGELIST), data)


def no_shows_shown(response) -> dict[int, int]:
    html = response.content.decode()
    return {
        int(pk): int(count)
        for pk, count in re.findall(
            r'<li class="held-forum" data-forum="(\d+)">.*?<span class="no-shows">(\d+)</span>',
            html,
            re.S,
        )
    }


def test_admin_mark_held_asks_first_saying_how_many_will_be_no_shows(
    staff_client, forum, people, make_forum, after_the_day
):
    other = make_forum(slug="other")

    response = post_action(staff_client, "mark_held", [forum, other])

    assert response.status_code == 200
    assert no_shows_shown(response) == {forum.pk: 2}
    refusals = re.findall(r'<span class="held-refusal">(.*?)</span>', response.content.decode())
    assert refusals == [f"{other.title} has not started yet; mark it held once it has taken place."]
    forum.refresh_from_db()
    assert forum.status == ForumStatus.REGISTRATION_OPEN


def test_admin_mark_held_confirmed_marks_and_says_the_counts(
    staff_client, forum, people, after_the_day
):
    response = post_action(staff_client, "mark_held", [forum], confirm=True)

    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.status == ForumStatus.HELD
    messages = [str(m) for m in staff_client.get(response.url).context["messages"]]
    assert messages == [f"{forum.title} is held: 1 attended, 2 no-shows."]


def test_admin_unmark_held_asks_then_reverses(staff_client, forum, people, desk, after_the_day):
    forum_mark_held(forum=forum, by=desk)

    preview = post_action(staff_client, "unmark_held", [forum])
    forum.refresh_from_db()
    assert (preview.status_code, forum.status) == (200, ForumStatus.HELD)
    assert no_shows_shown(preview) == {forum.pk: 2}

    response = post_action(staff_client, "unmark_held", [forum], confirm=True)

    forum.refresh_from_db()
    assert forum.status == ForumStatus.REGISTRATION_OPEN
    messages = [str(m) for m in staff_client.get(response.url).context["messages"]]
    assert messages == [
        f"{forum.title} is registration open again: 2 no-shows are “not yet” again."
    ]


@pytest.mark.parametrize("how_many", [1, 3])
def test_admin_mark_held_confirmation_takes_the_same_queries(
    staff_client, make_forum, how_many, django_assert_num_queries
):
    forums = [make_forum(slug=f"f{n}", day=date(2017, 10, 24 - n)) for n in range(how_many)]

    with django_assert_num_queries(8):
        response = post_action(staff_client, "mark_held", forums)
    with django_assert_num_queries(8):
        reverse_page = post_action(staff_client, "unmark_held", forums)

    assert len(no_shows_shown(response)) + len(re.findall("held-refusal", response.text)) == (
        how_many
    )
    assert reverse_page.status_code == 200


def test_admin_held_actions_are_the_secretariats_only(client, users, forum, people, after_the_day):
    for role, user in users.items():
        if role == "secretariat":
            continue
        client.logout()
        if user:
            client.force_login(user)
        for action in ["mark_held", "unmark_held"]:
            response = post_action(client, action, [forum], confirm=True)
            assert (role, action, response.status_code) == (role, action, 302)
            assert response.url.startswith(reverse("admin:login")), role
    forum.refresh_from_db()
    assert forum.status == ForumStatus.REGISTRATION_OPEN
    assert AuditEntry.objects.filter(action__startswith="forum.").count() == 0


# --- the registration admin's column and filter -------------------------------------------------


def test_registration_admin_shows_and_filters_attendance(
    staff_client, forum, people, desk, after_the_day
):
    forum_mark_held(forum=forum, by=desk)
    url = reverse("admin:registrations_registration_changelist")

    shown = {}
    response = staff_client.get(url)
    for registration in response.context["cl"].result_list:
        shown[registration.person.email.split("@")[0]] = registration.attendance
    cells = re.findall(r'<td class="field-attendance">(.*?)</td>', response.content.decode())

    assert shown == {
        "came": "attended",
        "undone": "no_show",
        "absent": "no_show",
        "cancelled": "",
        "waiting": "",
    }
    assert sorted(cells) == ["-", "-", "Attended", "No-show", "No-show"]
    filtered = {}
    for value in ["attended", "no_show", "not_yet"]:
        page = staff_client.get(url, {"attendance": value})
        filtered[value] = sorted(r.person.email for r in page.context["cl"].result_list)
    assert filtered == {
        "attended": ["came@supplier.example"],
        "no_show": ["absent@supplier.example", "undone@supplier.example"],
        "not_yet": [],
    }


def test_checkin_source_import_counts_like_a_scan(forum, people, after_the_day, desk):
    CheckIn.objects.create(
        registration=people["absent"],
        checked_in_at=forum.starts_at,
        nonce="import-x",
        source=CheckInSource.IMPORT,
    )
    forum_mark_held(forum=forum, by=desk)

    assert emails(no_shows(forum)) == ["undone@supplier.example"]
