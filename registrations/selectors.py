from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from forums.models import Forum, Person
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import (
    QuestionChoice,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    WorkshopPlace,
)
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


def registration_overview(registration: Registration) -> RegistrationOverview:
    """The registration with its forum queue position and, per workshop, its status and queue
    position. Queues count only people confirmed for the forum: only they can be moved into a
    workshop seat. A constant number of queries, however many workshops."""
    places = list(
        WorkshopPlace.objects.filter(registration=registration)
        .select_related("workshop")
        .order_by("workshop__starts_at", "workshop__code")
    )
    waiting_in = [p.workshop_id for p in places if p.status == PlaceStatus.WAITLISTED]
    queues: dict[int, list[int]] = {}
    if waiting_in:
        for workshop_id, place_id in (
            WorkshopPlace.objects.filter(
                workshop_id__in=waiting_in,
                status=PlaceStatus.WAITLISTED,
                registration__status=RegistrationStatus.CONFIRMED,
            )
            .order_by("workshop_id", "joined_at", "pk")
            .values_list("workshop_id", "pk")
        ):
            queues.setdefault(workshop_id, []).append(place_id)

    def position(place: WorkshopPlace) -> int | None:
        if place.status != PlaceStatus.WAITLISTED:
            return None
        queue = queues.get(place.workshop_id, [])
        # Someone still waiting for the forum queues behind everyone confirmed.
        return queue.index(place.pk) + 1 if place.pk in queue else len(queue) + 1

    return RegistrationOverview(
        registration=registration,
        forum_position=_forum_position(registration),
        places=[PlaceView(p.workshop, p.status, position(p)) for p in places],
    )


def person_registrations(*, email: str) -> QuerySet[Registration]:
    """All registrations of the person with this (verified) e-mail address, newest forum first."""
    person = Person.objects.with_email(email).first()
    if person is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(person=person)
        .select_related("forum")
        .order_by("-forum__starts_at")
    )


def with_registration_counts(forums: QuerySet[Forum]) -> QuerySet[Forum]:
    """Annotate `registered_count` (registrations holding a seat) and `waiting_count` (those on
    the forum's waiting list), counted in the same query."""
    return forums.annotate(
        registered_count=Count(
            "registrations",
            filter=Q(registrations__status__in=RegistrationStatus.holding_a_seat()),
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


def with_waiting_count(workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
    """Annotate `waiting_count`: the people in each workshop's queue who can be moved in (those
    confirmed for the forum), counted in the same query."""
    return workshops.annotate(
        waiting_count=Count(
            "places",
            filter=Q(
                places__status=PlaceStatus.WAITLISTED,
                places__registration__status=RegistrationStatus.CONFIRMED,
            ),
        )
    )


def forum_questions(forum_id: int) -> list[RegistrationQuestion]:
    """The questions a forum asks now (not hidden), in order, with their choices: two queries
    however many (one when there are none)."""
    return list(
        RegistrationQuestion.objects.filter(forum_id=forum_id, hidden=False)
        .prefetch_related("choices")
        .order_by("order", "pk")
    )


def registration_answers(registration: Registration) -> list[RegistrationAnswer]:
    """A registration's answers, hidden questions' included, in the questions' order, with
    their questions and choices: two queries however many (one when there are none)."""
    return list(
        RegistrationAnswer.objects.filter(registration=registration)
        .select_related("question")
        .prefetch_related(
            Prefetch("choices", queryset=QuestionChoice.objects.order_by("order", "pk"))
        )
        .order_by("question__order", "question_id")
    )
