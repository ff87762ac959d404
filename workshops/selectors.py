from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from forums.models import Forum, Organisation, Person
from workshops.models import Workshop


@dataclass
class Slot:
    """Workshops that overlap in time, directly or through a chain of overlaps."""

    number: int
    starts_at: datetime
    ends_at: datetime
    workshops: list[Workshop] = field(default_factory=list)


def group_into_slots(workshops: Iterable[Workshop]) -> list[Slot]:
    slots: list[Slot] = []
    for workshop in sorted(workshops, key=lambda w: (w.starts_at, w.ends_at, w.code)):
        current = slots[-1] if slots else None
        if current and workshop.starts_at < current.ends_at:
            current.workshops.append(workshop)
            current.ends_at = max(current.ends_at, workshop.ends_at)
        else:
            slots.append(
                Slot(
                    number=len(slots) + 1,
                    starts_at=workshop.starts_at,
                    ends_at=workshop.ends_at,
                    workshops=[workshop],
                )
            )
    return slots


def forum_workshops(forum: Forum, *, leaders: bool = False) -> QuerySet[Workshop]:
    """The forum's workshops; with `leaders`, with their facilitators and leading
    organisations (two more queries)."""
    workshops = Workshop.objects.filter(forum=forum)
    if not leaders:
        return workshops
    facilitators = Person.objects.select_related("organisation").order_by("last_name")
    return workshops.prefetch_related(
        Prefetch("facilitators", queryset=facilitators),
        Prefetch("led_by", queryset=Organisation.objects.order_by("name")),
    )


def forum_slots(forum: Forum, *, leaders: bool = False) -> list[Slot]:
    """The forum's workshops grouped into time slots (see forum_workshops for `leaders`)."""
    return group_into_slots(forum_workshops(forum, leaders=leaders))
