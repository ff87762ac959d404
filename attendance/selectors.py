"""Attendance, read from check-ins that were not undone: whether someone came, to which
workshops, and how many have come so far."""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.formats import date_format

from attendance.models import CheckIn
from attendance.pdf import AttendedWorkshop, BadgeHolder, CertificateHolder, ForumHeading, ListRow
from forums.models import Forum, Organisation, Person
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
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


def attended_forum_among(
    registrations: "Iterable[Registration] | QuerySet[Registration]",
) -> set[int]:
    """The ids of those of `registrations` who attended the forum: `attended_forum` for many
    at once, in one query."""
    among = (
        registrations.values("pk")
        if isinstance(registrations, QuerySet)
        else [registration.pk for registration in registrations]
    )
    return set(
        CheckIn.objects.filter(
            registration__in=among,
            workshop__isnull=True,
            undone_at__isnull=True,
        ).values_list("registration_id", flat=True)
    )


def forum_heading(forum: Forum) -> ForumHeading:
    """The forum as every printed page names it: its date is the day in the forum's zone."""
    return ForumHeading(
        title=forum.title,
        date=date_format(forum.local_date, "j F Y"),
        city=forum.city,
        country=str(forum.country.name),
    )


def _country(registration: Registration) -> str:
    country = registration.person.country or (
        registration.company.country if registration.company else None
    )
    return str(country.name) if country else ""


def _confirmed_places() -> Prefetch:
    return Prefetch(
        "workshop_places",
        queryset=WorkshopPlace.objects.filter(status=PlaceStatus.CONFIRMED).select_related(
            "workshop"
        ),
        to_attr="confirmed_places",
    )


def badge_registrations(forum: Forum, ids: Iterable[int] | None = None) -> QuerySet[Registration]:
    """The registrations of `forum` that get a badge: those holding a seat (of `ids`, if given),
    by surname, with what a badge shows (two queries)."""
    registrations = Registration.objects.filter(
        forum=forum, status__in=RegistrationStatus.holding_a_seat()
    )
    if ids is not None:
        registrations = registrations.filter(pk__in=list(ids))
    return (
        registrations.select_related("person", "company")
        .prefetch_related(_confirmed_places())
        .order_by("person__last_name", "person__first_name", "id")
    )


def badge_holder(registration: Registration) -> BadgeHolder:
    places = getattr(registration, "confirmed_places", None)
    if places is None:
        places = registration.workshop_places.filter(status=PlaceStatus.CONFIRMED).select_related(
            "workshop"
        )
    return BadgeHolder(
        first_name=registration.person.first_name,
        last_name=registration.person.last_name,
        company=registration.company.name if registration.company else "",
        country=_country(registration),
        checkin_code=registration.checkin_code,
        workshops=tuple(f"{p.workshop.code} · {p.workshop.title}" for p in places),
    )


def _leaders(workshop: Workshop) -> tuple[str, ...]:
    facilitators = tuple(
        f"{person.full_name} ({person.organisation.name})"
        if person.organisation
        else person.full_name
        for person in workshop.facilitators.all()
    )
    return facilitators or tuple(organisation.name for organisation in workshop.led_by.all())


def _attended(workshop: Workshop) -> AttendedWorkshop:
    return AttendedWorkshop(title=workshop.title, leaders=_leaders(workshop))


def _with_leaders(workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
    return workshops.prefetch_related(
        Prefetch(
            "facilitators",
            queryset=Person.objects.select_related("organisation").order_by(
                "last_name", "first_name"
            ),
        ),
        Prefetch("led_by", queryset=Organisation.objects.order_by("name")),
    )


def certificate_holder(registration: Registration) -> CertificateHolder | None:
    """What one person's certificate shows, or None if they did not attend."""
    if not attended_forum(registration):
        return None
    return CertificateHolder(
        name=registration.person.full_name,
        company=registration.company.name if registration.company else "",
        workshops=tuple(
            _attended(workshop) for workshop in _with_leaders(attended_workshops(registration))
        ),
    )


def certificate_holders(
    forum: Forum, ids: Iterable[int] | None = None
) -> list[tuple[int, CertificateHolder]]:
    """(registration id, certificate) for everyone of `forum` who attended (of `ids`, if given),
    by surname, in a fixed number of queries: `certificate_holder` for many at once."""
    registrations = Registration.objects.filter(forum=forum)
    if ids is not None:
        registrations = registrations.filter(pk__in=list(ids))
    present = attended_forum_among(registrations)
    people = list(
        registrations.filter(pk__in=present)
        .select_related("person", "company")
        .order_by("person__last_name", "person__first_name", "id")
    )
    attended: dict[int, list[int]] = {}
    for registration_id, workshop_id in (
        CheckIn.objects.filter(
            registration__in=[r.pk for r in people],
            workshop__isnull=False,
            undone_at__isnull=True,
        )
        .order_by("workshop__starts_at", "workshop__code")
        .values_list("registration_id", "workshop_id")
    ):
        attended.setdefault(registration_id, []).append(workshop_id)
    workshops = {
        workshop.pk: _attended(workshop)
        for workshop in _with_leaders(Workshop.objects.filter(forum=forum))
    }
    return [
        (
            registration.pk,
            CertificateHolder(
                name=registration.person.full_name,
                company=registration.company.name if registration.company else "",
                workshops=tuple(workshops[pk] for pk in attended.get(registration.pk, [])),
            ),
        )
        for registration in people
    ]


def _sort_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def checkin_list_rows(forum: Forum) -> list[ListRow]:
    """Everyone holding a seat at `forum`, alphabetical by surname (accents and letter case
    aside), with their workshops' codes."""
    rows = [
        ListRow(
            last_name=registration.person.last_name,
            first_name=registration.person.first_name,
            company=registration.company.name if registration.company else "",
            workshops=", ".join(
                p.workshop.code for p in getattr(registration, "confirmed_places", [])
            ),
        )
        for registration in badge_registrations(forum)
    ]
    return sorted(rows, key=lambda row: (_sort_key(row.last_name), _sort_key(row.first_name)))
