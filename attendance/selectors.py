"""Attendance, read from check-ins that were not undone: whether someone came, to which
workshops, and how many have come so far."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from attendance.models import CheckIn
from forums.models import Forum
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshops.models import Workshop


def attended_forum(registration: Registration) -> bool:
    return CheckIn.objects.filter(
        registration=registration, workshop__isnull=True, undone_at__isnull=True
    ).exists()


def attended_workshops(registration: Registration) -> QuerySet[Workshop]:
    return Workshop.objects.filter(
        checkins__registration=registration, checkins__undone_at__isnull=True
    ).order_by("starts_at", "code")


@dataclass(frozen=True)
class CheckInCounts:
    registered: int
    checked_in: int
    # Workshop id → how many have been checked in there.
    workshops: dict[int, int]


def checkin_counts(forum: Forum) -> CheckInCounts:
    """Registered (holding a seat) and checked in at the door, and checked in per workshop."""
    registered = Registration.objects.filter(
        forum=forum, status__in=RegistrationStatus.holding_a_seat()
    ).count()
    checked_in = CheckIn.objects.filter(
        registration__forum=forum, workshop__isnull=True, undone_at__isnull=True
    ).count()
    per_workshop = Workshop.objects.filter(forum=forum).annotate(
        present=Count("checkins", filter=Q(checkins__undone_at__isnull=True))
    )
    return CheckInCounts(
        registered=registered,
        checked_in=checked_in,
        workshops={workshop.pk: workshop.present for workshop in per_workshop},
    )
