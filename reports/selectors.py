"""The programme's reach, across all forums, as of any date.

- A forum counts once it has been held (marked held or archived) and, as of a date, when it
  started before the end of that day (UTC).
- A person is reached when they attended a counted forum (a door check-in not undone, which
  includes imported history): attendance.selectors is where attendance is read.
- A company is reached when one of its people was. Company identity is as known today: a
  registration of a company merged into another counts for the surviving company.
- Counts are distinct across forums: a company at five forums counts once.
- Countries are the countries where the forums were held; regions are UN M49 regions of those
  (reports.regions); the theme is the forum's; the pillar is that of the workshops attended
  (a workshop check-in not undone); a sponsor's figures are those of the people it invited;
  the category is the one given at registration ("" when none was).

The figures come from a fixed number of queries whatever the number of forums or people."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import Case, Count, Expression, F, Min, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, ExtractYear
from django_countries import countries

from attendance.models import CheckIn
from attendance.selectors import HELD_STATUSES, attendees
from forums.models import Forum
from registrations.models import Registration
from reports.regions import REGIONS

QUERIES = 12  # how many queries reach_totals makes, whatever the data


@dataclass(frozen=True)
class Figures:
    """One line of a breakdown: its key, a label to show, and the distinct counts."""

    key: str
    label: str
    forums: int
    companies: int
    people: int


@dataclass(frozen=True)
class ForumReach:
    """Companies reached at one forum: new ones (at no earlier forum) and returning ones."""

    slug: str
    title: str
    starts_at: datetime
    people: int
    companies: int
    new_companies: int
    returning_companies: int
    is_demo: bool


@dataclass(frozen=True)
class Reach:
    as_of: date | None
    forums: int
    companies: int
    people: int
    countries: int
    by_year: tuple[Figures, ...]
    by_country: tuple[Figures, ...]
    by_region: tuple[Figures, ...]
    by_theme: tuple[Figures, ...]
    by_pillar: tuple[Figures, ...]
    by_sponsor: tuple[Figures, ...]
    by_category: tuple[Figures, ...]
    per_forum: tuple[ForumReach, ...]
    # Companies reached at two or more forums.
    returning_companies: int
    # Of the forums, how many are synthetic demo data.
    demo_forums: int


@dataclass(frozen=True)
class ReachHeadline:
    """The four headline figures of the reach, without the breakdowns."""

    as_of: date | None
    forums: int
    companies: int
    people: int
    countries: int


def _cutoff(as_of: date | None) -> datetime | None:
    if as_of is None:
        return None
    return datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)


def held_forums(*, as_of: date | None = None) -> QuerySet[Forum]:
    """The forums that count: held (or archived), and started by the end of `as_of`."""
    forums = Forum.objects.filter(status__in=HELD_STATUSES)
    cutoff = _cutoff(as_of)
    return forums if cutoff is None else forums.filter(starts_at__lt=cutoff)


def reached(*, as_of: date | None = None) -> QuerySet[Registration]:
    """The registrations that attended a forum that counts, each annotated with `company_key`:
    the company as known today."""
    registrations = attendees().filter(forum__status__in=HELD_STATUSES)
    cutoff = _cutoff(as_of)
    if cutoff is not None:
        registrations = registrations.filter(forum__starts_at__lt=cutoff)
    return registrations.annotate(company_key=Coalesce("company__merged_into_id", "company_id"))


def _distinct_reached(registrations: QuerySet[Registration]) -> dict[str, int]:
    """Companies (as known today) and people among `registrations`, each counted once."""
    return registrations.aggregate(
        companies=Count("company_key", distinct=True), people=Count("person_id", distinct=True)
    )


def reach_headline(*, as_of: date | None = None) -> ReachHeadline:
    """reach_totals' forums, companies, people and countries alone, in two queries: for the
    pages and texts that quote the programme's reach."""
    countries = list(held_forums(as_of=as_of).values_list("country", flat=True))
    totals = _distinct_reached(reached(as_of=as_of))
    return ReachHeadline(
        as_of=as_of,
        forums=len(countries),
        companies=totals["companies"],
        people=totals["people"],
        countries=len(set(countries)),
    )


def _region_of(field: str) -> Case:
    return Case(
        *(When(**{f"{field}__in": codes}, then=Value(key)) for key, (_, codes) in REGIONS.items()),
        default=Value(""),
    )


def _grouped(registrations: QuerySet, group: "Expression | F") -> dict[str, tuple[int, int, int]]:
    """(forums, companies, people) per value of `group`, distinct, in one query."""
    rows = (
        registrations.annotate(group=group)
        .values("group")
        .annotate(
            n_forums=Count("forum_id", distinct=True),
            n_companies=Count("company_key", distinct=True),
            n_people=Count("person_id", distinct=True),
        )
        .order_by()
    )
    return {
        str(r["group"] if r["group"] is not None else ""): (
            r["n_forums"],
            r["n_companies"],
            r["n_people"],
        )
        for r in rows
    }


def _figures(
    counts: dict[str, tuple[int, int, int]], labels: dict[str, str], forums: dict[str, int]
) -> tuple[Figures, ...]:
    """Lines for every key that has forums or people, forums counted from `forums` (held
    forums, including those with nobody recorded) when given there."""
    keys = set(counts) | set(forums)
    lines = [
        Figures(
            key=key,
            label=labels.get(key, key),
            forums=forums.get(key, counts.get(key, (0, 0, 0))[0]),
            companies=counts.get(key, (0, 0, 0))[1],
            people=counts.get(key, (0, 0, 0))[2],
        )
        for key in keys
    ]
    return tuple(sorted(lines, key=lambda f: (-f.companies, -f.people, f.label)))


def _per_forum_companies(registrations: QuerySet) -> dict[int, tuple[int, int]]:
    """Forum id → (companies, new companies): a company is new at the forum where it was
    first reached."""
    pairs = (
        registrations.filter(company__isnull=False)
        .annotate(
            at=F("forum__starts_at"),
            first_at=Window(Min("forum__starts_at"), partition_by=[F("company_key")]),
        )
        .values("forum_id", "company_key", "at", "first_at")
        .distinct()
        .order_by()
    )
    sql, params = pairs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pairs.forum_id, COUNT(*),"
            " SUM(CASE WHEN pairs.at = pairs.first_at THEN 1 ELSE 0 END)"
            f" FROM ({sql}) pairs GROUP BY pairs.forum_id",
            params,
        )
        return {forum_id: (total, int(new or 0)) for forum_id, total, new in cursor.fetchall()}


def reach_totals(*, as_of: date | None = None) -> "Reach":
    """The reach figures (see the module's docstring), as they stood at the end of `as_of`, or
    today."""
    forums = list(
        held_forums(as_of=as_of)
        .annotate(year=ExtractYear("starts_at"))
        .values("id", "slug", "title", "starts_at", "year", "country", "theme", "is_demo")
        .order_by("starts_at", "id")
    )
    region_of = {code: key for key, (_, codes) in REGIONS.items() for code in codes}
    forums_by: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for forum in forums:
        forums_by["year"][str(forum["year"])] += 1
        forums_by["country"][forum["country"]] += 1
        forums_by["region"][region_of.get(forum["country"], "")] += 1
        forums_by["theme"][forum["theme"]] += 1

    registrations = reached(as_of=as_of)
    totals = _distinct_reached(registrations)
    by_year = _grouped(registrations, ExtractYear("forum__starts_at"))
    by_country = _grouped(registrations, F("forum__country"))
    by_region = _grouped(registrations, _region_of("forum__country"))
    by_theme = _grouped(registrations, F("forum__theme"))
    by_category = _grouped(registrations, F("category"))
    sponsors = _grouped(
        registrations.filter(invited_by__isnull=False), F("invited_by__organisation__name")
    )
    workshop_checkins = CheckIn.objects.filter(
        workshop__isnull=False,
        undone_at__isnull=True,
        registration__in=registrations.values("pk"),
    ).annotate(
        forum_id=F("registration__forum_id"),
        person_id=F("registration__person_id"),
        company_key=Coalesce("registration__company__merged_into_id", "registration__company_id"),
    )
    by_pillar = _grouped(workshop_checkins, F("workshop__pillar"))
    per_forum = _per_forum_companies(registrations)
    people_per_forum = dict(
        registrations.values("forum_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
        .values_list("forum_id", "n")
    )
    returning = (
        registrations.filter(company__isnull=False)
        .values(key=F("company_key"))
        .annotate(n=Count("forum_id", distinct=True))
        .filter(n__gte=2)
        .order_by()
        .count()
    )
    return Reach(
        as_of=as_of,
        forums=len(forums),
        companies=totals["companies"],
        people=totals["people"],
        countries=len({forum["country"] for forum in forums}),
        by_year=tuple(sorted(_figures(by_year, {}, forums_by["year"]), key=lambda f: f.key)),
        by_country=_figures(by_country, dict(countries), forums_by["country"]),
        by_region=_figures(
            by_region,
            {key: str(label) for key, (label, _) in REGIONS.items()},
            forums_by["region"],
        ),
        by_theme=_figures(by_theme, {}, forums_by["theme"]),
        by_pillar=_figures(by_pillar, _pillar_labels(), {}),
        by_sponsor=_figures(sponsors, {}, {}),
        by_category=_figures(by_category, _category_labels(), {}),
        per_forum=tuple(
            ForumReach(
                slug=forum["slug"],
                title=forum["title"],
                starts_at=forum["starts_at"],
                people=people_per_forum.get(forum["id"], 0),
                companies=per_forum.get(forum["id"], (0, 0))[0],
                new_companies=per_forum.get(forum["id"], (0, 0))[1],
                returning_companies=per_forum.get(forum["id"], (0, 0))[0]
                - per_forum.get(forum["id"], (0, 0))[1],
                is_demo=forum["is_demo"],
            )
            for forum in forums
        ),
        returning_companies=returning,
        demo_forums=sum(1 for forum in forums if forum["is_demo"]),
    )


def _pillar_labels() -> dict[str, str]:
    from forums.enums import Pillar

    return {value: str(label) for value, label in Pillar.choices}


def _category_labels() -> dict[str, str]:
    from registrations.enums import ParticipantCategory

    return {value: str(label) for value, label in ParticipantCategory.choices}
