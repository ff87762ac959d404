"""Many people registering at the same moment, in real threads with their own database
connections: nobody is overbooked, nobody gets an error, and freed seats go to the first in line.

On SQLite the threads need the test database in a file (an in-memory database is not shared
properly between connections); config/settings.py sets DATABASES["default"]["TEST"]["NAME"]."""

import pytest
from django.core import mail

from audit.services import Actor
from forums.models import Forum
from registrations import services
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from tests.threads import at_once
from workshops.models import Workshop

THREADS = 50
JOIN_TIMEOUT = 120  # seconds for all threads together; a hang fails instead of blocking CI


def register_all_at_once(forum, make_details, workshops=()):
    """THREADS registrations released together by a barrier. Returns the errors raised."""
    details = [make_details(f"racer{index:02d}@supplier.example") for index in range(THREADS)]

    def register(item):
        services.registration_create(forum=forum, details=item, workshops=list(workshops))

    _, errors = at_once(register, details, timeout=JOIN_TIMEOUT)
    return errors


def cancel_in_thread(registration):
    def cancel(_):
        services.registration_cancel(registration=registration, by=Actor.registrant())

    _, errors = at_once(cancel, [None], timeout=JOIN_TIMEOUT)
    assert errors == []


def promoted_recipients():
    return sorted(m.to[0] for m in mail.outbox if m.subject.startswith("A place is yours"))


@pytest.mark.django_db(transaction=True)
def test_registration_create_fifty_at_once_for_ten_forum_seats(forum, make_details):
    Forum.objects.filter(pk=forum.pk).update(capacity=10)

    errors = register_all_at_once(forum, make_details)

    assert errors == []
    racers = Registration.objects.filter(forum=forum)
    assert racers.filter(status=RegistrationStatus.CONFIRMED).count() == 10
    assert racers.filter(status=RegistrationStatus.WAITLISTED).count() == 40
    assert racers.filter(status=RegistrationStatus.WAITLISTED, waitlisted_at=None).count() == 0
    forum.refresh_from_db()
    assert forum.seats_taken == 10
    assert len(mail.outbox) == 50
    assert (
        sorted(m.subject.split(":")[0] for m in mail.outbox)
        == ["Registration confirmed"] * 10 + ["Waiting list"] * 40
    )

    # Three confirmed people cancel: the first three in line move in, each told by e-mail.
    mail.outbox.clear()
    first_in_line = list(
        racers.filter(status=RegistrationStatus.WAITLISTED)
        .order_by("waitlisted_at", "pk")
        .values_list("person__email", flat=True)[:3]
    )
    for registration in racers.filter(status=RegistrationStatus.CONFIRMED).order_by("pk")[:3]:
        cancel_in_thread(registration)

    moved_in = Registration.objects.filter(
        forum=forum, person__email__in=first_in_line, status=RegistrationStatus.CONFIRMED
    )
    assert moved_in.count() == 3
    assert racers.filter(status=RegistrationStatus.WAITLISTED).count() == 37
    forum.refresh_from_db()
    assert forum.seats_taken == 10
    assert promoted_recipients() == sorted(first_in_line)


@pytest.mark.django_db(transaction=True)
def test_registration_create_fifty_at_once_for_ten_workshop_seats(forum, workshop, make_details):
    Forum.objects.filter(pk=forum.pk).update(capacity=500)
    Workshop.objects.filter(pk=workshop("B2").pk).update(seat_limit=10)
    chosen = workshop("B2")

    errors = register_all_at_once(forum, make_details, workshops=[chosen])

    assert errors == []
    assert (
        Registration.objects.filter(forum=forum, status=RegistrationStatus.CONFIRMED).count() == 50
    )
    places = WorkshopPlace.objects.filter(workshop=chosen)
    assert places.filter(status=PlaceStatus.CONFIRMED).count() == 10
    assert places.filter(status=PlaceStatus.WAITLISTED).count() == 40
    chosen.refresh_from_db()
    forum.refresh_from_db()
    assert (chosen.seats_taken, forum.seats_taken) == (10, 50)

    mail.outbox.clear()
    first_in_line = list(
        places.filter(status=PlaceStatus.WAITLISTED)
        .order_by("joined_at", "pk")
        .values_list("registration__person__email", flat=True)[:3]
    )
    holders = places.filter(status=PlaceStatus.CONFIRMED).order_by("pk")[:3]
    for registration in [place.registration for place in holders]:
        cancel_in_thread(registration)

    assert sorted(
        places.filter(status=PlaceStatus.CONFIRMED)
        .exclude(registration__status=RegistrationStatus.CANCELLED)
        .filter(registration__person__email__in=first_in_line)
        .values_list("registration__person__email", flat=True)
    ) == sorted(first_in_line)
    assert places.filter(status=PlaceStatus.CONFIRMED).count() == 10
    assert places.filter(status=PlaceStatus.WAITLISTED).count() == 37
    chosen.refresh_from_db()
    assert chosen.seats_taken == 10
    assert promoted_recipients() == sorted(first_in_line)


# Twelve companies no two of which the matching takes for one (no shared first word).
COMPANIES = [
    "Apex Timber Sdn Bhd",
    "Borneo Cocoa Sdn Bhd",
    "Cahaya Paper Sdn Bhd",
    "Delta Sugar Sdn Bhd",
    "Emas Rubber Sdn Bhd",
    "Fajar Glass Sdn Bhd",
    "Gemilang Tin Sdn Bhd",
    "Harapan Tea Sdn Bhd",
    "Intan Spice Sdn Bhd",
    "Jaya Cotton Sdn Bhd",
    "Kencana Salt Sdn Bhd",
    "Lestari Palm Sdn Bhd",
]


@pytest.mark.django_db(transaction=True)
def test_registration_create_one_new_address_twelve_times_at_once_keeps_one_request_whole(
    forum, make_details
):
    # Negative control: before the company and the person were made in the registration's
    # transaction, the person's name came from one request and the company from another, and
    # every request left a company behind; this test failed on PostgreSQL.
    from forums.models import Organisation, Person

    requests = [
        make_details(
            "same@supplier.example",
            first_name=f"Name{index:02d}",
            last_name=f"Family{index:02d}",
            company_name=company,
            job_title=f"Job{index:02d}",
        )
        for index, company in enumerate(COMPANIES)
    ]

    def register(details):
        return services.registration_create(forum=forum, details=details, workshops=[])

    outcomes, errors = at_once(register, requests, timeout=JOIN_TIMEOUT)

    assert errors == []
    registration = Registration.objects.select_related("person__organisation", "company").get()
    person = Person.objects.get()
    index = COMPANIES.index(registration.company.name)
    assert (
        person.first_name,
        person.last_name,
        person.organisation,
        registration.job_title,
    ) == (f"Name{index:02d}", f"Family{index:02d}", registration.company, f"Job{index:02d}")
    assert list(Organisation.objects.values_list("name", flat=True)) == [COMPANIES[index]]
    assert sorted(outcome.created for outcome in outcomes) == [False] * 11 + [True]
    assert {outcome.registration for outcome in outcomes} == {registration}
