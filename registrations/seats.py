"""Seats: the only code that takes, frees or recounts seats and settles waiting lists. The form, the
import, the admin and the demo loader all come through here.

How overbooking is prevented, on PostgreSQL and SQLite alike:
- every use case that touches a forum's seats starts with `lock_forum` (SELECT … FOR UPDATE; on
  SQLite the IMMEDIATE transaction mode takes the database's write lock at BEGIN), so changes to
  one forum's seats happen one after another; since the forum is always the first and only lock
  taken, two use cases cannot deadlock;
- seats are taken with a guarded `UPDATE … SET seats_taken = seats_taken + n WHERE seats_taken +
  n <= limit`, and CHECK constraints (seats_taken <= capacity / seat_limit) refuse any write that
  would overbook, should a future code path forget the lock;
- whoever waits is moved in by `settle`, in the order they joined, inside the transaction that
  freed the seat.

Counters are written only here, by queryset UPDATEs; a model's save() refuses to write a
changed counter (see forums.models.SeatCounted).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q

from forums.cache import forum_page_changed
from forums.models import Forum
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from workshops.models import Workshop


class SeatsExceeded(Exception):
    """A recount found more people than the forum or a workshop has seats for."""

    def __init__(self, problems: list[tuple[str, str]]):
        # (what: "" for the forum, else a workshop code; the sentence)
        super().__init__("; ".join(text for _, text in problems))
        self.problems = problems


@dataclass
class Promotions:
    """Who `settle` moved in: registrations into the forum, places into their workshop."""

    registrations: list[Registration] = field(default_factory=list)
    places: list[WorkshopPlace] = field(default_factory=list)

    def by_registration(self) -> dict[int, tuple[Registration, list[Workshop]]]:
        """Each registration moved in anywhere, with the workshops it moved into."""
        moved: dict[int, tuple[Registration, list[Workshop]]] = {}
        for registration in self.registrations:
            moved.setdefault(registration.pk, (registration, []))
        for place in self.places:
            moved.setdefault(place.registration_id, (place.registration, []))[1].append(
                place.workshop
            )
        return moved


def lock_forum(forum_id: int) -> Forum:
    """Lock the forum's row for the rest of the transaction; the first thing every use case that
    touches its seats does."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_forum needs a transaction (transaction.atomic).")
    forum = Forum.objects.select_for_update().get(pk=forum_id)
    # Whatever the use case changes, its seats are shown anew once it commits.
    forum_page_changed(forum_id=forum_id)
    return forum


def take_forum_seats(forum_id: int, count: int = 1) -> bool:
    """Take `count` seats if that many are free; all or none."""
    if count <= 0:
        return True
    return bool(
        Forum.objects.filter(pk=forum_id, seats_taken__lte=F("capacity") - count).update(
            seats_taken=F("seats_taken") + count
        )
    )


def release_forum_seat(forum_id: int) -> None:
    Forum.objects.filter(pk=forum_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


def take_workshop_seat(workshop_id: int) -> bool:
    return bool(
        Workshop.objects.filter(pk=workshop_id, seats_taken__lt=F("seat_limit")).update(
            seats_taken=F("seats_taken") + 1
        )
    )


def release_workshop_seat(workshop_id: int) -> None:
    Workshop.objects.filter(pk=workshop_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def settle(forum: Forum) -> Promotions:
    """Fill free seats from the waiting lists, first come first served: first the forum's, then
    each workshop's (only people confirmed for the forum can hold a workshop seat). Call with the
    forum locked."""
    promotions = Promotions()
    capacity, taken = Forum.objects.filter(pk=forum.pk).values_list("capacity", "seats_taken").get()
    if capacity > taken:
        waiting = Registration.objects.filter(
            forum=forum, status=RegistrationStatus.WAITLISTED
        ).order_by("waitlisted_at", "pk")
        for registration in waiting[: capacity - taken]:
            if not take_forum_seats(forum.pk):
                break
            registration.status = RegistrationStatus.CONFIRMED
            registration.waitlisted_at = None
            registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
            promotions.registrations.append(registration)

    waiting_places = (
        WorkshopPlace.objects.filter(
            workshop__forum=forum,
            workshop__seats_taken__lt=F("workshop__seat_limit"),
            status=PlaceStatus.WAITLISTED,
            registration__status=RegistrationStatus.CONFIRMED,
        )
        .select_related("workshop")
        .order_by("workshop_id", "joined_at", "pk")
    )
    full: set[int] = set()
    for place in waiting_places:
        if place.workshop_id in full:
            continue
        if not take_workshop_seat(place.workshop_id):
            full.add(place.workshop_id)
            continue
        place.status = PlaceStatus.CONFIRMED
        place.save(update_fields=["status"])
        promotions.places.append(place)
    return promotions


def recount(forum: Forum) -> None:
    """Set the forum's and its workshops' counters to what the registrations hold (history
    imported as it happened). Refuses, changing nothing, when that is more than the forum or a
    workshop has seats for: the numbers are then wrong somewhere. Call with the forum locked."""
    taken = forum.registrations.filter(status__in=RegistrationStatus.holding_a_seat()).count()
    capacity = Forum.objects.values_list("capacity", flat=True).get(pk=forum.pk)
    problems = []
    if taken > capacity:
        problems.append(
            (
                "",
                f"the forum would have {taken} participants but its capacity is "
                f"{capacity}; raise the capacity in the admin first",
            )
        )
    workshops = list(
        Workshop.objects.filter(forum=forum).annotate(
            taken=Count("places", filter=Q(places__status=PlaceStatus.CONFIRMED))
        )
    )
    for workshop in workshops:
        if workshop.taken > workshop.seat_limit:
            problems.append(
                (
                    workshop.code,
                    f"{workshop.code} would have {workshop.taken} participants but its seat "
                    f"limit is {workshop.seat_limit}; raise the limit first",
                )
            )
    if problems:
        raise SeatsExceeded(problems)
    Forum.objects.filter(pk=forum.pk).update(seats_taken=taken)
    for workshop in workshops:
        Workshop.objects.filter(pk=workshop.pk).update(seats_taken=workshop.taken)


def take_forum_seat_beyond_capacity(forum_id: int) -> tuple[int, int]:
    """Take one seat in a full forum by raising its capacity by one, in one UPDATE that keeps
    `seats_taken <= capacity`: a seat the secretariat gave with a reason (see
    registration_walk_in). Returns the capacity before and after. Call with the forum locked,
    after `take_forum_seats` found no free seat."""
    capacity = Forum.objects.values_list("capacity", flat=True).get(pk=forum_id)
    raised = Forum.objects.filter(pk=forum_id, seats_taken=F("capacity")).update(
        capacity=F("capacity") + 1, seats_taken=F("seats_taken") + 1
    )
    if not raised:
        raise RuntimeError("The forum has a free seat: take it with take_forum_seats.")
    return capacity, capacity + 1


def take_workshop_seat_beyond_limit(workshop_id: int) -> tuple[int, int]:
    """Take one seat in a full workshop by raising its seat limit by one, as
    `take_forum_seat_beyond_capacity` does for the forum. Returns the limit before and after.
    Call with the forum locked, after `take_workshop_seat` found no free seat."""
    limit = Workshop.objects.values_list("seat_limit", flat=True).get(pk=workshop_id)
    raised = Workshop.objects.filter(pk=workshop_id, seats_taken=F("seat_limit")).update(
        seat_limit=F("seat_limit") + 1, seats_taken=F("seats_taken") + 1
    )
    if not raised:
        raise RuntimeError("The workshop has a free seat: take it with take_workshop_seat.")
    return limit, limit + 1
