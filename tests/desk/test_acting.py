"""Acting for a registrant from the desk: change their workshops (seat limits apply, with an
override and a reason), add a registration by hand, resend the confirmation, open their own
page, cancel. Each is audited with the secretariat member who did it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import PlaceStatus, RegistrationSource, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from registrations.tokens import manage_token
from tests.feedback.results_fixture import add_workshop
from workshops.models import Workshop


def _details(n: int, **overrides) -> services.RegistrantDetails:
    values = {
        "first_name": f"Siti{n}",
        "last_name": "Rahman",
        "email": f"person{n}@supplier.example",
        "company_name": "Kilang Sawit Maju Sdn Bhd",
        "country": "MY",
    }
    values.update(overrides)
    return services.RegistrantDetails(**values)


@pytest.fixture
def full_forum(make_forum):
    """A forum with one workshop of 1 seat, taken by someone else, and one free workshop at
    another time."""
    forum = make_forum(slug="kl-2036")
    full = add_workshop(forum, "A1", [])
    full.seat_limit = 1
    full.save()
    free = add_workshop(forum, "B1", [])
    free.starts_at = forum.starts_at + timedelta(hours=7)
    free.ends_at = free.starts_at + timedelta(hours=1)
    free.save()
    services.registration_create(forum=forum, details=_details(1), workshops=[full], proven=True)
    registration = services.registration_create(
        forum=forum, details=_details(2), workshops=[], proven=True
    ).registration
    return forum, full, free, registration


def _slot_of(forum, workshop) -> str:
    from workshops.selectors import forum_slots

    for slot in forum_slots(forum):
        if workshop in slot.workshops:
            return f"slot_{slot.number}"
    raise AssertionError(workshop)


def test_change_workshops_into_a_full_one_without_reason_joins_its_waiting_list(
    full_forum, staff_client, secretariat_user
):
    forum, full, _free, registration = full_forum
    response = staff_client.post(
        reverse("desk:registration_workshops", args=[registration.pk]),
        {_slot_of(forum, full): str(full.pk), "save": "yes"},
    )
    assert response.status_code == 302
    place = WorkshopPlace.objects.get(registration=registration)
    assert (place.workshop, place.status) == (full, PlaceStatus.WAITLISTED)
    full.refresh_from_db()
    assert (full.seat_limit, full.seats_taken) == (1, 1)
    entry = AuditEntry.objects.get(action="registration.workshops_changed")
    assert (entry.actor, entry.object_id) == (secretariat_user, str(registration.pk))
    assert entry.data == {"before": [], "after": [full.pk], "limits_raised": []}


def test_change_workshops_with_a_reason_gives_a_seat_beyond_the_limit(
    full_forum, staff_client, secretariat_user
):
    forum, full, _free, registration = full_forum
    staff_client.post(
        reverse("desk:registration_workshops", args=[registration.pk]),
        {
            _slot_of(forum, full): str(full.pk),
            "override_reason": "Speaker's assistant",
            "save": "yes",
        },
    )
    place = WorkshopPlace.objects.get(registration=registration)
    assert (place.workshop, place.status) == (full, PlaceStatus.CONFIRMED)
    full.refresh_from_db()
    assert (full.seat_limit, full.seats_taken) == (2, 2)
    entry = AuditEntry.objects.get(action="registration.workshops_changed")
    assert entry.actor == secretariat_user
    assert entry.data == {
        "before": [],
        "after": [full.pk],
        "limits_raised": [{"workshop": full.pk, "from": 1, "to": 2}],
        "reason": "Speaker's assistant",
    }
    assert OutgoingEmail.objects.filter(about_id=registration.pk, kind="changed").count() == 1


@pytest.mark.parametrize("reason", ["a\x00b", "x" * 10_000, "\u202e"])
def test_change_workshops_with_a_bad_reason_changes_nothing(full_forum, staff_client, reason):
    forum, full, _free, registration = full_forum
    response = staff_client.post(
        reverse("desk:registration_workshops", args=[registration.pk]),
        {_slot_of(forum, full): str(full.pk), "override_reason": reason, "save": "yes"},
    )
    assert response.status_code == 400
    assert not WorkshopPlace.objects.filter(registration=registration).exists()
    assert Workshop.objects.get(pk=full.pk).seat_limit == 1
    assert not AuditEntry.objects.filter(action="registration.workshops_changed").exists()


def test_a_workshop_of_another_forum_is_refused(full_forum, staff_client, make_forum):
    forum, full, _free, registration = full_forum
    elsewhere = add_workshop(make_forum(slug="elsewhere"), "Z1", [])
    response = staff_client.post(
        reverse("desk:registration_workshops", args=[registration.pk]),
        {_slot_of(forum, full): str(elsewhere.pk), "save": "yes"},
    )
    assert response.status_code == 400
    assert not WorkshopPlace.objects.filter(registration=registration).exists()


def test_registrant_changing_their_own_workshops_is_not_audited(full_forum):
    _forum, _full, free, registration = full_forum
    services.registration_change_workshops(registration=registration, workshops=[free])
    assert not AuditEntry.objects.filter(action="registration.workshops_changed").exists()


def test_override_reason_is_the_secretariats_only(full_forum, users):
    from audit.services import Actor

    _forum, full, _free, registration = full_forum
    with pytest.raises(services.RegistrationError):
        services.registration_change_workshops(
            registration=registration,
            workshops=[full],
            by=Actor.of(users["member"]),
            override_reason="I say so",
        )
    assert not WorkshopPlace.objects.filter(registration=registration).exists()


def test_resend_is_audited_and_queues_one_email(full_forum, staff_client, secretariat_user):
    _forum, _full, _free, registration = full_forum
    before = OutgoingEmail.objects.filter(about_id=registration.pk).count()
    staff_client.post(reverse("desk:registration_resend", args=[registration.pk]))  # no confirm
    assert OutgoingEmail.objects.filter(about_id=registration.pk).count() == before
    staff_client.post(
        reverse("desk:registration_resend", args=[registration.pk]), {"confirm": "yes"}
    )
    assert OutgoingEmail.objects.filter(about_id=registration.pk).count() == before + 1
    entry = AuditEntry.objects.get(action="registration.resent")
    assert (entry.actor, entry.object_id) == (secretariat_user, str(registration.pk))


def test_cancel_says_who_is_emailed_then_cancels_when_confirmed(
    full_forum, staff_client, secretariat_user
):
    _forum, _full, _free, registration = full_forum
    url = reverse("desk:registration_cancel", args=[registration.pk])
    page = staff_client.get(url).content.decode()
    assert "This will e-mail 1 person (person2@supplier.example)" in page
    staff_client.post(url)
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED
    staff_client.post(url, {"confirm": "yes"})
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED
    entry = AuditEntry.objects.get(action="registration.cancelled")
    assert entry.actor == secretariat_user


def test_open_their_page_redirects_to_their_link_which_the_desk_never_shows(
    full_forum, staff_client
):
    _forum, _full, _free, registration = full_forum
    page = staff_client.get(reverse("desk:registration", args=[registration.pk]))
    assert registration.secret not in page.content.decode()
    response = staff_client.post(reverse("desk:registration_open", args=[registration.pk]))
    assert response["Location"] == reverse(
        "registrations:manage", args=[manage_token(registration)]
    )


def test_add_by_hand_registers_confirms_and_audits(full_forum, staff_client, secretariat_user):
    forum, _full, free, _registration = full_forum
    data = {
        "first_name": "Ana",
        "last_name": "López",
        "email": "ana@azucar.example",
        "job_title": "Buyer",
        "company_name": "Azúcar del Pacífico",
        "country": "MX",
        "consent": "on",
        _slot_of(forum, free): str(free.pk),
    }
    url = reverse("desk:registration_add", args=[forum.slug])
    response = staff_client.post(url, data)
    made = Registration.objects.get(person__email="ana@azucar.example")
    assert response["Location"] == reverse("desk:registration", args=[made.pk])
    assert (made.status, made.source) == (
        RegistrationStatus.CONFIRMED,
        RegistrationSource.SECRETARIAT,
    )
    assert list(made.workshop_places.values_list("workshop", "status")) == [
        (free.pk, PlaceStatus.CONFIRMED)
    ]
    entry = AuditEntry.objects.get(action="registration.added_by_hand")
    assert (entry.actor, entry.object_id) == (secretariat_user, str(made.pk))
    assert OutgoingEmail.objects.filter(about_id=made.pk, kind="confirmation").count() == 1
    # Again: nothing new, and the secretariat is told.
    again = staff_client.post(url, data, follow=True)
    assert "registered for this forum already" in again.content.decode()
    assert Registration.objects.filter(person__email="ana@azucar.example").count() == 1


@pytest.mark.parametrize(
    "field, value", [("first_name", "a\x00b"), ("email", "x" * 10_000), ("consent", "")]
)
def test_add_by_hand_refuses_bad_input(full_forum, staff_client, field, value):
    forum, _full, _free, _registration = full_forum
    data = {
        "first_name": "Ana",
        "last_name": "López",
        "email": "ana@azucar.example",
        "job_title": "Buyer",
        "company_name": "Azúcar",
        "country": "MX",
        "consent": "on",
        field: value,
    }
    before = Registration.objects.count()
    response = staff_client.post(reverse("desk:registration_add", args=[forum.slug]), data)
    assert response.status_code == 400
    assert Registration.objects.count() == before


@pytest.mark.parametrize("pk", ["²", "9" * 30, "-1", "0"])
def test_registration_page_for_an_id_that_names_nothing(staff_client, pk, db):
    assert staff_client.get(f"/desk/registrations/{pk}/").status_code == 404


@pytest.mark.parametrize("workshops", [1, 3])
def test_registration_page_query_count(
    make_forum, staff_client, workshops, django_assert_num_queries
):
    forum = make_forum()
    chosen = []
    for n in range(workshops):
        workshop = add_workshop(forum, f"A{n}", [])
        workshop.starts_at = forum.starts_at + timedelta(hours=n * 2)
        workshop.ends_at = workshop.starts_at + timedelta(hours=1)
        workshop.save()
        chosen.append(workshop)
    registration = services.registration_create(
        forum=forum, details=_details(1), workshops=chosen, proven=True
    ).registration
    with django_assert_num_queries(REGISTRATION_QUERIES):
        response = staff_client.get(reverse("desk:registration", args=[registration.pk]))
    assert response.content.decode().count("place confirmed") == workshops


REGISTRATION_QUERIES = 7
