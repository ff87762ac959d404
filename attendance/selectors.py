"""Attendance, read from check-ins that were not undone: whether someone came, to which
workshops, and how many have come so far. This is the one place attendance is read from.

Someone attended the forum if they have a door check-in that was not undone. Once the forum is
held (marked held, or archived), everyone still holding a seat without one is a no-show; until
then they are "not yet". A check-in recorded later (a late scan, an import) makes them attended."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from attendance.enums import AttendanceState
from attendance.models import CheckIn
from forums.enums import ForumStatus
from forums.models import Forum
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshops.models import Workshop

# A forum in one of these has taken place: who did not come is a no-show.
HELD_STATUSES = [ForumStatus.HELD, ForumStatus.ARCHIVED]


def forum_is_held(forum: Forum) -> bool:
    return forum.status in HELD_STATUSES


def _live_door_checkin() -> Exists:
    return Exists(
        CheckIn.objects.filter(
            registration=OuterRef("pk"), workshop__isnull=True, undone_at__isnull=True
        )
    )


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


def attendance_state(registration: Registration) -> AttendanceState | None:
    """Attended, no-show or not yet; None for a registration that holds no seat (cancelled,
    waiting) and was not checked in."""
    if attended_forum(registration):
        return AttendanceState.ATTENDED
    if registration.status not in RegistrationStatus.holding_a_seat():
        return None
    if forum_is_held(registration.forum):
        return AttendanceState.NO_SHOW
    return AttendanceState.NOT_YET


def with_attendance(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """The registrations, each annotated with `attended` (a door check-in not undone) and
    `attendance` (an AttendanceState value, or "" as attendance_state's None), in the same
    query: for lists and filters of many registrations."""
    return registrations.annotate(attended=_live_door_checkin()).annotate(
        attendance=Case(
            When(attended=True, then=Value(AttendanceState.ATTENDED)),
            When(
                status__in=RegistrationStatus.holding_a_seat(),
                forum__status__in=HELD_STATUSES,
                then=Value(AttendanceState.NO_SHOW),
            ),
            When(
                status__in=RegistrationStatus.holding_a_seat(),
                then=Value(AttendanceState.NOT_YET),
            ),
            default=Value(""),
            output_field=CharField(),
        )
    )


def attendees(forum: Forum | None = None) -> QuerySet[Registration]:
    """The registrations that attended (a door check-in not undone), of one forum or all."""
    registrations = Registration.objects.filter(_live_door_checkin())
    return registrations.filter(forum=forum) if forum is not None else registrations


def no_shows(forum: Forum) -> QuerySet[Registration]:
    """Those holding a seat at a held forum without a door check-in; none before it is held."""
    return Registration.objects.filter(
        forum=forum,
        forum__status__in=HELD_STATUSES,
        status__in=RegistrationStatus.holding_a_seat(),
    ).exclude(_live_door_checkin())


@dataclass(frozen=True)
class Attendance:
    """One registration's attendance: its state and the workshops it was checked in at (by
    start, then code)."""

    state: AttendanceState | None
    workshops: list[Workshop] = field(default_factory=list)

    @property
    def attended(self) -> bool:
        return self.state == AttendanceState.ATTENDED


def attendance_by_registration(
    registrations: Iterable[Registration],
) -> dict[int, Attendance]:
    """Attendance of many registrations, by registration id, in two queries whatever their
    number (certificates, surveys and reports read it so)."""
    ids = (
        registrations.values("pk")
        if isinstance(registrations, QuerySet)
        else [registration.pk for registration in registrations]
    )
    rows = list(
        with_attendance(Registration.objects.filter(pk__in=ids)).values_list("pk", F("attendance"))
    )
    workshops: dict[int, list[Workshop]] = {pk: [] for pk, _ in rows}
    checkins = (
        CheckIn.objects.filter(
            registration_id__in=list(workshops), workshop__isnull=False, undone_at__isnull=True
        )
        .select_related("workshop")
        .order_by("workshop__starts_at", "workshop__code")
    )
    for checkin in checkins:
        assert checkin.workshop is not None
        workshops[checkin.registration_id].append(checkin.workshop)
    return {
        pk: Attendance(state=AttendanceState(state) if state else None, workshops=workshops[pk])
        for pk, state in rows
    }


@dataclass(frozen=True)
class AttendanceCounts:
    registered: int
    attended: int
    no_shows: int
    not_yet: int


def attendance_counts_by_forum(forums: Iterable[Forum]) -> dict[int, AttendanceCounts]:
    """By forum id: how many hold a seat, and how many attended, did not (once the forum is
    held) or have not yet, in one query whatever the number of forums. Someone checked in whose
    registration was cancelled afterwards still counts as attended."""
    ids = [forum.pk for forum in forums]
    counts = {pk: AttendanceCounts(registered=0, attended=0, no_shows=0, not_yet=0) for pk in ids}
    rows = (
        with_attendance(Registration.objects.filter(forum_id__in=ids))
        .order_by()
        .values("forum_id")
        .annotate(
            registered=Count("pk", filter=Q(status__in=RegistrationStatus.holding_a_seat())),
            attended_count=Count("pk", filter=Q(attendance=AttendanceState.ATTENDED)),
            no_shows=Count("pk", filter=Q(attendance=AttendanceState.NO_SHOW)),
            not_yet=Count("pk", filter=Q(attendance=AttendanceState.NOT_YET)),
        )
    )
    for row in rows:
        counts[row["forum_id"]] = AttendanceCounts(
            registered=row["registered"],
            attended=row["attended_count"],
            no_shows=row["no_shows"],
            not_yet=row["not_yet"],
        )
    return counts


def attendance_counts(forum: Forum) -> AttendanceCounts:
    """attendance_counts_by_forum for one forum."""
    return attendance_counts_by_forum([forum])[forum.pk]
