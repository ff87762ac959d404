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
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django_countries import countries

from attendance.selectors import HELD_STATUSES
from forums.models import Forum, Organisation
from reports.models import ReachFact
from reports.regions import REGION_OF, REGIONS

Kind = ReachFact.Kind
Dimension = ReachFact.Dimension

QUERIES = 5  # how many queries reach_totals makes, whatever the data


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
    # How many of the forums are made-up demo forums (Forum.is_demo): every text that quotes
    # these figures says so.
    demo_forums: int = 0


def _cutoff(as_of: date | None) -> datetime | None:
    """The end of `as_of` (UTC); none for today, or for the last day a date can name."""
    if as_of is None or as_of == date.max:
        return None
    return datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)


def held_forums(*, as_of: date | None = None) -> QuerySet[Forum]:
    """The forums that count: held (or archived), and started by the end of `as_of`."""
    forums = Forum.objects.filter(status__in=HELD_STATUSES)
    cutoff = _cutoff(as_of)
    return forums if cutoff is None else forums.filter(starts_at__lt=cutoff)


def _facts(as_of: date | None) -> QuerySet[ReachFact]:
    """The reach facts true at the end of `as_of` (all of them: today)."""
    cutoff = _cutoff(as_of)
    facts = ReachFact.objects.order_by()
    return facts if cutoff is None else facts.filter(first_at__lt=cutoff)


def reach_headline(*, as_of: date | None = None) -> ReachHeadline:
    """reach_totals' forums, companies, people and countries alone, in two queries: for the
    pages and texts that quote the programme's reach."""
    held = list(held_forums(as_of=as_of).values_list("country", "is_demo"))
    countries = [country for country, _ in held]
    totals = dict(
        _facts(as_of)
        .filter(dimension=Dimension.TOTAL)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return ReachHeadline(
        as_of=as_of,
        forums=len(countries),
        companies=totals.get(Kind.COMPANY, 0),
        people=totals.get(Kind.PERSON, 0),
        countries=len(set(countries)),
        demo_forums=sum(1 for _, is_demo in held if is_demo),
    )


def _figures(
    counts: dict[tuple[str, str, str], int],
    dimension: str,
    labels: dict[str, str],
    forums: dict[str, int] | None,
) -> tuple[Figures, ...]:
    """Lines for every group of `dimension` that has forums or people, forums counted from
    `forums` (held forums, including those with nobody recorded) when given, else from the
    forums' own facts."""
    groups: dict[str, dict[str, int]] = {group: {} for (_, d, group) in counts if d == dimension}
    for (kind, d, group), n in counts.items():
        if d == dimension:
            groups[group][kind] = n
    if forums is not None:
        for group in forums:
            groups.setdefault(group, {})
    lines = [
        Figures(
            key=group,
            label=labels.get(group, group),
            forums=forums.get(group, 0) if forums is not None else n.get(Kind.FORUM, 0),
            companies=n.get(Kind.COMPANY, 0),
            people=n.get(Kind.PERSON, 0),
        )
        for group, n in groups.items()
    ]
    return tuple(sorted(lines, key=lambda f: (-f.companies, -f.people, f.label)))


def reach_totals(*, as_of: date | None = None) -> "Reach":
    """The reach figures (see the module's docstring), as they stood at the end of `as_of`, or
    today: counts of the reach facts (reports.models.ReachFact) first true before then."""
    forums = list(
        held_forums(as_of=as_of)
        .values("id", "slug", "title", "starts_at", "time_zone", "country", "theme", "is_demo")
        .order_by("starts_at", "id")
    )
    forums_by: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for forum in forums:
        year = forum["starts_at"].astimezone(ZoneInfo(forum["time_zone"])).year
        forums_by[Dimension.YEAR][str(year)] += 1
        forums_by[Dimension.COUNTRY][forum["country"]] += 1
        forums_by[Dimension.REGION][REGION_OF.get(forum["country"], "")] += 1
        forums_by[Dimension.THEME][forum["theme"]] += 1

    facts = _facts(as_of)
    counts = {
        (row["kind"], row["dimension"], row["group"]): row["n"]
        for row in facts.values("kind", "dimension", "group").annotate(n=Count("pk"))
    }
    new_at = dict(
        facts.filter(kind=Kind.COMPANY, dimension=Dimension.TOTAL)
        .values("first_forum_id")
        .annotate(n=Count("pk"))
        .values_list("first_forum_id", "n")
    )
    cutoff = _cutoff(as_of)
    returning = ReachFact.objects.filter(kind=Kind.COMPANY, dimension=Dimension.TOTAL).filter(
        second_at__isnull=False, **({} if cutoff is None else {"second_at__lt": cutoff})
    )
    sponsors = dict(
        Organisation.objects.filter(
            pk__in=[int(group) for (_, d, group) in counts if d == Dimension.SPONSOR]
        ).values_list("pk", "name")
    )

    def per_forum(kind: str, forum_id: int) -> int:
        return counts.get((kind, Dimension.FORUM, str(forum_id)), 0)

    return Reach(
        as_of=as_of,
        forums=len(forums),
        companies=counts.get((Kind.COMPANY, Dimension.TOTAL, ""), 0),
        people=counts.get((Kind.PERSON, Dimension.TOTAL, ""), 0),
        countries=len({forum["country"] for forum in forums}),
        by_year=tuple(
            sorted(
                _figures(counts, Dimension.YEAR, {}, forums_by[Dimension.YEAR]),
                key=lambda f: f.key,
            )
        ),
        by_country=_figures(
            counts, Dimension.COUNTRY, dict(countries), forums_by[Dimension.COUNTRY]
        ),
        by_region=_figures(
            counts,
            Dimension.REGION,
            {key: str(label) for key, (label, _) in REGIONS.items()},
            forums_by[Dimension.REGION],
        ),
        by_theme=_figures(counts, Dimension.THEME, {}, forums_by[Dimension.THEME]),
        by_pillar=_figures(counts, Dimension.PILLAR, _pillar_labels(), None),
        # A sponsor's line is keyed by its name, as the page and the exports show it.
        by_sponsor=tuple(
            replace(line, key=line.label)
            for line in _figures(
                counts, Dimension.SPONSOR, {str(pk): name for pk, name in sponsors.items()}, None
            )
        ),
        by_category=_figures(counts, Dimension.CATEGORY, _category_labels(), None),
        per_forum=tuple(
            ForumReach(
                slug=forum["slug"],
                title=forum["title"],
                starts_at=forum["starts_at"],
                people=per_forum(Kind.PERSON, forum["id"]),
                companies=per_forum(Kind.COMPANY, forum["id"]),
                new_companies=new_at.get(forum["id"], 0),
                returning_companies=per_forum(Kind.COMPANY, forum["id"])
                - new_at.get(forum["id"], 0),
                is_demo=forum["is_demo"],
            )
            for forum in forums
        ),
        returning_companies=returning.count(),
        demo_forums=sum(1 for forum in forums if forum["is_demo"]),
    )


def _pillar_labels() -> dict[str, str]:
    from forums.enums import Pillar

    return {value: str(label) for value, label in Pillar.choices}


def _category_labels() -> dict[str, str]:
    from registrations.enums import ParticipantCategory

    return {value: str(label) for value, label in ParticipantCategory.choices}
