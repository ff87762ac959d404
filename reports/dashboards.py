"""Reads behind the dashboards: a forum's overview for the secretariat, a member's sponsored
forums, a facilitator's workshops, and the figures of the post-event report. Each is counted in
a fixed number of queries whatever the number of registrations or workshops.

How the figures are counted (the pages' help text says the same):
- "registered" is everyone holding a seat; the breakdowns by country, company category and
  inviting sponsor count those;
- "came" is a door check-in that was not undone (attendance.selectors);
- a registration's country is the person's, or else their company's.
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate

from attendance.selectors import (
    CheckInCounts,
    checkin_counts,
)
from feedback.models import Survey
from feedback.selectors import SurveyResults, survey_results
from forums.models import Forum
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration
from workshops.models import Workshop

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Count_:
    """One row of a breakdown: what is counted, and how many."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class WorkshopSeats:
    workshop: Workshop
    taken: int
    limit: int
    waiting: int
    checked_in: int


@dataclass(frozen=True)
class ForumOverview:
    forum: Forum
    by_day: list[tuple[date, int, int]]  # day in the forum's zone, registered that day, to date
    by_status: list[Count_]
    by_country: list[Count_]
    by_category: list[Count_]
    by_sponsor: list[Count_]
    workshops: list[WorkshopSeats]
    checkins: CheckInCounts
    survey: Survey | None
    results: SurveyResults | None


def _country() -> Case:
    """The person's country, or else their company's."""
    return Case(
        When(~Q(person__country=""), then=F("person__country")),
        When(company__isnull=False, then=F("company__country")),
        default=Value(""),
        output_field=CharField(),
    )


def _breakdown(
    rows: QuerySet, key: str, labels: dict[str, str] | None, none_label: str
) -> list[Count_]:
    """Rows of `key` and `n` as counts, largest first; a value's label is looked up in
    `labels` (or is the value itself), and an empty value is `none_label`."""
    counted = []
    for row in rows:
        value = str(row[key] or "")
        label = (labels.get(value, value) if labels is not None else value) if value else ""
        counted.append(Count_(key=value, label=label or none_label, count=row["n"]))
    return sorted(counted, key=lambda c: (-c.count, c.label))


def forum_overview(forum: Forum) -> ForumOverview:
    """Everything the forum's overview shows, in a fixed number of queries."""
    from django.utils.translation import gettext
    from django_countries import countries

    from forums.enums import OrganisationKind

    registrations = Registration.objects.filter(forum=forum).order_by()
    holding = registrations.filter(status__in=RegistrationStatus.holding_a_seat())
    days = (
        registrations.annotate(day=TruncDate("created_at", tzinfo=forum.zone))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    by_day, total = [], 0
    for row in days:
        total += row["n"]
        by_day.append((row["day"], row["n"], total))
    statuses = dict(RegistrationStatus.choices)
    by_status = [
        Count_(key=row["status"], label=str(statuses[row["status"]]), count=row["n"])
        for row in registrations.values("status").annotate(n=Count("pk")).order_by("status")
    ]
    by_country = _breakdown(
        holding.annotate(place=_country()).values("place").annotate(n=Count("pk")),
        "place",
        {code: str(name) for code, name in countries},
        gettext("Not given"),
    )
    by_category = _breakdown(
        holding.values("company__kind").annotate(n=Count("pk")),
        "company__kind",
        {key: str(label) for key, label in OrganisationKind.choices},
        gettext("No company"),
    )
    by_sponsor = _breakdown(
        holding.values(sponsor=F("invited_by__organisation__name")).annotate(n=Count("pk")),
        "sponsor",
        None,
        gettext("Not invited by a sponsor"),
    )
    checkins = checkin_counts(forum)
    workshops = [
        WorkshopSeats(
            workshop=workshop,
            taken=workshop.seats_taken,
            limit=workshop.seat_limit,
            waiting=workshop.waiting,
            checked_in=checkins.workshops.get(workshop.pk, 0),
        )
        for workshop in Workshop.objects.filter(forum=forum)
        .annotate(waiting=Count("places", filter=Q(places__status=PlaceStatus.WAITLISTED)))
        .order_by("starts_at", "code")
    ]
    survey = Survey.objects.filter(forum=forum).first()
    return ForumOverview(
        forum=forum,
        by_day=by_day,
        by_status=by_status,
        by_country=by_country,
        by_category=by_category,
        by_sponsor=by_sponsor,
        workshops=workshops,
        checkins=checkins,
        survey=survey,
        results=survey_results(survey) if survey is not None else None,
    )
