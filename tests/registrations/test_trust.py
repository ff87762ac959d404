"""Nobody can change what is held about a person without proving they read that person's e-mail:
held registrations, confirmation links, manage-link secrets that rotate, and the per-client limit
on the public form."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone, translation

from audit.services import Actor
from forums.models import AgendaItem, Organisation, Person
from registrations import services
from registrations.enums import RegistrationStatus
from registrations.models import HeldRegistration, Registration
from registrations.tokens import manage_token

from .test_views import form_data, register_url

STRANGER = {
    "first_name": "Mallory",
    "last_name": "Stranger",
    "company_name": "Evil Corp",
    "country": "FR",
    "job_title": "Intruder",
}


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST the registration form and run the after-commit work (e-mails)."""

    def run(forum, **overrides):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(register_url(forum), form_data(**overrides))

    return run


def confirm_link(message) -> str:
    (path,) = re.findall(
        r"https://forums\.example\.org(/registration/confirm/[^\s/]+/)", message.body
    )
    return path


def person_values(person: Person) -> tuple:
    person.refresh_from_db()
    return (
        person.first_name,
        person.last_name,
        person.organisation_id,
        person.job_title,
        str(person.country),
    )


def test_stranger_with_a_participants_address_changes_nothing_and_mail_asks_the_owner(
    forum, make_forum, register, post
):
    earlier = register(make_forum(slug="earlier"), "siti@supplier.example").registration
    before = person_values(earlier.person)
    organisations = Organisation.objects.count()

    response = post(forum, email="Siti@Supplier.example", **STRANGER)

    assert response["Location"] == reverse("registrations:sent", args=[forum.slug])
    assert person_values(earlier.person) == before
    assert Registration.objects.filter(forum=forum).count() == 0
    assert Organisation.objects.count() == organisations
    held = HeldRegistration.objects.get()
    assert (held.forum, held.email, held.details["first_name"]) == (
        forum,
        "Siti@Supplier.example",
        "Mallory",
    )
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["Siti@Supplier.example"],
        "Please confirm your registration: Responsible Sourcing Forum Kuala Lumpur",
    )
    assert "Mallory" not in message.body  # a stranger's text is not mailed to the owner
    assert confirm_link(message) == reverse("registrations:confirm", args=[held.secret])


def test_stranger_with_a_speakers_address_leaves_the_public_agenda_as_it_was(
    client, forum, make_person, post
):
    speaker = make_person("Melizel", "Asuncion", email="melizel@verite.example")
    item = AgendaItem.objects.create(
        forum=forum,
        title="Forced labour in context",
        starts_at=forum.starts_at,
        ends_at=forum.starts_at + timedelta(hours=1),
    )
    item.speakers.add(speaker)

    post(forum, email="melizel@verite.example", **STRANGER)

    page = client.get(reverse("forum", args=[forum.slug])).content.decode()
    assert "Melizel Asuncion" in page
    assert "Mallory" not in page
    assert person_values(speaker)[:2] == ("Melizel", "Asuncion")


def test_confirm_link_shows_then_registers_with_the_new_details(
    client, forum, make_forum, workshop, register, post
):
    earlier = register(make_forum(slug="earlier"), "siti@supplier.example").registration
    post(forum, email="siti@supplier.example", slot_1=str(workshop("A1").pk), **STRANGER)
    link = confirm_link(mail.outbox[0])

    shown = client.get(link)

    assert shown.status_code == 200
    assert Registration.objects.filter(forum=forum).count() == 0  # a GET confirms nothing
    assert re.findall(r"<dd>(.*?)</dd>", shown.content.decode())[:3] == [
        "siti@supplier.example",
        "Mallory Stranger",
        "Evil Corp",
    ]

    assert client.post(link).status_code == 200  # without the button's value: nothing
    assert Registration.objects.filter(forum=forum).count() == 0
    response = client.post(link, {"confirm": "yes"})

    registration = Registration.objects.get(forum=forum)
    assert response["Location"] == reverse("registrations:manage", args=[registration.secret])
    assert registration.person == earlier.person
    assert person_values(earlier.person)[:2] == ("Mallory", "Stranger")
    assert registration.company.name == "Evil Corp"
    assert [p.workshop.code for p in registration.workshop_places.all()] == ["A1"]
    assert client.get(link).status_code == 200
    assert "This link has been used" in client.get(link).content.decode()
    assert client.post(link, {"confirm": "yes"}).status_code == 200
    assert Registration.objects.filter(forum=forum).count() == 1


def test_confirm_link_expires_after_two_days(client, forum, make_forum, register, post):
    register(make_forum(slug="earlier"), "siti@supplier.example")
    post(forum, **STRANGER)
    link = confirm_link(mail.outbox[0])
    HeldRegistration.objects.update(created_at=timezone.now() - timedelta(days=2, seconds=1))

    response = client.post(link, {"confirm": "yes"})

    assert response.status_code == 200
    assert "This link has expired" in response.content.decode()
    assert Registration.objects.filter(forum=forum).count() == 0


def test_reregistering_a_cancelled_address_does_not_revive_it_or_its_old_link(
    client, forum, register, post
):
    registration = register(forum, "siti@supplier.example").registration
    old_link = reverse("registrations:manage", args=[manage_token(registration)])
    services.registration_cancel(registration=registration, by=Actor.registrant())
    registration.refresh_from_db()
    cancelled_secret = registration.secret

    post(forum, email="siti@supplier.example", **STRANGER)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.secret == cancelled_secret
    assert registration.person.first_name != "Mallory"
    # Refused, saying it was replaced at the cancellation.
    assert client.get(old_link).status_code == 410
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Please confirm your registration"]


def test_cancel_and_revive_each_draw_a_new_manage_secret(client, forum, register):
    registration = register(forum, "siti@supplier.example").registration
    first = manage_token(registration)
    services.registration_cancel(registration=registration, by=Actor.registrant())
    registration.refresh_from_db()
    second = manage_token(registration)
    revived = register(forum, "siti@supplier.example").registration
    third = manage_token(revived)

    assert revived.pk == registration.pk
    assert len({first, second, third}) == 3
    statuses = [
        client.get(reverse("registrations:manage", args=[token])).status_code
        for token in [first, second, third]
    ]
    # The two replaced links are refused, each saying it was replaced.
    assert statuses == [410, 410, 200]


def test_manage_link_carries_no_database_id(forum, register):
    registration = register(forum, "siti@supplier.example").registration
    token = manage_token(registration)

    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="registrations.manage")
    assert token == Registration.objects.get(pk=registration.pk).secret


def test_logged_in_owner_of_the_address_registers_directly(
    client, forum, make_forum, make_user, register, post
):
    earlier = register(make_forum(slug="earlier"), "siti@supplier.example").registration
    client.force_login(make_user("siti@supplier.example"))

    response = post(forum, email="SITI@supplier.example", first_name="Siti-Ann")

    registration = Registration.objects.get(forum=forum)
    assert response["Location"] == reverse("registrations:manage", args=[registration.secret])
    assert person_values(earlier.person)[0] == "Siti-Ann"
    assert HeldRegistration.objects.count() == 0


def test_logged_in_user_with_another_address_is_not_proof(
    client, forum, make_forum, make_user, register, post
):
    earlier = register(make_forum(slug="earlier"), "siti@supplier.example").registration
    client.force_login(make_user("mallory@evil.example"))

    post(forum, email="siti@supplier.example", **STRANGER)

    assert person_values(earlier.person)[0] != "Mallory"
    assert HeldRegistration.objects.count() == 1


# --- the per-client limit --------------------------------------------------------------------


def test_one_client_cannot_take_a_forums_seats(client, forum, settings):
    settings.REGISTRATION_RATE_LIMIT = "1000/h"  # only the per-forum limit counts here
    settings.REGISTRATION_FORUM_RATE_LIMIT = "25/7d"
    forum.capacity = 30
    forum.save()

    statuses = [
        client.post(register_url(forum), form_data(email=f"r{n}@bot.example")).status_code
        for n in range(50)
    ]

    assert statuses == [302] * 25 + [429] * 25
    forum.refresh_from_db()
    assert forum.seats_taken == 25
    assert Registration.objects.count() == 25


def test_rate_limit_counts_per_client_and_says_so_in_both_languages(client, forum, settings):
    settings.REGISTRATION_RATE_LIMIT = "2/h"
    for n in range(2):
        client.post(register_url(forum), form_data(email=f"r{n}@a.example"))

    refused = client.post(register_url(forum), form_data(email="r3@a.example"))
    other_client = client.post(
        register_url(forum), form_data(email="r4@a.example"), REMOTE_ADDR="192.0.2.7"
    )
    with translation.override("es"):
        spanish = client.post(
            register_url(forum), form_data(email="r5@a.example"), HTTP_ACCEPT_LANGUAGE="es"
        )

    assert refused.status_code == 429
    (message,) = re.findall(r'<p role="alert">(.*?)</p>', refused.content.decode())
    assert message == (
        "Too many registrations have come from your network in a short time. Please try again "
        "later, or ask the forum secretariat to register your colleagues."
    )
    assert other_client.status_code == 302
    assert spanish.status_code == 429
    (mensaje,) = re.findall(r'<p role="alert">(.*?)</p>', spanish.content.decode())
    assert mensaje.startswith("Han llegado demasiadas inscripciones desde su red")
    assert Registration.objects.count() == 3


def test_invalid_forms_do_not_count_against_the_limit(client, forum, settings):
    settings.REGISTRATION_RATE_LIMIT = "1/h"
    for _ in range(5):
        assert client.post(register_url(forum), form_data(consent=None)).status_code == 200

    assert client.post(register_url(forum), form_data()).status_code == 302


def test_confirmation_emails_to_one_address_are_limited(
    client, forum, make_forum, register, django_capture_on_commit_callbacks
):
    register(make_forum(slug="earlier"), "siti@supplier.example")
    mail.outbox.clear()
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):  # from five different clients, so the per-client limit is not it
            responses.append(
                client.post(
                    register_url(forum),
                    form_data(email="siti@supplier.example", **STRANGER),
                    REMOTE_ADDR=f"192.0.2.{n + 1}",
                )
            )

    assert {r["Location"] for r in responses} == {reverse("registrations:sent", args=[forum.slug])}
    assert len(mail.outbox) == 3
    assert HeldRegistration.objects.count() == 3


def test_held_registrations_are_not_kept_once_their_link_has_expired(
    forum, make_forum, register, post
):
    register(make_forum(slug="earlier"), "siti@supplier.example")
    register(make_forum(slug="earlier-2"), "ana@supplier.example")
    post(forum, email="siti@supplier.example", **STRANGER)
    HeldRegistration.objects.update(created_at=timezone.now() - timedelta(days=2, seconds=1))

    post(forum, email="ana@supplier.example", **STRANGER)

    assert list(HeldRegistration.objects.values_list("email", flat=True)) == [
        "ana@supplier.example"
    ]
