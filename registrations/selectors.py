from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from forums.models import Forum, Person
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from workshops.models import Workshop


@dataclass(frozen=True)
class PlaceView:
    workshop: Workshop
    status: str
    position: int | None  # in the workshop's waiting list, 1 = next in


@dataclass(frozen=True)
class RegistrationOverview:
    registration: Registration
    forum_position: int | None
    places: list[PlaceView]


def _forum_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlisted_at is None:
        return None
    ahead = Registration.objects.filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk),
        forum_id=registration.forum_id,
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return ahead + 1


def _place_position(place: WorkshopPlace) -> int | None:
    if place.status != PlaceStatus.WAITLISTED:
        return None
    ahead = WorkshopPlace.objects.filter(
        Q(joined_at__lt=place.joined_at) | Q(joined_at=place.joined_at, pk__lt=place.pk),
        workshop_id=place.workshop_id,
        status=PlaceStatus.WAITLISTED,
    ).count()
    return ahead + 1


def registration_overview(registration: Registration) -> RegistrationOverview:
    places = (
        WorkshopPlace.objects.filter(registration=registration)
        .select_related("workshop")
        .order_by("workshop__starts_at", "workshop__code")
    )
    return RegistrationOverview(
        registration=registration,
        forum_position=_forum_position(registration),
        places=[PlaceView(p.workshop, p.status, _place_position(p)) for p in places],
    )


def person_registrations(*, email: str) -> QuerySet[Registration]:
    """All registrations of the person with this (verified) e-mail address, newest forum first."""
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(person=person)
        .select_related("forum")
        .order_by("-forum__starts_at")
    )


def workshop_seat_table(forum: Forum) -> QuerySet[Workshop]:
    """Per workshop: seats taken (counter), limit and how many wait, in one query."""
    return (
        Workshop.objects.filter(forum=forum)
        .annotate(
            waiting=Count(
                "places",
                filter=Q(
                    places__status=PlaceStatus.WAITLISTED,
                    places__registration__status=RegistrationStatus.CONFIRMED,
                ),
            )
        )
        .order_by("starts_at", "code")
    )
