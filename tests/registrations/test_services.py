"""registrations.services: seats, waiting lists and who moves in, and what each use case sends."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.services import Actor
from forums.enums import ForumStatus
from forums.models import Forum, Organisation, Person
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from registrations.selectors import registration_overview
from workshops.models import Workshop

from .conftest import add_workshops


def counters_match_counts(forum):
    """Forum.seats_taken and every Workshop.seats_taken equal the confirmed rows they count."""
    forum.refresh_from_db()
    holding = Registration.objects.filter(
        forum=forum, status__in=RegistrationStatus.holding_a_seat()
    ).count()
    assert forum.seats_taken == holding
    for workshop in Workshop.objects.filter(forum=forum):
        confirmed = WorkshopPlace.objects.filter(
            workshop=workshop, status=PlaceStatus.CONFIRMED
        ).count()
        assert (workshop.code, workshop.seats_taken) == (workshop.code, confirmed)
    return True


def emails_sent():
    return [(e.to, e.kind) for e in OutgoingEmail.objects.order_by("pk")]


def places(registration):
    return {
        p.workshop.code: p.status
        for p in WorkshopPlace.objects.filter(registration=registration).select_related("workshop")
    }


def nothing_created():
    return (
        Registration.objects.count(),
        Person.objects.count(),
        Organisation.objects.count(),
        WorkshopPlace.objects.count(),
        OutgoingEmail.objects.count(),
    ) == (0, 0, 0, 0, 0)


# --- registration_create -------------------------------------------------------------------------


def test_registration_create_confirmed_when_seats_free(forum, workshop, register):
    outcome = register(forum, "siti@supplier.example", [workshop("A1"), workshop("B2")])

    registration = outcome.registration
    assert outcome.created is True
    # A new registration frees no seat, so nobody else is moved in.
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["confirmation"]
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.waitlisted_at is None
    assert registration.consent_given_at is not None
    assert registration.person.email == "siti@supplier.example"
    assert registration.company.name == "Acme Packaging Sdn Bhd"
    assert places(registration) == {"A1": PlaceStatus.CONFIRMED, "B2": PlaceStatus.CONFIRMED}
    forum.refresh_from_db()
    assert forum.seats_taken == 1
    assert [w.seats_taken for w in Workshop.objects.filter(forum=forum).order_by("code")] == [
        1,
        0,
        0,
        1,
    ]
    assert emails_sent() == [("siti@supplier.example", "confirmation")]


def test_registration_create_forum_full_waitlists_with_time_and_position(forum, workshop, register):
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    now = timezone.now()
    register(forum, "first@supplier.example")
    second = register(forum, "second@supplier.example", [workshop("A1")], now=now).registration
    third = register(forum, "third@supplier.example", now=now + timedelta(seconds=1)).registration

    assert second.status == RegistrationStatus.WAITLISTED
    assert second.waitlisted_at == now
    assert registration_overview(second).forum_position == 1
    assert registration_overview(third).forum_position == 2
    # Only people with a forum seat can hold a workshop seat, even in a workshop with room.
    assert places(second) == {"A1": PlaceStatus.WAITLISTED}
    workshop_a1 = workshop("A1")
    assert workshop_a1.seats_taken == 0
    forum.refresh_from_db()
    assert forum.seats_taken == 1
    assert emails_sent() == [
        ("first@supplier.example", "confirmation"),
        ("second@supplier.example", "waitlisted"),
        ("third@supplier.example", "waitlisted"),
    ]
    assert counters_match_counts(forum)


def test_registration_create_workshop_full_waitlists_the_place_with_position(
    forum, workshop, register
):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    register(forum, "first@supplier.example", [workshop("A1")])
    second = register(forum, "second@supplier.example", [workshop("A1"), workshop("B1")])
    third = register(forum, "third@supplier.example", [workshop("A1")])

    assert second.registration.status == RegistrationStatus.CONFIRMED
    assert places(second.registration) == {
        "A1": PlaceStatus.WAITLISTED,
        "B1": PlaceStatus.CONFIRMED,
    }
    assert [
        (p.workshop.code, p.position) for p in registration_overview(second.registration).places
    ] == [
        ("A1", 1),
        ("B1", None),
    ]
    assert [p.position for p in registration_overview(third.registration).places] == [2]
    assert workshop("A1").seats_taken == 1
    assert counters_match_counts(forum)


def test_registration_create_two_workshops_in_one_slot_is_refused(forum, workshop, register):
    with pytest.raises(services.RegistrationError) as caught:
        register(forum, workshops=[workshop("A1"), workshop("A2")])

    assert caught.value.message == (
        "Migrant labour and Health and safety on site take place at the same time. "
        "Choose one workshop per time slot."
    )
    assert caught.value.field == "workshops"
    assert nothing_created()


def test_registration_create_workshop_of_another_forum_is_refused(forum, make_forum, register):
    other = make_forum(title="Mexico", slug="mexico")
    add_workshops(other)
    foreign = Workshop.objects.get(forum=other, code="B1")

    with pytest.raises(services.RegistrationError) as caught:
        register(forum, workshops=[foreign])

    assert caught.value.message == (
        "The workshop “Water stewardship” is not part of this forum. Choose from the list."
    )
    assert caught.value.field == "workshops"
    assert nothing_created()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"registration_opens_at_days": 1}, id="before_opens_at"),
        pytest.param({"registration_closes_at_days": -1}, id="after_closes_at"),
        pytest.param({"status": ForumStatus.PUBLISHED}, id="published"),
        pytest.param({"status": ForumStatus.REGISTRATION_CLOSED}, id="registration_closed"),
        pytest.param({"status": ForumStatus.HELD}, id="held"),
        pytest.param({"status": ForumStatus.DRAFT}, id="draft"),
    ],
)
def test_registration_create_when_registration_not_open_is_refused(
    forum, workshop, register, change
):
    now = timezone.now()
    if "registration_opens_at_days" in change:
        forum.registration_opens_at = now + timedelta(days=change["registration_opens_at_days"])
    if "registration_closes_at_days" in change:
        forum.registration_opens_at = now - timedelta(days=10)
        forum.registration_closes_at = now + timedelta(days=change["registration_closes_at_days"])
    forum.status = change.get("status", forum.status)
    forum.save()

    with pytest.raises(services.RegistrationError) as caught:
        register(forum, workshops=[workshop("A1")])

    assert caught.value.message == "Registration for this forum is not open."
    assert nothing_created()
    forum.refresh_from_db()
    assert forum.seats_taken == 0
    assert workshop("A1").seats_taken == 0


def test_registration_create_same_email_other_case_returns_existing(forum, workshop, register):
    first = register(forum, "Siti.Rahman@Supplier.example", [workshop("A1")])
    again = register(forum, "  siti.rahman@supplier.EXAMPLE ", [workshop("A2")], first_name="Other")

    assert again.created is False
    assert again.registration.pk == first.registration.pk
    assert Registration.objects.count() == 1
    assert Person.objects.get().first_name == first.registration.person.first_name
    assert places(again.registration) == {"A1": PlaceStatus.CONFIRMED}
    forum.refresh_from_db()
    assert forum.seats_taken == 1
    assert emails_sent() == [("Siti.Rahman@Supplier.example", "confirmation")]


def test_registration_create_revives_a_cancelled_registration(forum, workshop, register):
    first = register(forum, "siti@supplier.example", [workshop("A1")]).registration
    services.registration_cancel(registration=first, by=Actor.registrant())

    outcome = register(forum, "SITI@supplier.example", [workshop("B1")])

    assert outcome.created is True
    assert outcome.registration.pk == first.pk
    assert outcome.registration.status == RegistrationStatus.CONFIRMED
    assert outcome.registration.cancelled_at is None
    assert places(outcome.registration) == {"B1": PlaceStatus.CONFIRMED}
    assert Registration.objects.count() == 1
    assert counters_match_counts(forum)
    assert emails_sent() == [
        ("siti@supplier.example", "confirmation"),
        ("siti@supplier.example", "cancelled"),
        ("siti@supplier.example", "confirmation"),
    ]


def test_registration_create_keeps_invitation_of_this_forum_only(
    forum, make_forum, sponsor, register
):
    own = sponsor(forum)
    other = sponsor(make_forum(slug="other"))

    invited = register(forum, "a@supplier.example", invited_by=own).registration
    foreign = register(forum, "b@supplier.example", invited_by=other).registration

    assert invited.invited_by == own
    assert foreign.invited_by is None


# --- registration_cancel -------------------------------------------------------------------------


def test_registration_cancel_promotes_first_waiting_by_waitlisted_at(forum, register):
    Forum.objects.filter(pk=forum.pk).update(capacity=2)
    now = timezone.now()
    holder = register(forum, "holder@supplier.example").registration
    register(forum, "other@supplier.example")
    # Registered first but joined the list later: the list goes by waitlisted_at.
    later = register(forum, "later@supplier.example", now=now + timedelta(minutes=2)).registration
    earlier = register(forum, "earlier@supplier.example", now=now + timedelta(minutes=1))
    OutgoingEmail.objects.all().delete()

    cancelled = services.registration_cancel(registration=holder, by=Actor.registrant())

    assert cancelled.status == RegistrationStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    earlier.registration.refresh_from_db()
    later.refresh_from_db()
    assert earlier.registration.status == RegistrationStatus.CONFIRMED
    assert earlier.registration.waitlisted_at is None
    assert later.status == RegistrationStatus.WAITLISTED
    assert registration_overview(later).forum_position == 1
    assert counters_match_counts(forum)
    assert emails_sent() == [
        ("holder@supplier.example", "cancelled"),
        ("earlier@supplier.example", "promoted"),
    ]


def test_registration_cancel_promotes_first_waiting_in_the_workshop(forum, workshop, register):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    holder = register(forum, "holder@supplier.example", [workshop("A1")]).registration
    first = register(forum, "first@supplier.example", [workshop("A1")]).registration
    second = register(forum, "second@supplier.example", [workshop("A1")]).registration
    OutgoingEmail.objects.all().delete()

    services.registration_cancel(registration=holder, by=Actor.registrant())

    assert places(holder) == {}
    assert places(first) == {"A1": PlaceStatus.CONFIRMED}
    assert places(second) == {"A1": PlaceStatus.WAITLISTED}
    assert [p.position for p in registration_overview(second).places] == [1]
    assert counters_match_counts(forum)
    assert emails_sent() == [
        ("holder@supplier.example", "cancelled"),
        ("first@supplier.example", "promoted"),
    ]


def test_registration_cancel_promoted_registrant_also_gets_waiting_workshop_seat(
    forum, workshop, register
):
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    holder = register(forum, "holder@supplier.example").registration
    waiting = register(forum, "waiting@supplier.example", [workshop("B1")]).registration
    assert places(waiting) == {"B1": PlaceStatus.WAITLISTED}

    services.registration_cancel(registration=holder, by=Actor.registrant())

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert places(waiting) == {"B1": PlaceStatus.CONFIRMED}
    assert counters_match_counts(forum)
    # One e-mail for the move-in, not one per seat.
    assert [kind for to, kind in emails_sent() if to == "waiting@supplier.example"] == [
        "waitlisted",
        "promoted",
    ]


def test_registration_cancel_twice_changes_nothing(forum, workshop, register):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration
    services.registration_cancel(registration=registration, by=Actor.registrant())
    first_cancelled_at = Registration.objects.get().cancelled_at

    services.registration_cancel(registration=registration, by=Actor.registrant())

    assert Registration.objects.get().cancelled_at == first_cancelled_at
    assert [kind for _, kind in emails_sent()] == ["confirmation", "cancelled"]
    assert counters_match_counts(forum)


def test_registration_cancel_waitlisted_frees_no_seat(forum, register):
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    register(forum, "holder@supplier.example")
    waiting = register(forum, "waiting@supplier.example").registration
    next_in_line = register(forum, "next@supplier.example").registration

    services.registration_cancel(registration=waiting, by=Actor.registrant())

    next_in_line.refresh_from_db()
    assert next_in_line.status == RegistrationStatus.WAITLISTED
    assert registration_overview(next_in_line).forum_position == 1
    assert counters_match_counts(forum)


# --- registration_change_workshops ---------------------------------------------------------------


def test_registration_change_workshops_frees_seat_and_promotes(forum, workshop, register):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    mover = register(forum, "mover@supplier.example", [workshop("A1"), workshop("B1")])
    waiting = register(forum, "waiting@supplier.example", [workshop("A1")]).registration
    OutgoingEmail.objects.all().delete()

    services.registration_change_workshops(
        registration=mover.registration, workshops=[workshop("A2"), workshop("B1")]
    )

    assert places(mover.registration) == {"A2": PlaceStatus.CONFIRMED, "B1": PlaceStatus.CONFIRMED}
    assert places(waiting) == {"A1": PlaceStatus.CONFIRMED}
    assert counters_match_counts(forum)
    assert emails_sent() == [
        ("mover@supplier.example", "changed"),
        ("waiting@supplier.example", "promoted"),
    ]


def test_registration_change_workshops_new_choice_joins_back_of_queue(forum, workshop, register):
    Workshop.objects.filter(pk=workshop("B1").pk).update(seat_limit=1)
    register(forum, "holder@supplier.example", [workshop("B1")])
    queued = register(forum, "queued@supplier.example", [workshop("B1")]).registration
    changer = register(forum, "changer@supplier.example", [workshop("A1")]).registration

    services.registration_change_workshops(
        registration=changer, workshops=[workshop("A1"), workshop("B1")]
    )

    assert places(changer) == {"A1": PlaceStatus.CONFIRMED, "B1": PlaceStatus.WAITLISTED}
    assert [(p.workshop.code, p.position) for p in registration_overview(changer).places] == [
        ("A1", None),
        ("B1", 2),
    ]
    assert [p.position for p in registration_overview(queued).places] == [1]
    assert counters_match_counts(forum)


def test_registration_change_workshops_two_in_one_slot_is_refused(forum, workshop, register):
    registration = register(forum, "siti@supplier.example", [workshop("B1")]).registration

    with pytest.raises(services.RegistrationError) as caught:
        services.registration_change_workshops(
            registration=registration, workshops=[workshop("B1"), workshop("B2")]
        )

    assert caught.value.message == (
        "Water stewardship and Anti-bribery take place at the same time. "
        "Choose one workshop per time slot."
    )
    assert places(registration) == {"B1": PlaceStatus.CONFIRMED}
    assert counters_match_counts(forum)


def test_registration_change_workshops_of_cancelled_registration_is_refused(
    forum, workshop, register
):
    registration = register(forum, "siti@supplier.example").registration
    services.registration_cancel(registration=registration, by=Actor.registrant())

    with pytest.raises(services.RegistrationError) as caught:
        services.registration_change_workshops(
            registration=registration, workshops=[workshop("A1")]
        )

    assert caught.value.message == "This registration has been cancelled."
    assert WorkshopPlace.objects.count() == 0


def test_registration_change_workshops_after_forum_ended_is_refused(forum, workshop, register):
    registration = register(forum, "siti@supplier.example").registration

    with pytest.raises(services.RegistrationError) as caught:
        services.registration_change_workshops(
            registration=registration,
            workshops=[workshop("A1")],
            now=forum.ends_at + timedelta(minutes=1),
        )

    assert caught.value.message == "This forum has ended; its workshops can no longer change."
    assert WorkshopPlace.objects.count() == 0


# --- workshop_set_seat_limit ---------------------------------------------------------------------


def test_workshop_set_seat_limit_below_taken_is_refused(forum, workshop, register):
    for index in range(3):
        register(forum, f"p{index}@supplier.example", [workshop("A1")])

    with pytest.raises(ValidationError) as caught:
        services.workshop_set_seat_limit(workshop=workshop("A1"), seat_limit=2, by=Actor.system())

    assert caught.value.message_dict == {
        "seat_limit": [
            "3 people already hold a seat in A1; the limit cannot be lower than that. "
            "Move or cancel participants first."
        ]
    }
    assert (workshop("A1").seat_limit, workshop("A1").seats_taken) == (20, 3)


def test_workshop_set_seat_limit_zero_is_refused(forum, workshop):
    with pytest.raises(ValidationError) as caught:
        services.workshop_set_seat_limit(workshop=workshop("A1"), seat_limit=0, by=Actor.system())

    assert list(caught.value.message_dict) == ["seat_limit"]
    assert workshop("A1").seat_limit == 20


def test_workshop_set_seat_limit_equal_to_taken_is_allowed(forum, workshop, register):
    for index in range(2):
        register(forum, f"p{index}@supplier.example", [workshop("A1")])

    services.workshop_set_seat_limit(workshop=workshop("A1"), seat_limit=2, by=Actor.system())

    assert (workshop("A1").seat_limit, workshop("A1").seats_taken) == (2, 2)


def test_workshop_set_seat_limit_raised_promotes_waiting_in_order(forum, workshop, register):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    register(forum, "holder@supplier.example", [workshop("A1")])
    first = register(forum, "first@supplier.example", [workshop("A1")]).registration
    second = register(forum, "second@supplier.example", [workshop("A1")]).registration
    third = register(forum, "third@supplier.example", [workshop("A1")]).registration
    OutgoingEmail.objects.all().delete()

    services.workshop_set_seat_limit(workshop=workshop("A1"), seat_limit=3, by=Actor.system())

    assert places(first) == {"A1": PlaceStatus.CONFIRMED}
    assert places(second) == {"A1": PlaceStatus.CONFIRMED}
    assert places(third) == {"A1": PlaceStatus.WAITLISTED}
    assert (workshop("A1").seat_limit, workshop("A1").seats_taken) == (3, 3)
    assert counters_match_counts(forum)
    assert emails_sent() == [
        ("first@supplier.example", "promoted"),
        ("second@supplier.example", "promoted"),
    ]


def test_forum_settle_after_change_promotes_after_capacity_raised(forum, register):
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    register(forum, "holder@supplier.example")
    waiting = register(forum, "waiting@supplier.example").registration
    Forum.objects.filter(pk=forum.pk).update(capacity=2)

    services.forum_settle_after_change(forum=forum, by=Actor.system())

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert counters_match_counts(forum)
    assert emails_sent()[-1] == ("waiting@supplier.example", "promoted")


# --- registration_update_details -----------------------------------------------------------------


def test_registration_update_details_changes_person_and_registration(
    forum, workshop, register, make_details
):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration
    OutgoingEmail.objects.all().delete()

    services.registration_update_details(
        registration=registration,
        details=make_details(
            email="ignored@elsewhere.example",
            first_name=" Siti Nur ",
            last_name="Rahman-Ali",
            company_name="Borneo Oils Bhd",
            country="ID",
            job_title="Head of sourcing",
            phone="+60 3 1234 5678",
            dietary_needs="Vegetarian",
            accessibility_needs="Step-free access",
            language="es",
        ),
    )

    registration = Registration.objects.select_related("person", "company").get()
    person = registration.person
    assert (person.first_name, person.last_name, person.email) == (
        "Siti Nur",
        "Rahman-Ali",
        "siti@supplier.example",
    )
    assert (person.job_title, person.phone, person.country.code, person.language) == (
        "Head of sourcing",
        "+60 3 1234 5678",
        "ID",
        "es",
    )
    assert person.organisation.name == "Borneo Oils Bhd"
    assert registration.company.name == "Borneo Oils Bhd"
    assert registration.job_title == "Head of sourcing"
    assert registration.dietary_needs == "Vegetarian"
    assert registration.accessibility_needs == "Step-free access"
    assert registration.language == "es"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert places(registration) == {"A1": PlaceStatus.CONFIRMED}
    assert OutgoingEmail.objects.count() == 0


# --- manage links and resending ------------------------------------------------------------------


def test_manage_link_send_only_for_live_registrations_of_that_address(forum, make_forum, register):
    other = make_forum(slug="other-forum")
    register(forum, "siti@supplier.example")
    cancelled = register(other, "siti@supplier.example").registration
    services.registration_cancel(registration=cancelled, by=Actor.registrant())
    OutgoingEmail.objects.all().delete()

    assert services.manage_link_send(forum=None, email=" SITI@supplier.example ") == 1
    assert services.manage_link_send(forum=None, email="nobody@supplier.example") == 0
    assert services.manage_link_send(forum=other, email="siti@supplier.example") == 0
    assert emails_sent() == [("siti@supplier.example", "manage_link")]


@pytest.mark.parametrize(
    "forum_full, expected_kind", [(False, "confirmation"), (True, "waitlisted")]
)
def test_registration_resend_sends_current_state(forum, register, forum_full, expected_kind):
    if forum_full:
        Forum.objects.filter(pk=forum.pk).update(capacity=1)
        register(forum, "holder@supplier.example")
    registration = register(forum, "siti@supplier.example").registration
    OutgoingEmail.objects.all().delete()

    services.registration_resend(registration=registration)

    assert emails_sent() == [("siti@supplier.example", expected_kind)]


def test_workshop_position_counts_only_people_who_can_take_the_seat(forum, workshop, register):
    Forum.objects.filter(pk=forum.pk).update(capacity=2)
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    holder = register(forum, "holder@supplier.example", [workshop("A1")]).registration
    confirmed = register(forum, "confirmed@supplier.example").registration
    register(forum, "forum-waiting@supplier.example", [workshop("A1")])
    services.registration_change_workshops(registration=confirmed, workshops=[workshop("A1")])
    position_shown = [p.position for p in registration_overview(confirmed).places]

    # The holder moves to another workshop: A1's seat goes to the confirmed registrant.
    services.registration_change_workshops(registration=holder, workshops=[workshop("A2")])

    assert places(confirmed) == {"A1": PlaceStatus.CONFIRMED}
    assert position_shown == [1]


def test_manage_link_send_is_throttled_per_address(forum, make_details):
    from django.core.cache import cache

    cache.clear()
    services.registration_create(
        forum=forum, details=make_details("ana@supplier.example"), workshops=[]
    )
    sent = [services.manage_link_send(forum=None, email="ANA@supplier.example") for _ in range(5)]
    assert sent == [1, 1, 1, 0, 0]


def test_link_email_throttle_keeps_no_address_in_the_cache(forum, make_details):
    from django.core.cache import cache

    cache.clear()
    services.registration_create(
        forum=forum, details=make_details("ana@supplier.example"), workshops=[]
    )
    assert services.manage_link_send(forum=None, email="ana@supplier.example") == 1
    keys = list(cache._cache)  # type: ignore[attr-defined]  # the tests' local-memory cache
    assert keys != []
    assert [key for key in keys if "ana@supplier.example" in key] == []


def test_link_email_throttle_counts_held_requests_and_manage_links_together(
    forum, make_forum, register, make_details, django_capture_on_commit_callbacks
):
    register(make_forum(slug="earlier"), "ana@supplier.example")
    held = []
    for _ in range(2):
        outcome = services.registration_create(
            forum=forum, details=make_details("ana@supplier.example"), workshops=[]
        )
        held.append(outcome.held is not None)
    sent = [services.manage_link_send(forum=None, email="ana@supplier.example") for _ in range(2)]
    outcome = services.registration_create(
        forum=forum, details=make_details("ana@supplier.example"), workshops=[]
    )
    assert (held, sent, outcome.held) == ([True, True], [1, 0], None)
