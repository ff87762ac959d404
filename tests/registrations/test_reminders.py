"""Reminders before the forum: to confirmed registrants only, `reminder_days_before` days before
it starts on the clock of the forum's zone, with the venue, address, agenda and their workshops,
and once per registration however many runs overlap."""

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from audit.services import Actor
from forums.enums import ForumStatus
from forums.models import AgendaItem, Forum
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import RegistrationEmailKind, RegistrationStatus
from registrations.models import Registration
from tests.threads import at_once
from workshops.models import Workshop

from .conftest import KL

# The forum fixture starts on Tuesday 11 March 2036 at 09:00 in Kuala Lumpur (01:00 UTC).
DUE = datetime(2036, 3, 9, 9, 0, tzinfo=KL)
JOIN_TIMEOUT = 120


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run `reminders_send` at `now` and let its e-mails go out; returns the count."""

    def run(now):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return services.reminders_send(now=now)

    return run


def reminded():
    return sorted(
        OutgoingEmail.objects.filter(kind=RegistrationEmailKind.REMINDER).values_list(
            "to", flat=True
        )
    )


def test_reminders_send_to_confirmed_registrants_only(forum, register, send):
    confirmed = register(forum, "confirmed@supplier.example").registration
    gone = register(forum, "gone@supplier.example").registration
    services.registration_cancel(registration=gone, by=Actor.registrant())
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    waiting = register(forum, "waiting@supplier.example").registration
    assert waiting.status == RegistrationStatus.WAITLISTED

    assert send(DUE) == 1

    assert reminded() == ["confirmed@supplier.example"]
    assert [message.to for message in mail.outbox] == [["confirmed@supplier.example"]]
    assert list(
        Registration.objects.exclude(reminded_at=None).values_list("pk", "reminded_at")
    ) == [(confirmed.pk, DUE)]


def test_reminders_send_nothing_before_the_time_in_the_forums_zone(forum, register, send):
    register(forum, "confirmed@supplier.example")

    assert send(DUE - timedelta(seconds=1)) == 0
    assert reminded() == []
    assert send(DUE) == 1
    assert reminded() == ["confirmed@supplier.example"]


def test_reminders_send_keeps_the_venues_clock_across_summer_time(make_forum, register, send):
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    # Summer time starts in Berlin on Sunday 30 March 2036: the forum is at 09:00 CEST (07:00
    # UTC), its reminder at 09:00 CET two days earlier (08:00 UTC).
    forum = make_forum(day=date(2036, 3, 31), zone="Europe/Berlin")
    register(forum, "confirmed@supplier.example")
    due = datetime(2036, 3, 29, 9, 0, tzinfo=berlin)
    assert due.astimezone(zoneinfo.ZoneInfo("UTC")).hour == 8

    assert services.forum_reminder_due_at(forum) == due
    assert send(due - timedelta(seconds=1)) == 0
    assert send(due) == 1


def test_reminders_send_follows_the_forums_setting(forum, register, send):
    register(forum, "confirmed@supplier.example")
    Forum.objects.filter(pk=forum.pk).update(reminder_days_before=5)

    assert send(datetime(2036, 3, 6, 8, 59, tzinfo=KL)) == 0
    assert send(datetime(2036, 3, 6, 9, 0, tzinfo=KL)) == 1


def test_reminders_send_nothing_for_a_forum_without_reminders(forum, register, send):
    register(forum, "confirmed@supplier.example")
    Forum.objects.filter(pk=forum.pk).update(reminder_days_before=0)

    assert services.forum_reminder_due_at(Forum.objects.get(pk=forum.pk)) is None
    assert send(DUE) == 0
    assert reminded() == []


def test_reminders_send_nothing_once_the_forum_has_started(forum, register, send):
    register(forum, "confirmed@supplier.example")

    assert send(forum.starts_at) == 0
    assert reminded() == []


def test_reminders_send_nothing_for_a_held_or_draft_forum(forum, register, send):
    register(forum, "confirmed@supplier.example")

    for status in (ForumStatus.HELD, ForumStatus.DRAFT):
        Forum.objects.filter(pk=forum.pk).update(status=status)
        assert send(DUE) == 0
    assert reminded() == []


def test_reminders_send_a_second_run_sends_nothing(forum, register, send):
    register(forum, "first@supplier.example")
    register(forum, "second@supplier.example")

    assert send(DUE) == 2
    assert send(DUE + timedelta(hours=1)) == 0
    assert mail.outbox == []
    assert reminded() == ["first@supplier.example", "second@supplier.example"]


def test_reminders_send_late_registrant_once(forum, register, send):
    register(forum, "early@supplier.example")
    assert send(DUE) == 1
    register(forum, "late@supplier.example")

    assert send(DUE + timedelta(minutes=15)) == 1
    assert [message.to for message in mail.outbox] == [["late@supplier.example"]]


def test_reminder_says_where_when_agenda_and_workshops(forum, workshop, register, send):
    Forum.objects.filter(pk=forum.pk).update(venue_address="Jalan Raja Chulan 1")
    AgendaItem.objects.create(
        forum=forum,
        starts_at=datetime(2036, 3, 11, 9, 0, tzinfo=KL),
        ends_at=datetime(2036, 3, 11, 9, 30, tzinfo=KL),
        title="Welcome",
    )
    AgendaItem.objects.create(
        forum=forum, starts_at=datetime(2036, 3, 11, 16, 30, tzinfo=KL), title="Closing"
    )
    Workshop.objects.filter(pk=workshop("B1").pk).update(seat_limit=1)
    register(forum, "first@supplier.example", [workshop("B1")])
    register(forum, "siti@supplier.example", [workshop("A1"), workshop("B1")], first_name="Siti")

    send(DUE)

    message = mail.outbox[-1]
    assert message.to == ["siti@supplier.example"]
    assert message.subject == ("Reminder: Responsible Sourcing Forum Kuala Lumpur on 11 March 2036")
    lines = message.body.splitlines()
    assert lines[:18] == [
        "Dear Siti,",
        "",
        "We look forward to seeing you at Responsible Sourcing Forum Kuala Lumpur. "
        "Here is what you need for the day.",
        "",
        "Forum: Responsible Sourcing Forum Kuala Lumpur",
        "When: Tuesday 11 March 2036, 09:00–17:00 (Asia/Kuala_Lumpur)",
        "Venue: Hotel Istana",
        "Address: Jalan Raja Chulan 1, Kuala Lumpur, Malaysia",
        "",
        "Agenda (times in Asia/Kuala_Lumpur):",
        "09:00–09:30 Welcome",
        "16:30 Closing",
        "",
        "Your workshops (times in Asia/Kuala_Lumpur):",
        "11:00–12:30 A1 Migrant labour – room: Room A1",
        "",
        "View, change or cancel your registration:",
        lines[17],
    ]
    assert lines[17].startswith("https://forums.example.org/")
    html = message.alternatives[0][0]
    assert "11:00–12:30 A1 Migrant labour – room: Room A1" in html


def test_reminder_in_spanish(forum, register, send):
    register(forum, "maria@supplier.example", first_name="María", language="es")

    send(DUE)

    (message,) = mail.outbox
    assert message.subject == (
        "Recordatorio: Responsible Sourcing Forum Kuala Lumpur, 11 de marzo de 2036"
    )
    assert message.body.splitlines()[12:14] == [
        "Sus talleres (horas en Asia/Kuala_Lumpur):",
        "Ningún taller: solo las sesiones plenarias.",
    ]


@pytest.mark.django_db(transaction=True)
def test_reminders_send_once_when_two_runs_overlap(forum, register):
    for index in range(8):
        register(forum, f"racer{index}@supplier.example")
    counts, errors = at_once(
        lambda _: services.reminders_send(now=DUE), [1, 2], timeout=JOIN_TIMEOUT
    )

    assert errors == []
    assert sum(counts) == 8
    assert reminded() == [f"racer{index}@supplier.example" for index in range(8)]
    assert Registration.objects.filter(reminded_at=None).count() == 0


def test_send_reminders_command(forum, register, capsys):
    register(forum, "confirmed@supplier.example")
    starts = timezone.now() + timedelta(days=1)
    Forum.objects.filter(pk=forum.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=8))

    call_command("send_reminders")
    call_command("send_reminders")

    assert capsys.readouterr().out == "Queued 1 reminder.\nQueued 0 reminders.\n"
    assert reminded() == ["confirmed@supplier.example"]
