"""Attendance, read from check-ins that were not undone: whether someone came, to which
workshops, and how many have come so far."""

import functools
import heapq
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet

from attendance.models import CheckIn
from forums.models import Forum
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
