"""Every write of the reports app."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from functools import cache
from itertools import zip_longest
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from attendance.selectors import HELD_STATUSES, attendees, workshop_checkins
from audit.services import Actor, audit_record
from forums.models import Forum, Organisation
from registrations.models import Registration
from reports.models import NewsDraft, ReachFact, ReachFactsLock
from reports.regions import REGION_OF


@transaction.atomic(durable=True)
def news_draft_save(*, forum: Forum, language: str, text: str, by: Actor) -> NewsDraft:
    """Keep the secretariat's edited text of a forum's news draft in `language`, replacing the
    text kept before. Records an audit entry. Sends nothing."""
    draft, _ = NewsDraft.objects.update_or_create(
        forum=forum,
        language=language,
        defaults={
            "text": text,
            "updated_by": by.user if by.user and by.user.is_authenticated else None,
        },
    )
    audit_record(by=by, action="news_draft_saved", subject=draft, data={"language": language})
    return draft


@transaction.atomic(durable=True)
def news_draft_reset(*, forum: Forum, language: str, by: Actor) -> None:
    """Drop the edited text of a forum's news draft in `language`, so that the page shows the
    draft written from the data again. Records an audit entry if there was one. Sends nothing."""
    draft = NewsDraft.objects.filter(forum=forum, language=language).first()
    if draft is None:
        return
    audit_record(by=by, action="news_draft_reset", subject=forum, data={"language": language})
    draft.delete()


# Reach facts (reports.models.ReachFact). A fact's key is (kind, entity, dimension, group); its
# value the first and second held forums, by start, at which the entity was reached in the group.
Kind = ReachFact.Kind
Dimension = ReachFact.Dimension
FactKey = tuple[str, int, str, str]
# (starts_at, forum id) of the first forum, and of the second one if any.
Firsts = list[tuple[datetime, int]]
CHUNK = 2000


@cache
def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


def _reached_rows(condition: Q) -> QuerySet:
    """(pk, forum, company as known today, person, category, inviting sponsor's organisation,
    forum start, zone, country, theme) of the registrations matching `condition` that attended
    a held forum."""
    return (
        attendees()
        .filter(condition, forum__status__in=HELD_STATUSES)
        .annotate(company_key=Coalesce("company__merged_into_id", "company_id"))
        .values_list(
            "pk",
            "forum_id",
            "company_key",
            "person_id",
            "category",
            "invited_by__organisation_id",
            "forum__starts_at",
            "forum__time_zone",
            "forum__country",
            "forum__theme",
        )
        .order_by()
    )


def _pillars(registration_ids: Collection[int] | None) -> dict[int, set[str]]:
    """Registration id → the pillars of the workshops it attended (workshop_checkins), for
    these registrations (None: all)."""
    pillars: dict[int, set[str]] = {}
    checkins = workshop_checkins()
    if registration_ids is not None:
        checkins = checkins.filter(registration_id__in=registration_ids)
    for registration_id, pillar in (
        checkins.values_list("registration_id", "workshop__pillar").distinct().order_by()
    ):
        pillars.setdefault(registration_id, set()).add(pillar)
    return pillars


def _groups(row: tuple, pillars: Iterable[str]) -> Iterator[tuple[str, str]]:
    """The (dimension, group) pairs in which an attended registration counts."""
    _, forum_id, _, _, category, sponsor, starts_at, zone, country, theme = row
    yield Dimension.TOTAL, ""
    yield Dimension.YEAR, str(starts_at.astimezone(_zone(zone)).year)
    yield Dimension.COUNTRY, str(country)
    yield Dimension.REGION, REGION_OF.get(str(country), "")
    yield Dimension.THEME, theme
    yield Dimension.CATEGORY, category
    yield Dimension.FORUM, str(forum_id)
    if sponsor is not None:
        yield Dimension.SPONSOR, str(sponsor)
    for pillar in pillars:
        yield Dimension.PILLAR, pillar


def _add(firsts: dict[FactKey, Firsts], key: FactKey, at: tuple[datetime, int]) -> None:
    """Keep the two earliest distinct forums of `key`."""
    known = firsts.get(key)
    if known is None:
        firsts[key] = [at]
    elif at not in known:
        known.append(at)
        known.sort()
        del known[2:]


def _facts(
    condition: Q, *, companies: Collection[int] | None, people: Collection[int] | None
) -> dict[FactKey, Firsts]:
    """The facts of the given companies (as known today) and people (None: all) that the
    registrations matching `condition` establish; it must match every registration that bears
    on them. A forum's facts are _forum_facts'."""
    rows: Iterable[tuple]
    if companies is None and people is None:
        rows = _reached_rows(condition).iterator(chunk_size=CHUNK)
        pillars = _pillars(None)
    else:
        rows = list(_reached_rows(condition))
        pillars = _pillars([row[0] for row in rows]) if rows else {}
    firsts: dict[FactKey, Firsts] = {}
    for row in rows:
        pk, forum_id, company, person, _, _, starts_at, _, _, _ = row
        at = (starts_at, forum_id)
        for dimension, group in _groups(row, pillars.get(pk, ())):
            if company is not None and (companies is None or company in companies):
                _add(firsts, (Kind.COMPANY, company, dimension, group), at)
            if people is None or person in people:
                _add(firsts, (Kind.PERSON, person, dimension, group), at)
    return firsts


def _forum_facts(forums: Collection[int]) -> dict[FactKey, Firsts]:
    """The facts of these forums: the categories, sponsors and pillars of those who attended,
    read as distinct values rather than row by row. (The year, country, region and theme a
    forum counts for are read from the forum itself.)"""
    attended = attendees().filter(forum_id__in=forums, forum__status__in=HELD_STATUSES)
    firsts: dict[FactKey, Firsts] = {}
    for forum_id, starts_at, category, sponsor in (
        attended.values_list("forum_id", "forum__starts_at", "category", "invited_by__organisation")
        .distinct()
        .order_by()
    ):
        _add(firsts, (Kind.FORUM, forum_id, Dimension.CATEGORY, category), (starts_at, forum_id))
        if sponsor is not None:
            key = (Kind.FORUM, forum_id, Dimension.SPONSOR, str(sponsor))
            _add(firsts, key, (starts_at, forum_id))
    for forum_id, starts_at, pillar in (
        workshop_checkins()
        .filter(registration__in=attended.values("pk"))
        .values_list("registration__forum_id", "registration__forum__starts_at", "workshop__pillar")
        .distinct()
        .order_by()
    ):
        _add(firsts, (Kind.FORUM, forum_id, Dimension.PILLAR, pillar), (starts_at, forum_id))
    return firsts


def _write(firsts: dict[FactKey, Firsts]) -> None:
    ReachFact.objects.bulk_create(
        (
            ReachFact(
                kind=kind,
                entity=entity,
                dimension=dimension,
                group=group,
                first_forum_id=at[0][1],
                first_at=at[0][0],
                second_at=at[1][0] if len(at) > 1 else None,
            )
            for (kind, entity, dimension, group), at in firsts.items()
        ),
        batch_size=CHUNK,
    )


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _lock() -> None:
    """Take the one lock under which reach facts are recomputed, held to the end of the
    transaction: two refreshes of the same company (two of its people checked in at once, on
    two devices) run one after the other, and the second reads the first's check-in."""
    if not list(ReachFactsLock.objects.select_for_update().filter(pk=1).values("pk")):
        ReachFactsLock.objects.get_or_create(pk=1)
        list(ReachFactsLock.objects.select_for_update().filter(pk=1).values("pk"))


@transaction.atomic(savepoint=False)
def reach_facts_refresh(
    *,
    companies: Collection[int] = (),
    people: Collection[int] = (),
    forums: Collection[int] = (),
) -> None:
    """Recompute the reach facts of these companies (Organisation ids, merged or not), people
    and forums from the registrations, check-ins and forums as they are now, under the reach
    facts' lock (see _lock)."""
    if not (companies or people or forums):
        return
    _lock()
    # The companies as known today (keys) and, for each, the records that count for it: itself
    # and those merged into it.
    keys = set(companies)
    sources: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(set(companies)):
        merges = Organisation.objects.filter(
            Q(pk__in=chunk, merged_into__isnull=False)
            | Q(merged_into__in=chunk)
            | Q(merged_into__in=Organisation.objects.filter(pk__in=chunk).values("merged_into"))
        ).values_list("pk", "merged_into_id")
        for pk, merged_into in merges:
            keys.add(merged_into)
            sources[merged_into].add(pk)
    nothing: list[int] = []
    chunks: Iterator[tuple[list[int], list[int], list[int]]] = zip_longest(
        _chunks(keys), _chunks(set(people)), _chunks(set(forums)), fillvalue=nothing
    )
    for company_chunk, people_chunk, forum_chunk in chunks:
        ReachFact.objects.filter(
            Q(kind=Kind.COMPANY, entity__in=company_chunk)
            | Q(kind=Kind.PERSON, entity__in=people_chunk)
            | Q(kind=Kind.FORUM, entity__in=forum_chunk)
        ).delete()
        records = set(company_chunk).union(*(sources[key] for key in company_chunk))
        firsts = _facts(
            # Conditions on the registration's own columns, each an index lookup.
            Q(company_id__in=sorted(records)) | Q(person_id__in=people_chunk),
            companies=set(company_chunk),
            people=set(people_chunk),
        )
        if forum_chunk:
            firsts |= _forum_facts(forum_chunk)
        _write(firsts)


def reach_facts_of(registrations: Iterable[tuple[int | None, int, int]]) -> None:
    """Recompute the reach facts that these registrations bear on, each given as its (company,
    person, forum) ids: their companies, people and forums."""
    companies: set[int] = set()
    people: set[int] = set()
    forums: set[int] = set()
    for company, person, forum in registrations:
        if company is not None:
            companies.add(company)
        people.add(person)
        forums.add(forum)
    reach_facts_refresh(companies=companies, people=people, forums=forums)


def reach_facts_of_registrations(registration_ids: Collection[int]) -> None:
    """Recompute the reach facts that these registrations bear on (see reach_facts_of)."""
    reach_facts_of(
        row
        for chunk in _chunks(set(registration_ids))
        for row in Registration.objects.filter(pk__in=chunk).values_list(
            "company_id", "person_id", "forum_id"
        )
    )


def reach_facts_of_forum(forum_id: int) -> None:
    """Recompute the reach facts of everyone who attended this forum, and of the forum: for a
    forum marked held or not, moved, or given another country or theme."""
    attended = list(
        attendees().filter(forum_id=forum_id).values_list("company_id", "person_id", "forum_id")
    )
    if attended:
        reach_facts_of(attended)
    elif ReachFact.objects.filter(first_forum_id=forum_id).exists():
        reach_facts_refresh(forums=[forum_id])


@transaction.atomic
def reach_facts_rebuild() -> int:
    """Drop every reach fact and compute them all again from the registrations, check-ins and
    forums. Returns how many facts there are."""
    _lock()
    ReachFact.objects.all().delete()
    firsts = _facts(Q(), companies=None, people=None)
    for chunk in _chunks(
        set(Forum.objects.filter(status__in=HELD_STATUSES).values_list("pk", flat=True))
    ):
        firsts |= _forum_facts(chunk)
    _write(firsts)
    return len(firsts)
