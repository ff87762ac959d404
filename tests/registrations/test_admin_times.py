"""Times in the registration admin are shown in each registration's forum zone, and those of
outgoing e-mails are in tests/outbox/test_admin.py, company merges in tests/companies/)."""

import zoneinfo
from datetime import UTC, date, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from registrations.admin import RegistrationAdmin
from registrations.models import Registration, WorkshopPlace
from tests.html_forms import texts_of_class
from tests.registrations.conftest import add_workshops
from workshops.models import Workshop

MEXICO = zoneinfo.ZoneInfo("America/Mexico_City")


@pytest.fixture
def mexico_forum(make_forum):
    forum = make_forum(
        title="Responsible Sourcing Forum Mexico City",
        slug="mexico-2036",
        day=date(2036, 4, 15),
        zone="America/Mexico_City",
        city="Mexico City",
        country="MX",
    )
    add_workshops(forum)
    return forum


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def kl_registration(forum, workshop, register):
    """Registered at 00:12 UTC, 08:12 in Kuala Lumpur; every time of it set."""
    registration = register(forum, "kl@supplier.example", [workshop("A1")]).registration
    Registration.objects.filter(pk=registration.pk).update(
        created_at=utc(2036, 2, 1, 0, 12),
        consent_given_at=utc(2036, 2, 1, 0, 11),
        updated_at=utc(2036, 2, 3, 16, 30),
        waitlisted_at=utc(2036, 2, 2, 23, 5),
        cancelled_at=utc(2036, 2, 3, 16, 30),
    )
    WorkshopPlace.objects.filter(registration=registration).update(joined_at=utc(2036, 2, 1, 0, 12))
    return registration


@pytest.fixture
def mexico_registration(mexico_forum, register):
    """Registered at 03:12 UTC, 21:12 the evening before in Mexico City."""
    registration = register(mexico_forum, "mx@supplier.example").registration
    Registration.objects.filter(pk=registration.pk).update(
        created_at=utc(2036, 2, 1, 3, 12), consent_given_at=None
    )
    return registration


def test_registration_changelist_shows_registered_at_in_each_forum_zone(
    staff_client, kl_registration, mexico_registration
):
    page = staff_client.get(reverse("admin:registrations_registration_changelist"))

    assert dict(
        zip(
            texts_of_class(page, "field-email"),
            texts_of_class(page, "field-local_registered_at"),
            strict=True,
        )
    ) == {
        "kl@supplier.example": "2036-02-01 08:12 Asia/Kuala_Lumpur (+08)",
        "mx@supplier.example": "2036-01-31 21:12 America/Mexico_City (CST)",
    }


def test_registration_changelist_sorts_by_registered_at(
    staff_client, kl_registration, mexico_registration
):
    url = reverse("admin:registrations_registration_changelist")
    column = RegistrationAdmin.list_display.index("local_registered_at")

    newest_first = staff_client.get(url, {"o": f"-{column}"})

    assert texts_of_class(newest_first, "field-email") == [
        "mx@supplier.example",
        "kl@supplier.example",
    ]


def test_registration_change_page_shows_times_in_forum_zone(staff_client, kl_registration):
    page = staff_client.get(
        reverse("admin:registrations_registration_change", args=[kl_registration.pk])
    )

    shown = {
        name: texts_of_class(page, f"field-{name}")
        for name in [
            "local_consent_given_at",
            "local_registered_at",
            "local_updated_at",
            "local_waitlisted_at",
            "local_cancelled_at",
        ]
    }
    assert shown == {
        "local_consent_given_at": ["Consent given at: 2036-02-01 08:11 Asia/Kuala_Lumpur (+08)"],
        "local_registered_at": ["Registered at: 2036-02-01 08:12 Asia/Kuala_Lumpur (+08)"],
        "local_updated_at": ["Updated at: 2036-02-04 00:30 Asia/Kuala_Lumpur (+08)"],
        "local_waitlisted_at": ["Waitlisted at: 2036-02-03 07:05 Asia/Kuala_Lumpur (+08)"],
        "local_cancelled_at": ["Cancelled at: 2036-02-04 00:30 Asia/Kuala_Lumpur (+08)"],
    }
    # The workshop place's row in the inline.
    assert texts_of_class(page, "column-local_joined_at") == ["Joined at"]
    assert texts_of_class(page, "field-local_joined_at") == [
        "2036-02-01 08:12 Asia/Kuala_Lumpur (+08)"
    ]
    # No time is left in the server's zone.
    assert texts_of_class(page, "field-created_at") == []
    assert texts_of_class(page, "field-joined_at") == []


def test_registration_change_page_times_not_set_show_a_dash(staff_client, mexico_registration):
    page = staff_client.get(
        reverse("admin:registrations_registration_change", args=[mexico_registration.pk])
    )

    assert texts_of_class(page, "field-local_consent_given_at") == ["Consent given at: -"]
    assert texts_of_class(page, "field-local_cancelled_at") == ["Cancelled at: -"]
    assert texts_of_class(page, "field-local_registered_at") == [
        "Registered at: 2036-01-31 21:12 America/Mexico_City (CST)"
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_registration_changelist_query_count(
    staff_client, make_forum, register, sponsor, count, django_assert_num_queries
):
    for number in range(count):
        forum = make_forum(zone=["Asia/Kuala_Lumpur", "America/Mexico_City", "UTC"][number])
        add_workshops(forum)
        register(
            forum,
            f"p{number}@supplier.example",
            list(forum.workshops.filter(code__in=["A1", "B1"])),
            invited_by=sponsor(forum),
        )

    with django_assert_num_queries(9):
        page = staff_client.get(reverse("admin:registrations_registration_changelist"))

    assert len(texts_of_class(page, "field-local_registered_at")) == count


@pytest.mark.parametrize("count", [1, 3])
def test_registration_change_page_query_count(
    staff_client, forum, workshop, register, count, django_assert_num_queries
):
    if count == 3:  # A2 moves to a third slot, so that three workshops can be chosen
        Workshop.objects.filter(pk=workshop("A2").pk).update(
            starts_at=workshop("A2").starts_at.replace(hour=16),
            ends_at=workshop("A2").ends_at.replace(hour=17),
        )
    workshops = [workshop(code) for code in ["A1", "B1", "A2"][:count]]
    registration = register(forum, "siti@supplier.example", workshops).registration
    url = reverse("admin:registrations_registration_change", args=[registration.pk])

    # One reads the answers to the forum's questions (none).
    with django_assert_num_queries(9):
        page = staff_client.get(url)

    assert len(texts_of_class(page, "field-local_joined_at")) == count


# --- company merges: times in UTC, named ----------------------------------------------------


def log_change(obj, user, when: datetime) -> None:
    entry = LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=CHANGE,
        change_message="Changed job title.",
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=when)


def test_registration_history_shows_times_in_forum_zone(
    staff_client, secretariat_user, kl_registration
):
    log_change(kl_registration, secretariat_user, utc(2036, 2, 1, 0, 12))

    page = staff_client.get(
        reverse("admin:registrations_registration_history", args=[kl_registration.pk])
    )

    assert texts_of_class(page, "action-time") == [
        "Date/time (Asia/Kuala_Lumpur)",
        "2036-02-01 08:12",
    ]


def test_workshop_history_shows_times_in_forum_zone(staff_client, secretariat_user, mexico_forum):
    workshop = mexico_forum.workshops.get(code="A1")
    log_change(workshop, secretariat_user, utc(2036, 2, 1, 3, 12))

    page = staff_client.get(reverse("admin:workshops_workshop_history", args=[workshop.pk]))

    assert texts_of_class(page, "action-time") == [
        "Date/time (America/Mexico_City)",
        "2036-01-31 21:12",
    ]
