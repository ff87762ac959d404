"""When the secretariat moves a forum's or a workshop's time or place in the admin, the people
registered are told what changed and get an updated calendar file."""

from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from audit.services import Actor
from forums.models import Forum
from outbox.models import OutgoingEmail
from registrations import services
from registrations.models import Registration
from tests.html_forms import form_values

from .conftest import KL

FORUM = "Responsible Sourcing Forum Kuala Lumpur"
CALENDAR_NOTE = (
    "The attached calendar file holds the updated programme. This is where your registration "
    "stands now:"
)


@pytest.fixture
def registrants(forum, workshop, register):
    """siti@ (confirmed, A1), lim@ (confirmed, B1), wong@ (waiting for the forum, A1) and gone@
    (cancelled); the forum has 2 seats."""
    Forum.objects.filter(pk=forum.pk).update(capacity=2)
    register(forum, "siti@supplier.example", [workshop("A1")], first_name="Siti")
    register(forum, "lim@supplier.example", [workshop("B1")], first_name="Lim")
    register(forum, "wong@supplier.example", [workshop("A1")], first_name="Wong")
    gone = register(forum, "gone@supplier.example", first_name="Gone").registration
    services.registration_cancel(registration=gone, by=Actor.registrant())
    OutgoingEmail.objects.all().delete()
    return forum


@pytest.fixture
def save(staff_client, django_capture_on_commit_callbacks):
    """Open an admin change form, change some of its inputs, save it, and let the after-commit
    work run; returns the response."""

    def run(url, form_id, **changes):
        data = form_values(staff_client.get(url), form_id)
        data.update({name: [value] for name, value in changes.items()})
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return staff_client.post(url, {**data, "_save": "Save"})

    return run


def lines(message):
    return [line.strip() for line in message.body.splitlines() if line.strip()]


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def calendar_events(message):
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("forum.ics", "text/calendar; method=REQUEST")
    calendar = Calendar.from_ical(content)
    assert str(calendar["method"]) == "REQUEST"
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_forum_moved_in_admin_emails_everyone_registered(registrants, save):
    url = reverse("admin:forums_forum_change", args=[registrants.pk])

    response = save(url, "forum_form", starts_at_1="09:30", venue="Hotel Majestic")

    assert response.status_code == 302
    messages = by_recipient()
    assert sorted(messages) == [
        "lim@supplier.example",
        "siti@supplier.example",
        "wong@supplier.example",
    ]
    siti = messages["siti@supplier.example"]
    assert siti.subject == f"Programme changed: {FORUM}"
    assert lines(siti)[:9] == [
        "Dear Siti,",
        f"The programme of {FORUM} has changed:",
        "Forum – Starts at: Tuesday 11 March 2036, 09:00 → Tuesday 11 March 2036, 09:30 "
        "(Asia/Kuala_Lumpur)",
        "Forum – Venue: Hotel Istana → Hotel Majestic",
        CALENDAR_NOTE,
        f"Forum: {FORUM}",
        "When: Tuesday 11 March 2036, 09:30–17:00 (Asia/Kuala_Lumpur)",
        "Where: Hotel Majestic, Kuala Lumpur, Malaysia",
        "Status: Confirmed",
    ]
    ((html, mimetype),) = siti.alternatives
    assert mimetype == "text/html"
    assert "Forum – Venue: Hotel Istana → Hotel Majestic" in html
    events = calendar_events(siti)
    assert events[FORUM]["dtstart"].params["TZID"] == "Asia/Kuala_Lumpur"
    assert events[FORUM]["dtstart"].dt == datetime(2036, 3, 11, 9, 30, tzinfo=KL)
    assert events[FORUM]["location"] == "Hotel Majestic, Kuala Lumpur, Malaysia"
    assert lines(messages["wong@supplier.example"])[8] == (
        "Status: On the waiting list (number 1 on the waiting list)"
    )
    assert OutgoingEmail.objects.filter(kind="programme_changed").count() == 3


def test_forum_and_workshop_moved_in_one_save_send_one_email_each(registrants, workshop, save):
    url = reverse("admin:forums_forum_change", args=[registrants.pk])
    # The workshops' inline forms come in the workshops' order.
    a1_index = list(registrants.workshops.all()).index(workshop("A1"))

    response = save(
        url,
        "forum_form",
        ends_at_1="17:30",
        **{f"workshops-{a1_index}-room": "Hall 2", f"workshops-{a1_index}-starts_at_1": "11:15"},
    )

    assert response.status_code == 302
    messages = by_recipient()
    assert len(mail.outbox) == 3
    assert lines(messages["siti@supplier.example"])[2:6] == [
        "Forum – Ends at: Tuesday 11 March 2036, 17:00 → Tuesday 11 March 2036, 17:30 "
        "(Asia/Kuala_Lumpur)",
        "A1 Migrant labour – Starts at: Tuesday 11 March 2036, 11:00 → Tuesday 11 March 2036, "
        "11:15 (Asia/Kuala_Lumpur)",
        "A1 Migrant labour – Room: Room A1 → Hall 2",
        CALENDAR_NOTE,
    ]
    # Lim is not in A1: only the forum's change concerns him.
    assert lines(messages["lim@supplier.example"])[2:4] == [
        "Forum – Ends at: Tuesday 11 March 2036, 17:00 → Tuesday 11 March 2036, 17:30 "
        "(Asia/Kuala_Lumpur)",
        CALENDAR_NOTE,
    ]
    a1 = calendar_events(messages["siti@supplier.example"])[f"A1 Migrant labour – {FORUM}"]
    assert a1["dtstart"].params["TZID"] == "Asia/Kuala_Lumpur"
    assert a1["dtstart"].dt == datetime(2036, 3, 11, 11, 15, tzinfo=KL)
    assert a1["location"] == "Hall 2, Hotel Istana, Kuala Lumpur"


def test_workshop_moved_in_its_admin_emails_only_its_registrants(registrants, workshop, save):
    url = reverse("admin:workshops_workshop_change", args=[workshop("A1").pk])

    response = save(url, "workshop_form", room="Hall 2")

    assert response.status_code == 302
    messages = by_recipient()
    assert sorted(messages) == ["siti@supplier.example", "wong@supplier.example"]
    assert messages["siti@supplier.example"].subject == f"Programme changed: {FORUM}"
    assert lines(messages["siti@supplier.example"])[1:4] == [
        f"The programme of {FORUM} has changed:",
        "A1 Migrant labour – Room: Room A1 → Hall 2",
        CALENDAR_NOTE,
    ]


def test_forum_saved_unchanged_emails_nobody(registrants, workshop, save):
    response = save(reverse("admin:forums_forum_change", args=[registrants.pk]), "forum_form")
    assert response.status_code == 302
    response = save(
        reverse("admin:workshops_workshop_change", args=[workshop("A1").pk]), "workshop_form"
    )
    assert response.status_code == 302

    assert mail.outbox == []
    assert not OutgoingEmail.objects.filter(kind="programme_changed").exists()


def test_forum_change_other_than_time_or_place_emails_nobody(registrants, save):
    url = reverse("admin:forums_forum_change", args=[registrants.pk])

    response = save(url, "forum_form", summary="A new summary", theme="Palm oil and rubber")

    assert response.status_code == 302
    assert mail.outbox == []


def test_programme_changed_email_in_spanish(registrants, save):
    Registration.objects.filter(person__email="siti@supplier.example").update(language="es")
    url = reverse("admin:forums_forum_change", args=[registrants.pk])

    save(url, "forum_form", starts_at_1="09:30", city="Putrajaya")

    message = by_recipient()["siti@supplier.example"]
    assert message.subject == f"Cambio en el programa: {FORUM}"
    assert lines(message)[1:4] == [
        f"El programa de {FORUM} ha cambiado:",
        "Foro – Inicio: martes, 11 de marzo de 2036, 09:00 → martes, 11 de marzo de 2036, 09:30 "
        "(Asia/Kuala_Lumpur)",
        "Foro – Ciudad: Kuala Lumpur → Putrajaya",
    ]


def test_forum_programme_changed_after_the_forum_has_ended_emails_nobody(
    registrants, django_capture_on_commit_callbacks
):
    Forum.objects.filter(pk=registrants.pk).update(
        starts_at=datetime(2017, 10, 24, 9, 0, tzinfo=KL),
        ends_at=datetime(2017, 10, 24, 17, 0, tzinfo=KL),
    )
    registrants.refresh_from_db()
    change = services.ProgrammeChange(field="venue", old="Hotel Istana", new="Hotel Majestic")

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.forum_programme_changed(forum=registrants, changes=[change])

    assert (sent, mail.outbox) == (0, [])
