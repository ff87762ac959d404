"""The facts of a held forum that its news draft is written from (reports.news)."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from attendance.selectors import attendance_counts, forum_is_held
from feedback.enums import SurveyStatus
from feedback.models import Survey
from feedback.selectors import is_small_n, survey_results
from forums.models import Forum, Person
from reports.news import Leader, NewsFacts, ReachFacts, WorkshopFacts
from reports.selectors import reach_headline
from workshops.models import Workshop


def _leaders(workshop: Workshop) -> tuple[Leader, ...]:
    """Facilitators grouped by organisation, in the order first named; organisations leading
    the workshop without a named facilitator after them."""
    groups: dict[str, list[str]] = {}
    for person in workshop.facilitators.all():
        organisation = person.organisation.name if person.organisation else ""
        groups.setdefault(organisation, []).append(person.full_name)
    leaders = [Leader(names=tuple(names), organisation=org) for org, names in groups.items()]
    named = set(groups)
    leaders += [
        Leader(names=(), organisation=org.name)
        for org in workshop.led_by.all()
        if org.name not in named
    ]
    return tuple(leaders)


def _helpful(forum: Forum) -> tuple[int, int] | None:
    """Those who found the forum helpful out of those who answered, once the survey has closed
    and enough have answered for the figure to be shown without a notice."""
    survey = Survey.objects.filter(forum=forum).first()
    if survey is None or survey.status != SurveyStatus.CLOSED:
        return None
    share = survey_results(survey).helpful
    if share is None or share.n == 0 or is_small_n(share.n):
        return None
    return share.count, share.n


def _reach(forum: Forum) -> ReachFacts:
    """The programme's reach as it stood on the forum's day."""
    totals = reach_headline(as_of=forum.local_date)
    return ReachFacts(
        forums=totals.forums,
        companies=totals.companies,
        people=totals.people,
        demo_forums=totals.demo_forums,
    )


def forum_news_facts(forum: Forum, language: str = "en") -> NewsFacts:
    """What the news draft of a held forum says, with the forum's and its workshops' titles in
    `language` (English where that translation is empty). Raises ValueError for a forum not
    held yet."""
    if not forum_is_held(forum):
        raise ValueError("The forum has not been held.")
    with translation.override(language):
        return _news_facts(forum)


def _news_facts(forum: Forum) -> NewsFacts:
    workshops = Workshop.objects.filter(forum=forum).prefetch_related(
        Prefetch(
            "facilitators",
            queryset=Person.objects.select_related("organisation").order_by("pk"),
        ),
        "led_by",
    )
    sponsors = tuple(
        forum.sponsorships.select_related("organisation").values_list(
            "organisation__name", flat=True
        )
    )
    return NewsFacts(
        association=settings.ASSOCIATION_NAME,
        title=forum.title,
        city=forum.city,
        country=str(forum.country.code),
        day=forum.local_date,
        attended=attendance_counts(forum).attended,
        sponsors=sponsors,
        supporters=tuple(forum.supporters.values_list("name", flat=True)),
        workshops=tuple(WorkshopFacts(title=w.title, leaders=_leaders(w)) for w in workshops),
        helpful=_helpful(forum),
        reach=_reach(forum),
    )
