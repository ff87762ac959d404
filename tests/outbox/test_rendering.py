"""A message queued unrendered is rendered by its kind's renderer in the worker, right before
the first send, and stored: retries send exactly what was rendered. A renderer that fails is
retried like a mail server that fails. Kinds are declared by the apps, once each."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from accounts.enums import AccountEmailKind, InvitationEmailKind
from feedback.enums import FeedbackEmailKind
from outbox import registry
from outbox.models import OutgoingEmail
from outbox.registry import KindNotRegistered, RenderedEmail, email_kinds_register
from outbox.services import email_deliver, outgoing_email_create, outgoing_email_queue
from outbox.tasks import send_email
from registrations.enums import RegistrationEmailKind

NOW = datetime(2036, 3, 1, 9, 0, tzinfo=UTC)


class ReminderKind(models.TextChoices):
    REMINDER = "test_reminder", "Reminder"


class NoticeKind(models.TextChoices):
    NOTICE = "test_notice", "Notice"


@pytest.fixture
def kinds(monkeypatch):
    """This module's kinds registered for the test only: the reminder with a renderer that
    counts its calls and says which call it was, the notice without one."""
    monkeypatch.setattr(registry, "_KINDS", dict(registry._KINDS))
    calls: list[dict] = []

    def render(outgoing: OutgoingEmail) -> RenderedEmail:
        calls.append(outgoing.params)
        if outgoing.params.get("fail"):
            raise ValueError("No template for this forum")
        return RenderedEmail(
            subject=f"Reminder {len(calls)}",
            body_text=f"Dear {outgoing.params['name']},\n",
            body_html=f"<p>Dear {outgoing.params['name']},</p>",
            ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        )

    email_kinds_register(ReminderKind, renderer=render)
    email_kinds_register(NoticeKind)
    return calls


def queue(**params) -> OutgoingEmail:
    return outgoing_email_queue(
        kind=ReminderKind.REMINDER, to="siti@supplier.example", language="es", params=params
    )


def test_queued_message_is_rendered_once_and_stored(db, kinds, settings):
    settings.EMAIL_BACKEND = "tests.mail_servers.MailServerDown"
    outgoing = queue(name="Siti")
    assert (outgoing.rendered, outgoing.subject, kinds) == (False, "", [])

    assert send_email.call(outgoing.pk) is False

    outgoing.refresh_from_db()
    assert (outgoing.rendered, outgoing.status, outgoing.attempts) == (True, "pending", 1)
    assert (outgoing.subject, outgoing.body_text, outgoing.body_html) == (
        "Reminder 1",
        "Dear Siti,\n",
        "<p>Dear Siti,</p>",
    )

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert email_deliver(outgoing) is True

    assert kinds == [{"name": "Siti"}]
    (message,) = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["siti@supplier.example"],
        "Reminder 1",
        "Dear Siti,\n",
    )
    assert message.attachments == [
        ("forum.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST")
    ]


def test_renderer_that_fails_is_retried_later(db, kinds, caplog):
    with time_machine.travel(NOW, tick=False):
        outgoing = queue(name="Siti", fail=True)
        with caplog.at_level(logging.INFO):
            assert send_email.call(outgoing.pk) is False

    assert [r.getMessage() for r in caplog.records] == [
        f"E-mail {outgoing.pk} not sent (attempt 1 of 8): ValueError"
    ]
    outgoing.refresh_from_db()
    assert (
        outgoing.rendered,
        outgoing.status,
        outgoing.attempts,
        outgoing.last_error,
        outgoing.next_attempt_at,
        outgoing.claimed_until,
    ) == (
        False,
        "pending",
        1,
        "ValueError: No template for this forum",
        NOW + timedelta(minutes=1),
        None,
    )
    assert mail.outbox == []


def test_message_taken_over_while_rendering_is_left_to_the_other_worker(db, kinds, monkeypatch):
    outgoing = queue(name="Siti")
    render = registry._KINDS[ReminderKind.REMINDER].renderer
    taken_over = NOW + timedelta(hours=1)

    def slow(message: OutgoingEmail) -> RenderedEmail:
        # This worker's lease runs out meanwhile, and another worker takes the message.
        OutgoingEmail.objects.filter(pk=message.pk).update(claimed_until=taken_over, attempts=2)
        return render(message)

    monkeypatch.setitem(
        registry._KINDS,
        ReminderKind.REMINDER,
        registry._Kind(label="Reminder", declared_by=ReminderKind, renderer=slow),
    )

    assert send_email.call(outgoing.pk) is False

    outgoing.refresh_from_db()
    assert (outgoing.rendered, outgoing.subject, outgoing.claimed_until, outgoing.attempts) == (
        False,
        "",
        taken_over,
        2,
    )
    assert mail.outbox == []


def test_queue_refuses_a_kind_without_a_renderer(db, kinds):
    with pytest.raises(KindNotRegistered) as refused:
        outgoing_email_queue(
            kind=NoticeKind.NOTICE, to="siti@supplier.example", language="en", params={}
        )

    assert str(refused.value) == (
        "E-mails of kind 'test_notice' are stored rendered: NoticeKind was registered without "
        "a renderer."
    )
    assert OutgoingEmail.objects.count() == 0


def test_create_refuses_a_kind_no_app_declared(db):
    with pytest.raises(KindNotRegistered) as refused:
        outgoing_email_create(
            kind="newsletter", to="siti@supplier.example", subject="News", body_text="News"
        )

    assert str(refused.value) == "No app has registered the e-mail kind 'newsletter'."
    assert OutgoingEmail.objects.count() == 0


def test_a_kind_value_is_declared_once(kinds):
    class Clash(models.TextChoices):
        CONFIRMATION = "confirmation", "Another confirmation"

    with pytest.raises(ImproperlyConfigured) as refused:
        email_kinds_register(Clash)

    assert str(refused.value) == (
        "E-mail kind 'confirmation' of "
        "test_a_kind_value_is_declared_once.<locals>.Clash is already declared by "
        "RegistrationEmailKind; give it another value."
    )
    # The same declaration again replaces its renderer.
    email_kinds_register(ReminderKind)
    assert registry._KINDS[ReminderKind.REMINDER].renderer is None


def test_kind_choices_are_the_apps_kinds():
    field = OutgoingEmail._meta.get_field("kind")

    assert dict(field.choices) == {
        **dict(RegistrationEmailKind.choices),
        **dict(AccountEmailKind.choices),
        **dict(InvitationEmailKind.choices),
        **dict(FeedbackEmailKind.choices),
    }
    assert dict(field.choices)["promoted"] == "A place is yours"
