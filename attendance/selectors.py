"""Attendance, read from check-ins that were not undone: whether someone came, to which
workshops, and how many have come so far. This is the one place attendance is read from: every
page, export, PDF, e-mail and figure that says who attended goes through `has_attended` (or
`attendees`, its queryset) and `workshop_checkins`.

Someone attended the forum if they have a door check-in that was not undone and their
registration is not cancelled; someone attended a workshop if, besides, they have a check-in
there that was not undone. A registration cancelled after its check-in counts nowhere (no
certificate, survey, report or reach), so that no figure counts a registration the secretariat
or the registrant withdrew. Once the forum is held (marked held, or archived), everyone still
holding a seat without a door check-in is a no-show; until then they are "not yet". A check-in
recorded later (a late scan, an import) makes them attended."""

import functools
import heapq
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import translation
from django.utils.formats import date_format

from attendance.enums import AttendanceState
from attendance.models import CheckIn
from attendance.pdf import (
    AttendedWorkshop,
    BadgeHolder,
    CertificateHolder,
    ForumHeading,
    Letterhead,
    ListRow,
)
from forums.enums import ForumStatus
from forums.models import Branding, Forum, Organisation, Person
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from workshops.models import Workshop

# A forum in one of these has taken place: who did not come is a no-show.
HELD_STATUSES = [ForumStatus.HELD, ForumStatus.ARCHIVED]


def forum_is_held(forum: Forum) -> bool:
    return forum.status in HELD_STATUSES


def has_attended() -> Q:
    """Whether a registration attended its forum: a door check-in that was not undone, the
    registration not cancelled. The one definition, for `Registration` querysets, as a filter
    (`.filter(has_attended())`, `.exclude(...)`) or an annotation (`.annotate(attended=
    ExpressionWrapper(has_attended(), output_field=BooleanField()))`, as with_attendance does).

    It is a correlated EXISTS on the check-ins, never a join through `checkins__`: a join's
    conditions also match the empty row a registration without any check-in gets."""
    door = CheckIn.objects.filter(
        registration=OuterRef("pk"), workshop__isnull=True, undone_at__isnull=True
    )
    return Q(Exists(door)) & ~Q(status=RegistrationStatus.CANCELLED)


def workshop_checkins() -> QuerySet[CheckIn]:
    """The check-ins that say someone attended a workshop: at a workshop, not undone, the
    registration not cancelled."""
    return CheckIn.objects.filter(workshop__isnull=False, undone_at__isnull=True).exclude(
        registration__status=RegistrationStatus.CANCELLED
    )


def attended_forum(registration: Registration) -> bool:
    return attendees().filter(pk=registration.pk).exists()


def attended_workshops(registration: Registration) -> QuerySet[Workshop]:
    return Workshop.objects.filter(
        pk__in=workshop_checkins().filter(registration=registration).values("workshop_id")
    ).order_by("starts_at", "code")


def workshop_attendees(workshops: Iterable[Workshop]) -> dict[int, set[int]]:
    """Workshop id → the ids of the registrations that attended it, for these workshops."""
    attended: dict[int, set[int]] = {workshop.pk: set() for workshop in workshops}
    for workshop_id, registration_id in (
        workshop_checkins()
        .filter(workshop_id__in=list(attended))
        .values_list("workshop_id", "registration_id")
    ):
        attended[workshop_id].add(registration_id)
    return attended


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
    checked_in = attendees(forum).count()
    attended = workshop_checkins().filter(workshop__forum=forum).values("pk")
    per_workshop = Workshop.objects.filter(forum=forum).annotate(
        present=Count("checkins", filter=Q(checkins__in=attended))
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
    attended = ExpressionWrapper(has_attended(), output_field=BooleanField())
    return registrations.annotate(attended=attended).annotate(
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
    """The registrations that attended (has_attended), of one forum or all."""
    registrations = Registration.objects.filter(has_attended())
    return registrations.filter(forum=forum) if forum is not None else registrations


def no_shows(forum: Forum) -> QuerySet[Registration]:
    """Those holding a seat at a held forum without a door check-in; none before it is held."""
    return Registration.objects.filter(
        forum=forum,
        forum__status__in=HELD_STATUSES,
        status__in=RegistrationStatus.holding_a_seat(),
    ).exclude(has_attended())


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
        workshop_checkins()
        .filter(registration_id__in=list(workshops))
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
    registration was cancelled afterwards counts in none of these (see has_attended)."""
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
    return set(attendees().filter(pk__in=among).values_list("pk", flat=True))


def letterhead() -> Letterhead:
    """The association's name (settings.ASSOCIATION_NAME) with the logo and signatory the
    secretariat set in the admin (forums.models.Branding), as every printed page shows them."""
    branding = Branding.objects.filter(pk=Branding.SINGLETON_PK).first() or Branding()
    return Letterhead(
        organisation=settings.ASSOCIATION_NAME,
        logo=bytes(branding.logo),
        signatory_name=branding.signatory_name,
        signatory_title=branding.signatory_title,
        signature=bytes(branding.signature),
    )


def forum_heading(forum: Forum) -> ForumHeading:
    """The forum as every printed page names it: its date is the day in the forum's zone."""
    return ForumHeading(
        title=forum.title,
        date=date_format(forum.local_date, "FORUM_DAY"),
        city=forum.city,
        country=str(forum.country.name),
        certificate_wording=forum.certificate_wording,
    )


def reader_language(code: str) -> str:
    """A registration's language as the site speaks it: one of LANGUAGES, else English."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


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
    language = reader_language(registration.language)
    workshops = list(_with_leaders(attended_workshops(registration)))
    with translation.override(language):
        return CertificateHolder(
            name=registration.person.full_name,
            company=registration.company.name if registration.company else "",
            workshops=tuple(_attended(workshop) for workshop in workshops),
            language=language,
            forum=forum_heading(registration.forum),
        )


def certificate_holders(
    forum: Forum, ids: Iterable[int] | None = None
) -> list[tuple[int, CertificateHolder]]:
    """(registration id, certificate) for everyone of `forum` who attended (of `ids`, if given),
    by surname, in a fixed number of queries: `certificate_holder` for many at once."""
    registrations = attendees(forum)
    if ids is not None:
        registrations = registrations.filter(pk__in=list(ids))
    people = list(
        registrations.select_related("person", "company").order_by(
            "person__last_name", "person__first_name", "id"
        )
    )
    attended = {
        pk: [workshop.pk for workshop in attendance.workshops]
        for pk, attendance in attendance_by_registration(people).items()
    }
    of_forum = list(_with_leaders(Workshop.objects.filter(forum=forum)))
    # The forum and its workshops as each language reads them, for each holder's page.
    headings: dict[str, ForumHeading] = {}
    workshops: dict[str, dict[int, AttendedWorkshop]] = {}
    for language in {reader_language(registration.language) for registration in people}:
        with translation.override(language):
            headings[language] = forum_heading(forum)
            workshops[language] = {workshop.pk: _attended(workshop) for workshop in of_forum}
    holders = []
    for registration in people:
        language = reader_language(registration.language)
        holder = CertificateHolder(
            name=registration.person.full_name,
            company=registration.company.name if registration.company else "",
            workshops=tuple(workshops[language][pk] for pk in attended.get(registration.pk, [])),
            language=language,
            forum=headings[language],
        )
        holders.append((registration.pk, holder))
    return holders


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
    return sorted(rows, key=lambda row: (search_fold(row.last_name), search_fold(row.first_name)))


# --- the check-in page --------------------------------------------------------------------------

SEARCH_LIMIT = 20
# Letters that carry no accent to strip but are written without their stroke or ligature when
# typed on a plain keyboard.
_PLAIN_LETTERS = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe"})
_COMBINING_MARKS = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)


@functools.lru_cache(maxsize=50_000)
def search_fold(text: str) -> str:
    """`text` as compared by the check-in search: in lower case, without accents ("Đặng Nestlé"
    → "dang nestle"). Other scripts are kept as they are, so 王芳 is found by typing 王."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _COMBINING_MARKS.sub("", decomposed).translate(_PLAIN_LETTERS)


@dataclass(frozen=True)
class CheckInState:
    """Whether a registrant was checked in at one place (the door, or a workshop), and when."""

    checkin_id: int
    checked_in_at: datetime
    by: str


@dataclass(frozen=True)
class SearchHit:
    registration_id: int
    code: str
    name: str
    company: str
    status: str
    # (id, code, title) of the workshops where the registrant holds a confirmed place.
    workshops: list[tuple[int, str, str]]
    checkin: CheckInState | None


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    # More registrations matched than are shown: the person at the door should type more.
    more: bool


def door_status(status: str) -> str:
    """A registration's status as the door sees it: confirmed (may come in), waitlisted or
    cancelled."""
    if status in RegistrationStatus.holding_a_seat():
        return str(RegistrationStatus.CONFIRMED)
    return status


def _full_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


@dataclass(frozen=True)
class _SearchEntry:
    registration_id: int
    code: str
    folded_name: str
    # The folded name, e-mail address and company, as one text to look for words in.
    haystack: str
    order: tuple[str, str]


@dataclass(frozen=True)
class _SearchIndex:
    version: tuple[object, ...]
    built_at: float
    entries: list[_SearchEntry]


# Each process keeps the folded text of the forums searched lately, so that a letter typed
# costs one small query rather than reading and folding every registration again. The index
# is made again when a registration is added, removed or saved, and at least every minute
# (a person's or a company's name changed elsewhere). What the answer shows is always read
# afresh.
SEARCH_INDEX_SECONDS = 60
_SEARCH_INDEX_FORUMS = 16
_search_indexes: dict[int, _SearchIndex] = {}
_search_indexes_lock = threading.Lock()


def _search_index(forum: Forum) -> list[_SearchEntry]:
    registrations = Registration.objects.filter(forum=forum)
    version = tuple(
        registrations.aggregate(
            count=Count("pk"), last=Max("pk"), changed=Max("updated_at")
        ).values()
    )
    with _search_indexes_lock:
        index = _search_indexes.get(forum.pk)
    if (
        index is not None
        and index.version == version
        and time.monotonic() - index.built_at < SEARCH_INDEX_SECONDS
    ):
        return index.entries
    entries = []
    for pk, code, first, last, email, company in registrations.values_list(
        "pk",
        "checkin_code",
        "person__first_name",
        "person__last_name",
        "person__email",
        "company__name",
    ):
        folded_name = search_fold(_full_name(first, last))
        entries.append(
            _SearchEntry(
                registration_id=pk,
                code=code,
                folded_name=folded_name,
                haystack=f"{folded_name} {(email or '').lower()} {search_fold(company or '')}",
                order=(search_fold(last), search_fold(first)),
            )
        )
    with _search_indexes_lock:
        if len(_search_indexes) >= _SEARCH_INDEX_FORUMS:
            _search_indexes.clear()
        _search_indexes[forum.pk] = _SearchIndex(version, time.monotonic(), entries)
    return entries


def checkin_search(
    forum: Forum, query: str, *, workshop: Workshop | None = None, limit: int = SEARCH_LIMIT
) -> SearchResult:
    """The forum's registrations whose name, e-mail or company holds every word of `query`
    (or whose check-in code is `query`), in any letter case and with or without accents;
    names that start with the query first, then by last and first name. At most `limit`, each
    with its confirmed workshops and whether it was checked in at the door (or at `workshop`).

    The comparison is made in Python, on an index of the forum's registrations kept by the
    process (see `_search_index`), so that it works the same on every database and ignores
    accents on both sides."""
    typed = query.strip()
    words = search_fold(typed).split()
    if not words:
        return SearchResult(hits=[], more=False)
    entries = _search_index(forum)
    if len(words) == 1:
        word = words[0]
        found = [e for e in entries if word in e.haystack or e.code == typed]
    else:
        found = [e for e in entries if e.code == typed or all(w in e.haystack for w in words)]
    first, inside = words[0], f" {words[0]}"

    def rank(entry: _SearchEntry) -> tuple[bool, str, str, int]:
        name = entry.folded_name
        starts = name.startswith(first) or inside in name
        return (not starts, *entry.order, entry.registration_id)

    ids = [entry.registration_id for entry in heapq.nsmallest(limit, found, key=rank)]
    details = {
        pk: (code, status, _full_name(first, last), company or "")
        for pk, code, status, first, last, company in Registration.objects.filter(
            pk__in=ids
        ).values_list(
            "pk",
            "checkin_code",
            "status",
            "person__first_name",
            "person__last_name",
            "company__name",
        )
    }
    places = _confirmed_workshops(ids)
    states = _checkin_states(ids, workshop)
    hits = [
        SearchHit(
            registration_id=pk,
            code=details[pk][0],
            name=details[pk][2],
            company=details[pk][3],
            status=door_status(details[pk][1]),
            workshops=places.get(pk, []),
            checkin=states.get(pk),
        )
        for pk in ids
        if pk in details
    ]
    return SearchResult(hits=hits, more=len(found) > limit)


def _confirmed_workshops(registration_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    places: dict[int, list[tuple[int, str, str]]] = {}
    if not registration_ids:
        return places
    rows = (
        WorkshopPlace.objects.filter(
            registration_id__in=registration_ids, status=PlaceStatus.CONFIRMED
        )
        .order_by("workshop__starts_at", "workshop__code")
        .values_list("registration_id", "workshop_id", "workshop__code", "workshop__title")
    )
    for registration_id, workshop_id, code, title in rows:
        places.setdefault(registration_id, []).append((workshop_id, code, title))
    return places


def _checkin_states(
    registration_ids: list[int], workshop: Workshop | None
) -> dict[int, CheckInState]:
    if not registration_ids:
        return {}
    checkins = CheckIn.objects.filter(
        registration_id__in=registration_ids, workshop=workshop, undone_at__isnull=True
    ).select_related("by")
    return {
        checkin.registration_id: CheckInState(
            checkin_id=checkin.pk,
            checked_in_at=checkin.checked_in_at,
            by=str(checkin.by) if checkin.by else "",
        )
        for checkin in checkins
    }


@dataclass(frozen=True)
class ForumCode:
    """What the check-in page needs to answer for a badge while offline."""

    code: str
    name: str
    company: str
    status: str
    workshop_ids: list[int]
    # Checked in at the door when the list was made; and the workshops checked in at.
    checked_in: bool
    workshops_checked_in: list[int]


def checkin_codes(forum: Forum) -> list[ForumCode]:
    """Every registration of the forum with its check-in code, name, company, door status,
    confirmed workshops and the places it was already checked in at. Three queries."""
    rows = list(
        Registration.objects.filter(forum=forum)
        .order_by("pk")
        .values_list(
            "pk",
            "checkin_code",
            "status",
            "person__first_name",
            "person__last_name",
            "company__name",
        )
    )
    places: dict[int, list[int]] = {}
    for registration_id, workshop_id in WorkshopPlace.objects.filter(
        registration__forum=forum, status=PlaceStatus.CONFIRMED
    ).values_list("registration_id", "workshop_id"):
        places.setdefault(registration_id, []).append(workshop_id)
    at_door: set[int] = set()
    at_workshops: dict[int, list[int]] = {}
    for registration_id, workshop_id in CheckIn.objects.filter(
        registration__forum=forum, undone_at__isnull=True
    ).values_list("registration_id", "workshop_id"):
        if workshop_id is None:
            at_door.add(registration_id)
        else:
            at_workshops.setdefault(registration_id, []).append(workshop_id)
    return [
        ForumCode(
            code=code,
            name=_full_name(first, last),
            company=company or "",
            status=door_status(status),
            workshop_ids=sorted(places.get(pk, [])),
            checked_in=pk in at_door,
            workshops_checked_in=sorted(at_workshops.get(pk, [])),
        )
        for pk, code, status, first, last, company in rows
    ]
