"""A registrant's calendar stays right through changes: stable UIDs, a SEQUENCE that grows, and
METHOD:CANCEL for what was dropped. Every file is read back by two independent parsers."""

import io
import re

import pytest
import vobject
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from audit.services import Actor
from registrations import services
from registrations.enums import RegistrationStatus
from registrations.tokens import manage_token

FORUM = "Responsible Sourcing Forum Kuala Lumpur"
A1 = f"A1 Migrant labour – {FORUM}"
B1 = f"B1 Water stewardship – {FORUM}"


def read(content: bytes | str) -> tuple[str, dict[str, tuple[str, int, str, str]]]:
    """(METHOD, {summary: (uid, sequence, status, local start)}), the same from both parsers."""
    text = content.decode() if isinstance(content, bytes) else content
    calendar = Calendar.from_ical(text)
    by_icalendar = {
        str(e["summary"]): (
            str(e["uid"]),
            int(e["sequence"]),
            str(e.get("status", "")),
            e.decoded("dtstart").isoformat(),
        )
        for e in calendar.walk("VEVENT")
    }
    parsed = vobject.readOne(io.StringIO(text))
    by_vobject = {
        event.summary.value: (
            event.uid.value,
            int(event.sequence.value),
            event.status.value if hasattr(event, "status") else "",
            event.dtstart.value.isoformat(),
        )
        for event in parsed.vevent_list
    }
    assert by_icalendar == by_vobject
    method = str(calendar.get("method", ""))
    assert method == (parsed.method.value if hasattr(parsed, "method") else "")
    return method, by_icalendar


def attachments(message) -> dict[str, tuple[str, dict]]:
    return {name: read(content) for name, content, _ in message.attachments}


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        (message,) = mail.outbox
        return result, message

    return run


def test_changing_workshops_updates_and_cancels_with_stable_uids(
    forum, workshop, make_details, sent
):
    outcome, confirmation = sent(
        services.registration_create,
        forum=forum,
        details=make_details("siti@supplier.example"),
        workshops=[workshop("A1")],
    )
    _, changed = sent(
        services.registration_change_workshops,
        registration=outcome.registration,
        workshops=[workshop("B1")],
    )

    first = attachments(confirmation)
    second = attachments(changed)
    assert sorted(first) == ["forum.ics"]
    assert sorted(second) == ["cancelled.ics", "forum.ics"]
    method, before = first["forum.ics"]
    assert method == "REQUEST"
    assert {name: values[1:] for name, values in before.items()} == {
        FORUM: (1, "", "2036-03-11T09:00:00+08:00"),
        A1: (1, "", "2036-03-11T11:00:00+08:00"),
    }
    method, now = second["forum.ics"]
    assert method == "REQUEST"
    assert {name: values[1:] for name, values in now.items()} == {
        FORUM: (2, "", "2036-03-11T09:00:00+08:00"),
        B1: (2, "", "2036-03-11T14:00:00+08:00"),
    }
    assert now[FORUM][0] == before[FORUM][0]
    method, dropped = second["cancelled.ics"]
    assert method == "CANCEL"
    assert dropped == {A1: (before[A1][0], 2, "CANCELLED", "2036-03-11T11:00:00+08:00")}


def test_cancellation_email_cancels_every_event_sent(forum, workshop, register, sent):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration
    mail.outbox.clear()
    _, before_message = sent(
        services.registration_change_workshops,
        registration=registration,
        workshops=[workshop("A1"), workshop("B1")],
    )
    _, before = attachments(before_message)["forum.ics"]

    _, message = sent(
        services.registration_cancel, registration=registration, by=Actor.registrant()
    )

    files = attachments(message)
    assert sorted(files) == ["cancelled.ics"]
    method, events = files["cancelled.ics"]
    assert method == "CANCEL"
    assert events == {
        name: (uid, 3, "CANCELLED", start) for name, (uid, _, _, start) in before.items()
    }


def test_cancelled_registration_offers_no_calendar_and_its_file_cancels(
    client, forum, workshop, register
):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration
    services.registration_cancel(registration=registration, by=Actor.registrant())
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED

    page = client.get(reverse("registrations:manage", args=[manage_token(registration)]))
    calendar = client.get(reverse("registrations:calendar", args=[manage_token(registration)]))

    html = page.content.decode()
    assert "Download calendar file" not in html
    assert "change or cancel" not in html
    assert re.findall(r'<a class="button" href="([^"]+)">Register again</a>', html) == [
        reverse("registrations:register", args=[forum.slug])
    ]
    method, events = read(calendar.content)
    assert method == ""
    assert sorted((name, status) for name, (_, _, status, _) in events.items()) == [
        (A1, "CANCELLED"),
        (FORUM, "CANCELLED"),
    ]


def test_download_keeps_dropped_workshops_as_cancelled(client, forum, workshop, register):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration
    services.registration_change_workshops(registration=registration, workshops=[workshop("B1")])
    registration.refresh_from_db()

    response = client.get(reverse("registrations:calendar", args=[manage_token(registration)]))

    _, events = read(response.content)
    assert {name: values[1:3] for name, values in events.items()} == {
        FORUM: (2, ""),
        B1: (2, ""),
        A1: (2, "CANCELLED"),
    }
