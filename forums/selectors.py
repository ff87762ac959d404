from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from forums.models import AgendaItem, Forum, Organisation, Person, Sponsorship


@dataclass(frozen=True)
class ForumFilters:
    country: str = ""
    year: int | None = None
    theme: str = ""


def _with_sponsors(forums: QuerySet[Forum]) -> QuerySet[Forum]:
    return forums.prefetch_related(
        Prefetch("sponsorships", queryset=Sponsorship.objects.select_related("organisation"))
    )


def forum_list(
    *, filters: ForumFilters | None = None, now: datetime | None = None
) -> tuple[list[Forum], list[Forum]]:
    """Public forums matching the filters: (upcoming soonest first, past most recent first)."""
    filters = filters or ForumFilters()
    now = now or timezone.now()
    forums = Forum.objects.public()
    if filters.country:
        forums = forums.filter(country=filters.country)
    if filters.year:
        forums = forums.in_local_year(filters.year)
    if filters.theme:
        forums = forums.filter(theme__iexact=filters.theme)
    forums = _with_sponsors(forums)
    upcoming = list(forums.filter(ends_at__gte=now).order_by("starts_at"))
    past = list(forums.filter(ends_at__lt=now).order_by("-starts_at"))
    return upcoming, past


def forum_filter_options() -> dict[str, list]:
    """What the home page's filters can offer: only values some public forum has."""
    forums = Forum.objects.public()
    countries = sorted(
        {forum.country for forum in forums.only("country")}, key=lambda country: country.name
    )
    years = forums.local_years()
    themes = sorted(
        set(forums.exclude(theme="").values_list("theme", flat=True)),
        key=str.lower,
    )
    return {"countries": countries, "years": years, "themes": themes}


def forum_by_slug(*, slug: str) -> Forum | None:
    """The forum alone, in one query."""
    return Forum.objects.filter(slug=slug).first()


def forum_for_page(*, slug: str) -> Forum | None:
    """A forum with everything its public page shows, in a fixed number of queries."""
    speakers = Person.objects.select_related("organisation").order_by("last_name")
    agenda = AgendaItem.objects.prefetch_related(
        Prefetch("speakers", queryset=speakers),
        Prefetch("presenting_organisations", queryset=Organisation.objects.order_by("name")),
    )
    return (
        _with_sponsors(Forum.objects.filter(slug=slug))
        .prefetch_related(
            Prefetch("agenda_items", queryset=agenda),
            Prefetch("supporters", queryset=Organisation.objects.order_by("name")),
        )
        .first()
    )


def member_forums(*, organisation: Organisation) -> QuerySet[Forum]:
    """Forums an organisation sponsors, newest first, drafts included (they are its own)."""
    return _with_sponsors(
        Forum.objects.filter(sponsorships__organisation=organisation).order_by("-starts_at")
    )
