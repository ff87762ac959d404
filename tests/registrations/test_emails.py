"""E-mails to registrants: what each one says, its calendar file, its language, and what happens
when the mail server is down."""

import re
import smtplib
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import resolve, reverse
from django.utils import timezone
from icalendar import Calendar

from audit.services import Actor
from forums.models import Forum, Person
from outbox.models import OutgoingEmail
from outbox.services import MAX_ATTEMPTS, email_deliver, retry_delay
from outbox.tasks import send_email
from registrations import services
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.tokens import registration_from_token
from workshops.models import Workshop

from .conftest import KL

FORUM = "Responsible Sourcing Forum Kuala Lumpur"
WHEN = "When: Tuesday 11 March 2036, 09:00–17:00 (Asia/Kuala_Lumpur)"
WHERE = "Where: Hotel Istana, Kuala Lumpur, Malaysia"


class MailServerDown(BaseEmailBackend):
    """An e-mail backend whose server refuses every connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("Connection refused by mail.example")


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a call and let its after-commit work (sending e-mails) happen; returns the outbox."""

    def run(function, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = function(*args, **kwargs)
        return result

    return run


def lines(message):
    return [line.strip() for line in message.body.splitlines() if line.strip()]


def manage_links(text):
    return [
        registration_from_token(resolve(path).kwargs["token"])
        for path in re.findall(r"https://forums\.example\.org(/registration/[^\s\"<]+/)", text)
    ]


def calendar_events(message, filename="forum.ics", method="REQUEST"):
    """The events of the message's calendar attachment of that name, checked to be the only
    calendar of its method."""
    (content,) = [content for name, content, _ in message.attachments if name == filename]
    (mimetype,) = [kind for name, _, kind in message.attachments if name == filename]
    assert mimetype == f"text/calendar; method={method}"
    calendar = Calendar.from_ical(content)
    assert str(calendar["method"]) == method
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_confirmation_email_has_text_html_and_calendar(forum, workshop, register, sent):
    Workshop.objects.filter(pk=workshop("B2").pk).update(seat_limit=1)
    register(forum, workshops=[workshop("B2")])

    outcome = sent(
        register,
        forum,
        "siti@supplier.example",
        [workshop("A1"), workshop("B2")],
        first_name="Siti",
    )

    (message,) = mail.outbox
    assert message.to == ["siti@supplier.example"]
    assert message.subject == f"Registration confirmed: {FORUM}"
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert lines(message)[:8] == [
        "Dear Siti,",
        f"Thank you for registering for {FORUM}. Your registration is confirmed. The attached "
        "calendar file holds the forum and your workshops.",
        f"Forum: {FORUM}",
        WHEN,
        WHERE,
        "Status: Confirmed",
        "Workshop 11:00: A1 Migrant labour – place confirmed",
        "Workshop 14:00: B2 Anti-bribery – waiting list, number 1",
    ]
    assert lines(message)[8] == "View, change or cancel your registration:"
    assert manage_links(message.body) == [outcome.registration]

    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "<p>Dear Siti,</p>" in html
    assert "Workshop 11:00: A1 Migrant labour – place confirmed" in html
    assert manage_links(html) == [outcome.registration]

    # The calendar holds the forum and the workshop with a seat, not the one waited for.
    events = calendar_events(message)
    assert sorted(events) == [f"A1 Migrant labour – {FORUM}", FORUM]
    a1 = events[f"A1 Migrant labour – {FORUM}"]
    assert a1["dtstart"].params["TZID"] == "Asia/Kuala_Lumpur"
    assert a1["dtstart"].dt == datetime(2036, 3, 11, 11, 0, tzinfo=KL)
    assert a1["dtend"].dt == datetime(2036, 3, 11, 12, 30, tzinfo=KL)
    assert events[FORUM]["dtstart"].dt == datetime(2036, 3, 11, 9, 0, tzinfo=KL)
    assert events[FORUM]["dtstart"].params["TZID"] == "Asia/Kuala_Lumpur"


def test_confirmation_email_is_stored_and_marked_sent(forum, register, sent):
    sent(register, forum, "siti@supplier.example")

    outgoing = OutgoingEmail.objects.get()
    assert (outgoing.kind, outgoing.to, outgoing.status, outgoing.attempts) == (
        "confirmation",
        "siti@supplier.example",
        OutgoingEmail.Status.SENT,
        1,
    )
    assert outgoing.sent_at is not None
    assert outgoing.about == Registration.objects.get()


def test_email_times_are_in_the_forums_zone(make_forum, make_details, sent):
    mexico = make_forum(
        title="Forum Mexico City",
        slug="mexico",
        zone="America/Mexico_City",
        city="Mexico City",
        country="MX",
        day=date(2036, 11, 18),
    )

    sent(
        services.registration_create,
        forum=mexico,
        details=make_details("ana@supplier.example"),
        workshops=[],
    )

    (message,) = mail.outbox
    assert "When: Tuesday 18 November 2036, 09:00–17:00 (America/Mexico_City)" in lines(message)
    (event,) = calendar_events(message).values()
    assert event["dtstart"].params["TZID"] == "America/Mexico_City"
    assert (event["dtstart"].dt.hour, event["dtstart"].dt.utcoffset()) == (9, timedelta(hours=-6))


def test_waitlisted_email_gives_position_and_no_calendar(forum, register, sent):
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    register(forum, "holder@supplier.example")
    register(forum, "first@supplier.example")

    sent(register, forum, "siti@supplier.example", first_name="Siti")

    (message,) = mail.outbox
    assert message.to == ["siti@supplier.example"]
    assert message.subject == f"Waiting list: {FORUM}"
    assert lines(message)[:6] == [
        "Dear Siti,",
        f"Thank you for registering for {FORUM}. The forum is full, so you are on the waiting "
        "list. When a place frees, you are moved in automatically and we e-mail you.",
        f"Forum: {FORUM}",
        WHEN,
        WHERE,
        "Status: On the waiting list (number 2 on the waiting list)",
    ]
    assert message.attachments == []
    assert len(message.alternatives) == 1


def test_promoted_email_names_the_workshop_and_has_calendar(forum, workshop, register, sent):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    holder = register(forum, "holder@supplier.example", [workshop("A1")]).registration
    waiting = register(
        forum, "siti@supplier.example", [workshop("A1")], first_name="Siti"
    ).registration

    sent(services.registration_cancel, registration=holder, by=Actor.registrant())

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("holder@supplier.example", f"Registration cancelled: {FORUM}"),
        ("siti@supplier.example", f"A place is yours: {FORUM}"),
    ]
    (message,) = [m for m in mail.outbox if m.to == ["siti@supplier.example"]]
    assert lines(message)[:7] == [
        "Dear Siti,",
        f"Good news: a place has freed for you at {FORUM}. You now have a seat in: A1 Migrant "
        "labour. The attached calendar file holds the forum and your workshops.",
        f"Forum: {FORUM}",
        WHEN,
        WHERE,
        "Status: Confirmed",
        "Workshop 11:00: A1 Migrant labour – place confirmed",
    ]
    assert manage_links(message.body) == [waiting]
    assert sorted(calendar_events(message)) == [f"A1 Migrant labour – {FORUM}", FORUM]


def test_promoted_email_for_forum_seat(forum, register, sent):
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    holder = register(forum, "holder@supplier.example").registration
    register(forum, "siti@supplier.example", first_name="Siti")

    sent(services.registration_cancel, registration=holder, by=Actor.registrant())

    (message,) = [m for m in mail.outbox if m.to == ["siti@supplier.example"]]
    assert message.subject == f"A place is yours: {FORUM}"
    assert lines(message)[1] == (
        f"Good news: a place has freed for you at {FORUM}. The attached calendar file holds the "
        "forum and your workshops."
    )
    assert "Status: Confirmed" in lines(message)


def test_changed_email_shows_new_choices(forum, workshop, register, sent):
    registration = register(
        forum, "siti@supplier.example", [workshop("A1")], first_name="Siti"
    ).registration

    sent(
        services.registration_change_workshops,
        registration=registration,
        workshops=[workshop("B1")],
    )

    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["siti@supplier.example"],
        f"Registration changed: {FORUM}",
    )
    assert lines(message)[1:7] == [
        f"Your registration for {FORUM} has been changed. This is where it stands now:",
        f"Forum: {FORUM}",
        WHEN,
        WHERE,
        "Status: Confirmed",
        "Workshop 14:00: B1 Water stewardship – place confirmed",
    ]
    assert "A1 Migrant labour" not in message.body
    assert sorted(calendar_events(message)) == [f"B1 Water stewardship – {FORUM}", FORUM]
    assert sorted(calendar_events(message, "cancelled.ics", "CANCEL")) == [
        f"A1 Migrant labour – {FORUM}"
    ]


def test_cancelled_email(forum, workshop, register, sent):
    registration = register(
        forum, "siti@supplier.example", [workshop("A1")], first_name="Siti"
    ).registration

    sent(services.registration_cancel, registration=registration, by=Actor.registrant())

    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["siti@supplier.example"],
        f"Registration cancelled: {FORUM}",
    )
    assert lines(message) == [
        "Dear Siti,",
        f"Your registration for {FORUM} has been cancelled and your calendar entries are "
        "withdrawn. If this was a mistake, you can register again while registration is open.",
        f"Forum: {FORUM}",
        WHEN,
        WHERE,
        "Status: Cancelled",
        "Register again:",
        "https://forums.example.org/forums/kl-2036/register/",
        "Forum secretariat, AIM-PROGRESS",
    ]
    assert [name for name, _, _ in message.attachments] == ["cancelled.ics"]
    assert sorted(calendar_events(message, "cancelled.ics", "CANCEL")) == [
        f"A1 Migrant labour – {FORUM}",
        FORUM,
    ]


def test_email_text_is_not_html_escaped(forum, register, sent):
    Forum.objects.filter(pk=forum.pk).update(title="Côte d'Ivoire & Ghana <Cocoa> Forum")

    sent(register, forum, "siti@supplier.example")

    (message,) = mail.outbox
    assert message.subject == "Registration confirmed: Côte d'Ivoire & Ghana <Cocoa> Forum"
    assert "Forum: Côte d'Ivoire & Ghana <Cocoa> Forum" in lines(message)
    assert "Côte d&#x27;Ivoire &amp; Ghana &lt;Cocoa&gt; Forum" in message.alternatives[0][0]


# --- language ------------------------------------------------------------------------------------


def register_in_spanish(client, forum, sent):
    data = {
        "first_name": "Ana",
        "last_name": "García",
        "email": "ana@proveedor.example",
        "job_title": "Compras",
        "company_name": "Azúcar del Sur SA",
        "country": "MX",
        "consent": "on",
    }
    url = reverse("registrations:register", args=[forum.slug])
    response = sent(client.post, url, data, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    return Registration.objects.get()


def test_registration_in_spanish_stores_language_and_dates_the_email_in_spanish(
    client, forum, sent
):
    registration = register_in_spanish(client, forum, sent)

    assert registration.language == "es"
    assert registration.person.language == "es"
    (message,) = mail.outbox
    assert message.to == ["ana@proveedor.example"]
    # Django's own Spanish catalogue names the day and month; config/formats/es writes the date.
    assert "martes, 11 de marzo de 2036, 09:00–17:00 (Asia/Kuala_Lumpur)" in message.body


def test_registration_in_spanish_html_email_declares_spanish(client, forum, sent):
    register_in_spanish(client, forum, sent)

    (message,) = mail.outbox
    assert message.alternatives[0][0].startswith('<!DOCTYPE html><html lang="es">')


def test_registration_in_spanish_gets_the_email_in_spanish(client, forum, sent):
    register_in_spanish(client, forum, sent)

    (message,) = mail.outbox
    assert message.subject == f"Inscripción confirmada: {FORUM}"
    assert lines(message)[0] == "Estimado/a Ana:"
    assert "Thank you for registering" not in message.body
    assert "Status: Confirmed" not in message.body
    assert "<p>Estimado/a Ana:</p>" in message.alternatives[0][0]


def test_spanish_registrant_reads_the_forum_and_workshops_in_spanish(forum, register, sent):
    Forum.objects.filter(pk=forum.pk).update(title_es="Foro de Abastecimiento Responsable")
    Workshop.objects.filter(forum=forum, code="A1").update(title_es="Trabajo migrante")
    a1, b1 = Workshop.objects.get(forum=forum, code="A1"), Workshop.objects.get(code="B1")

    sent(register, forum, workshops=[a1, b1], language="es", email="ana@proveedor.example")

    (message,) = mail.outbox
    assert message.to == ["ana@proveedor.example"]
    assert message.subject == "Inscripción confirmada: Foro de Abastecimiento Responsable"
    overview = [line for line in lines(message) if line.split(":")[0] in ("Foro", "Cuándo")]
    assert overview == [
        "Foro: Foro de Abastecimiento Responsable",
        "Cuándo: martes, 11 de marzo de 2036, 09:00–17:00 (Asia/Kuala_Lumpur)",
    ]
    # B1 has no Spanish title: the English one.
    assert [line for line in lines(message) if line.startswith("Taller ")] == [
        "Taller 11:00: A1 Trabajo migrante – lugar confirmado",
        "Taller 14:00: B1 Water stewardship – lugar confirmado",
    ]


def test_english_registrant_reads_the_english_title_and_date(forum, register, sent):
    Forum.objects.filter(pk=forum.pk).update(title_es="Foro de Abastecimiento Responsable")

    sent(register, forum, email="siti@supplier.example")

    (message,) = mail.outbox
    assert message.subject == f"Registration confirmed: {FORUM}"
    assert [line for line in lines(message) if line.startswith("When: ")] == [
        "When: Tuesday 11 March 2036, 09:00–17:00 (Asia/Kuala_Lumpur)"
    ]


# --- mail server down ----------------------------------------------------------------------------


def test_mail_server_down_keeps_registration_and_email_for_retry(client, forum, settings, sent):
    settings.EMAIL_BACKEND = "tests.registrations.test_emails.MailServerDown"
    before = timezone.now()

    response = sent(
        client.post,
        reverse("registrations:register", args=[forum.slug]),
        {
            "first_name": "Siti",
            "last_name": "Rahman",
            "email": "siti@supplier.example",
            "job_title": "Buyer",
            "company_name": "Acme",
            "country": "MY",
            "consent": "on",
        },
    )

    assert response.status_code == 302
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    outgoing = OutgoingEmail.objects.get()
    assert (outgoing.kind, outgoing.status, outgoing.attempts) == (
        "confirmation",
        OutgoingEmail.Status.PENDING,
        1,
    )
    assert outgoing.last_error == "SMTPException: Connection refused by mail.example"
    assert before + timedelta(minutes=1) <= outgoing.next_attempt_at
    assert outgoing.next_attempt_at <= timezone.now() + timedelta(minutes=1)
    assert outgoing.sent_at is None
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert email_deliver(outgoing) is True

    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.last_error) == (
        OutgoingEmail.Status.SENT,
        2,
        "",
    )
    assert outgoing.next_attempt_at is None
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["siti@supplier.example"],
        f"Registration confirmed: {FORUM}",
    )
    assert sorted(calendar_events(message)) == [FORUM]

    # The queued task for a message already sent does not send it twice.
    send_email.call(outgoing.pk)
    assert len(mail.outbox) == 1


def test_mail_server_down_for_good_marks_email_failed(forum, register, settings, sent):
    settings.EMAIL_BACKEND = "tests.registrations.test_emails.MailServerDown"
    sent(register, forum, "siti@supplier.example")
    outgoing = OutgoingEmail.objects.get()

    for _attempt in range(MAX_ATTEMPTS - 1):
        assert email_deliver(outgoing) is False

    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.next_attempt_at) == (
        OutgoingEmail.Status.FAILED,
        MAX_ATTEMPTS,
        None,
    )


def test_retry_delay_doubles_up_to_six_hours():
    assert [retry_delay(n) for n in [1, 2, 3, 4, 9, 10, 20]] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
        timedelta(minutes=256),
        timedelta(minutes=360),
        timedelta(minutes=360),
    ]


def test_cancelling_a_registration_whose_address_was_removed_sends_nothing(
    forum, workshop, register, sent
):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration
    Person.objects.filter(pk=registration.person_id).update(email=None)
    registration.refresh_from_db()
    OutgoingEmail.objects.all().delete()

    sent(services.registration_cancel, registration=registration, by=Actor.registrant())

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


def test_email_is_from_and_signed_by_the_association(forum, register, sent, settings, workshop):
    settings.ASSOCIATION_NAME = "Example Association"
    settings.DEFAULT_FROM_EMAIL = '"Example Association" <forums@example.org>'
    sent(register, forum, "siti@supplier.example", [workshop("A1")], first_name="Siti")

    (message,) = mail.outbox
    assert message.message()["From"] == '"Example Association" <forums@example.org>'
    assert lines(message)[-1] == "Forum secretariat, Example Association"
    html = message.alternatives[0][0]
    assert html.count("Forum secretariat, Example Association") == 1
