"""Registrants' e-mails are rendered by the worker, after the use case's transaction has
committed: the transaction that holds the forum's lock only stores a small row. What must stay as
it was when the message was queued (the manage link, the calendar SEQUENCE) is stored with it,
and a message once rendered is sent the same on every attempt."""

import re

import pytest
from django.core import mail
from django.test.signals import template_rendered
from django.urls import reverse
from icalendar import Calendar

from forums.models import Forum, Person
from outbox.models import OutgoingEmail
from outbox.services import email_deliver
from registrations import ical, services
from registrations.models import Registration
from tests.html_forms import links, texts_of_class

FORUM = "Responsible Sourcing Forum Kuala Lumpur"


@pytest.fixture
def rendering():
    """What is rendered, as it happens: template names and registrations' calendar files."""
    done: list[str] = []

    def on_template(sender, template, context, **kwargs):
        done.append(template.name)

    template_rendered.connect(on_template)
    yield done
    template_rendered.disconnect(on_template)


@pytest.fixture
def calendars(monkeypatch):
    """The registrations whose calendar file is built, as it happens."""
    built: list[int] = []
    invitation = ical.registration_invitation

    def recorded(registration, **kwargs):
        built.append(registration.pk)
        return invitation(registration, **kwargs)

    monkeypatch.setattr("registrations.notifications.registration_invitation", recorded)
    return built


def sequences(message) -> dict[str, int]:
    (content,) = [content for name, content, _ in message.attachments if name == "forum.ics"]
    return {
        str(event["summary"]): int(event["sequence"])
        for event in Calendar.from_ical(content).walk("VEVENT")
    }


def test_registration_create_renders_nothing_before_commit(
    forum, workshop, register, rendering, calendars, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        registration = register(
            forum, "siti@supplier.example", [workshop("A1")], first_name="Siti"
        ).registration

    assert (rendering, calendars, mail.outbox) == ([], [], [])
    outgoing = OutgoingEmail.objects.get()
    assert (
        outgoing.kind,
        outgoing.to,
        outgoing.language,
        outgoing.rendered,
        outgoing.subject,
        outgoing.body_text,
        outgoing.ics,
        outgoing.about,
    ) == ("confirmation", "siti@supplier.example", "en", False, "", "", "", registration)
    assert outgoing.params == {
        "registration": registration.pk,
        "manage_token": registration.secret,
        "calendar_sequence": 1,
    }

    for callback in after_commit:
        callback()

    assert sorted(
        set(rendering)
        & {
            f"registrations/email/confirmation{end}"
            for end in [
                "_subject.txt",
                ".txt",
                ".html",
            ]
        }
    ) == [
        "registrations/email/confirmation.html",
        "registrations/email/confirmation.txt",
        "registrations/email/confirmation_subject.txt",
    ]
    assert calendars == [registration.pk]
    (message,) = mail.outbox
    outgoing.refresh_from_db()
    assert (outgoing.rendered, outgoing.status, outgoing.subject) == (
        True,
        OutgoingEmail.Status.SENT,
        f"Registration confirmed: {FORUM}",
    )
    assert (message.subject, message.body, message.alternatives[0][0]) == (
        outgoing.subject,
        outgoing.body_text,
        outgoing.body_html,
    )
    assert [content for name, content, _ in message.attachments] == [outgoing.ics]


def test_held_registration_renders_nothing_before_commit(
    forum, make_person, register, rendering, django_capture_on_commit_callbacks
):
    make_person(email="siti@supplier.example")

    with django_capture_on_commit_callbacks() as after_commit:
        held = register(forum, "siti@supplier.example", proven=False).held

    assert (rendering, mail.outbox) == ([], [])
    outgoing = OutgoingEmail.objects.get()
    assert (outgoing.kind, outgoing.rendered, outgoing.params, outgoing.about) == (
        "confirm_registration",
        False,
        {"held": held.pk},
        held,
    )

    for callback in after_commit:
        callback()

    (message,) = mail.outbox
    assert message.to == ["siti@supplier.example"]
    assert re.findall(r"https://forums\.example\.org(/\S+)", message.body)[0] == reverse(
        "registrations:confirm", kwargs={"token": held.secret}
    )


def test_calendar_sequence_is_the_one_taken_when_queued(
    forum, workshop, register, django_capture_on_commit_callbacks
):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration
    mail.outbox.clear()

    # Two changes in a row, both rendered only once the second has been made.
    with django_capture_on_commit_callbacks() as after_commit:
        services.registration_change_workshops(
            registration=registration, workshops=[workshop("A1"), workshop("B1")]
        )
        registration.refresh_from_db()
        services.registration_change_workshops(registration=registration, workshops=[])
    for callback in after_commit:
        callback()

    first, second = mail.outbox
    assert set(sequences(first).values()) == {2}
    assert set(sequences(second).values()) == {3}


def test_manage_link_is_the_secret_of_when_it_was_queued(
    forum, register, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        registration = register(forum, "siti@supplier.example").registration
    secret = registration.secret
    Registration.objects.filter(pk=registration.pk).update(secret="x" * 43)
    for callback in after_commit:
        callback()

    (message,) = mail.outbox
    assert re.findall(r"https://forums\.example\.org(/registration/\S+/)", message.body) == [
        reverse("registrations:manage", kwargs={"token": secret})
    ]


def test_retry_sends_the_message_as_first_rendered(forum, register, settings, sent_later):
    settings.EMAIL_BACKEND = "tests.mail_servers.MailServerDown"
    registration = sent_later(register, forum, "siti@supplier.example", first_name="Siti")
    outgoing = OutgoingEmail.objects.get()
    assert (outgoing.rendered, outgoing.status, mail.outbox) == (True, "pending", [])
    first_body = outgoing.body_text
    assert first_body.splitlines()[0] == "Dear Siti,"

    Person.objects.filter(pk=registration.person_id).update(first_name="Ana")
    Forum.objects.filter(pk=forum.pk).update(title="Another title")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert email_deliver(outgoing) is True

    (message,) = mail.outbox
    assert (message.subject, message.body) == (f"Registration confirmed: {FORUM}", first_body)


@pytest.fixture
def sent_later(django_capture_on_commit_callbacks):
    """Run a use case, then its after-commit work; returns the registration it made."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs).registration

    return run


def test_admin_shows_which_registration_an_email_is_about(
    staff_client, forum, register, sent_later
):
    registration = sent_later(register, forum, "siti@supplier.example", first_name="Siti")
    outgoing = OutgoingEmail.objects.get()

    page = staff_client.get(reverse("admin:outbox_outgoingemail_change", args=[outgoing.pk]))

    registration_page = reverse("admin:registrations_registration_change", args=[registration.pk])
    assert texts_of_class(page, "field-about") == [f"About: Registration: Siti Rahman – {FORUM}"]
    assert [link["text"] for link in links(page) if link["href"] == registration_page] == [
        f"Siti Rahman – {FORUM}"
    ]
