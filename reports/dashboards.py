"""Reads behind the dashboards: a forum's overview for the secretariat, a member's sponsored
forums, a facilitator's workshops, and the figures of the post-event report. Each is counted in
a fixed number of queries whatever the number of registrations or workshops.

How the figures are counted (the pages' help text says the same):
- "registered" is everyone holding a seat; the breakdowns by country, company category and
  inviting sponsor count those;
- "came" is a door check-in that was not undone (attendance.selectors);
- a registration's country is the person's, or else their company's.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils.translation import gettext

from attendance.pdf import Letterhead
from attendance.selectors import CheckInCounts, checkin_counts, letterhead, with_attendance
from feedback.enums import CommentReview
from feedback.models import Survey
from feedback.selectors import (
    SurveyResults,
    SurveySummary,
    Threshold,
    hold_back_summary,
    survey_results,
    survey_summaries,
)
from forums.models import Forum, Organisation, Sponsorship
from registrations.enums import (
    ParticipantCategory,
    PlaceStatus,
    RegistrationSource,
    RegistrationStatus,
)
from registrations.models import Registration, WorkshopPlace
from reports.selectors import ReachHeadline, reach_headline
from workshops.models import Workshop


@dataclass(frozen=True)
class Tally:
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
    # Registrations that came from an imported list: the day they registered is not known, so
    # they are not in by_day.
    imported: int
    by_status: list[Tally]
    by_country: list[Tally]
    by_category: list[Tally]
    by_sponsor: list[Tally]
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
    rows: "QuerySet | list[dict[str, Any]]",
    key: str,
    labels: dict[str, str] | None,
    none_label: str,
) -> list[Tally]:
    """Rows of `key` and `n` as counts, largest first; a value's label is looked up in
    `labels` (or is the value itself), and an empty value is `none_label`."""
    counted = []
    for row in rows:
        value = str(row[key] or "")
        label = (labels.get(value, value) if labels is not None else value) if value else ""
        counted.append(Tally(key=value, label=label or none_label, count=row["n"]))
    return sorted(counted, key=lambda c: (-c.count, c.label))


def forum_overview(forum: Forum) -> ForumOverview:
    """Everything the forum's overview shows, in a fixed number of queries."""
    from django.utils.translation import gettext
    from django_countries import countries

    from forums.enums import OrganisationKind

    registrations = Registration.objects.filter(forum=forum).order_by()
    holding = registrations.filter(status__in=RegistrationStatus.holding_a_seat())
    days = (
        registrations.annotate(
            day=TruncDate("created_at", tzinfo=forum.zone),
            imported=ExpressionWrapper(
                Q(source=RegistrationSource.IMPORT), output_field=BooleanField()
            ),
        )
        .values("day", "imported")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    by_day: list[tuple[date, int, int]] = []
    total = imported = 0
    for row in days:
        if row["imported"]:
            imported += row["n"]  # the day of the import, not of the registration
            continue
        total += row["n"]
        by_day.append((row["day"], row["n"], total))
    statuses = dict(RegistrationStatus.choices)
    by_status = [
        Tally(key=row["status"], label=str(statuses[row["status"]]), count=row["n"])
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
        imported=imported,
        by_status=by_status,
        by_country=by_country,
        by_category=by_category,
        by_sponsor=by_sponsor,
        workshops=workshops,
        checkins=checkins,
        survey=survey,
        results=survey_results(survey) if survey is not None else None,
    )


def programme_reach(as_of: date | None = None) -> ReachHeadline:
    """The programme's reach (forums, companies, people, countries) as of `as_of`."""
    return reach_headline(as_of=as_of)


@dataclass(frozen=True)
class Contact:
    """A supplier who agreed to share their contact details with the forum's sponsors."""

    name: str
    email: str
    company: str


@dataclass(frozen=True)
class SponsoredForum:
    """One forum a member sponsored, as that member sees it: only the people its own invitation
    link brought."""

    forum: Forum
    invited: int
    registered: int
    came: int
    companies: list[str]
    contacts: list[Contact]
    feedback: SurveySummary | None = None
    # The headline figures held back below the minimum participation, with their answers.
    withheld: dict[str, int] = field(default_factory=dict)


def sponsored_forums(organisation: Organisation) -> list[SponsoredForum]:
    """The forums `organisation` sponsored, latest first, each with the suppliers it invited
    (registrations through its sponsorship's link): how many, how many hold a seat and came,
    their companies, and names and e-mails of those who agreed to share them; and the forum's
    feedback's headline figures, without names. Six queries whatever the number of forums, three
    when none has a survey."""
    sponsorships = list(
        Sponsorship.objects.filter(organisation=organisation)
        .select_related("forum")
        .order_by("-forum__starts_at", "pk")
    )
    invitees: dict[int, list[Registration]] = defaultdict(list)
    registrations = with_attendance(
        Registration.objects.filter(invited_by__in=[s.pk for s in sponsorships])
    ).select_related("person", "company")
    for registration in registrations.order_by("person__last_name", "person__first_name", "pk"):
        assert registration.invited_by_id is not None
        invitees[registration.invited_by_id].append(registration)
    surveys = {
        survey.forum_id: survey
        for survey in Survey.objects.filter(forum__in=[s.forum_id for s in sponsorships])
    }
    summaries = survey_summaries(surveys.values())
    holding = set(RegistrationStatus.holding_a_seat())
    rows = []
    for sponsorship in sponsorships:
        people = invitees[sponsorship.pk]
        survey = surveys.get(sponsorship.forum_id)
        feedback, withheld = (
            hold_back_summary(
                summaries[survey.pk], Threshold.from_settings(summaries[survey.pk].attendees)
            )
            if survey is not None
            else (None, {})
        )
        rows.append(
            SponsoredForum(
                forum=sponsorship.forum,
                invited=len(people),
                registered=sum(1 for r in people if r.status in holding),
                came=sum(1 for r in people if r.attended),  # type: ignore[attr-defined,misc]
                companies=sorted({r.company.name for r in people if r.company}, key=str.casefold),
                contacts=[
                    Contact(
                        name=r.person.full_name,
                        email=r.person.email or "",
                        company=r.company.name if r.company else "",
                    )
                    for r in people
                    if r.share_with_sponsors
                ],
                feedback=feedback,
                withheld=withheld,
            )
        )
    return rows


def members_with_sponsorships() -> QuerySet[Organisation]:
    """The members that sponsored a forum, for the secretariat to pick from."""
    from forums.enums import OrganisationKind

    return (
        Organisation.objects.filter(kind=OrganisationKind.MEMBER, sponsorships__isnull=False)
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class Participant:
    name: str
    company: str
    # Attended this workshop (attendance.selectors.workshop_checkins).
    present: bool


@dataclass(frozen=True)
class FacilitatedWorkshop:
    workshop: Workshop
    held: bool
    participants: list[Participant]
    has_survey: bool

    @property
    def present(self) -> int:
        return sum(1 for p in self.participants if p.present)


def facilitated_workshops(email: str) -> list[FacilitatedWorkshop]:
    """The workshops, of every forum, led by the person with this e-mail address (latest
    first), each with the people holding a place in it and those who attended it without one
    now (by surname), and whether each attended it (attendance.selectors.workshop_attendees).
    Five queries whatever the number of workshops or people."""
    from attendance.selectors import forum_is_held, workshop_attendees
    from forums.models import Person

    workshops = list(
        Workshop.objects.filter(facilitators__in=Person.objects.with_email(email))
        .distinct()
        .select_related("forum")
        .order_by("-starts_at", "code")
    )
    holders = list(
        WorkshopPlace.objects.filter(
            workshop__in=workshops, status=PlaceStatus.CONFIRMED
        ).values_list("workshop_id", "registration_id")
    )
    attended = workshop_attendees(workshops)
    # Someone checked in whose place was given up since was there all the same.
    listed: dict[int, set[int]] = defaultdict(set)
    for workshop_id, registration_id in holders:
        listed[workshop_id].add(registration_id)
    for workshop_id, registration_ids in attended.items():
        listed[workshop_id] |= registration_ids
    registrations = Registration.objects.filter(
        pk__in={pk for registration_ids in listed.values() for pk in registration_ids}
    ).select_related("person", "company")
    by_surname = list(registrations.order_by("person__last_name", "person__first_name", "pk"))
    surveys = set(
        Survey.objects.filter(forum__in={w.forum_id for w in workshops}).values_list(
            "forum_id", flat=True
        )
    )
    return [
        FacilitatedWorkshop(
            workshop=workshop,
            held=forum_is_held(workshop.forum),
            participants=[
                Participant(
                    name=registration.person.full_name,
                    company=registration.company.name if registration.company else "",
                    present=registration.pk in attended[workshop.pk],
                )
                for registration in by_surname
                if registration.pk in listed[workshop.pk]
            ],
            has_survey=workshop.forum_id in surveys,
        )
        for workshop in workshops
    ]


# The post-event report shows at most this many comments, the longest first.
REPORT_COMMENTS = 5


@dataclass(frozen=True)
class ReportWorkshop:
    code: str
    title: str
    facilitators: str
    registered: int
    attended: int
    rating: str  # average out of 5, "" when nobody rated it
    ratings: int


@dataclass(frozen=True)
class ReportAgendaItem:
    time: str
    title: str
    speakers: str


@dataclass(frozen=True)
class ForumReport:
    """What the post-event report prints: plain text and numbers, no model instances."""

    title: str
    city: str
    country: str
    date: str
    time_zone: str
    sponsors: list[str]
    supporters: list[str]
    registered: int
    attended: int
    companies: int
    countries: int
    response_rate: str
    helpful: str
    by_country: list[tuple[str, int]]
    # The same, by ISO country code (those with none left out), for the map.
    by_country_code: dict[str, int]
    # None where none who came gave a participant category.
    by_category: list[tuple[str, int]] | None
    agenda: list[ReportAgendaItem]
    workshops: list[ReportWorkshop]
    comments: list[str]
    reach: Any = None
    reach_as_of: str = ""
    # What the feedback figures are out of ("7 of 16 attendees", "5 of 6 who answered").
    response_rate_of: str = ""
    helpful_of: str = ""
    # Who issues the report: the association's name and logo.
    letterhead: Letterhead | None = None


def _category_counts(attended: QuerySet[Registration]) -> list[tuple[str, int]] | None:
    """Attendance by participant category, or None while none who came gave one."""
    rows = list(attended.values("category").annotate(n=Count("pk")))
    if not any(row["category"] for row in rows):
        return None
    labels = {str(key): str(label) for key, label in ParticipantCategory.choices}
    return [(c.label, c.count) for c in _breakdown(rows, "category", labels, gettext("Not given"))]


def _names(people: Any) -> str:
    return ", ".join(
        f"{p.full_name} ({p.organisation.name})" if p.organisation else p.full_name for p in people
    )


def _response_rate_figure(summary: SurveySummary | None) -> tuple[str, str]:
    """The feedback's response rate and what it is out of ("44%", "7 of 16 attendees"); with
    more responses than attendees no rate, and both counts; ("", "") without a survey or
    attendees."""
    if summary is None:
        return "", ""
    rate = summary.response_rate
    if rate is None:
        return "", gettext("%(responses)s responses, %(attendees)s attendees") % {
            "responses": summary.responses,
            "attendees": summary.attendees,
        }
    if not rate.n:
        return "", ""
    return f"{rate.percent}%", gettext("%(responses)s of %(attendees)s attendees") % {
        "responses": summary.responses,
        "attendees": summary.attendees,
    }


def _helpful_figure(summary: SurveySummary | None) -> tuple[str, str]:
    """The share who found the forum helpful and what it is out of ("83%", "5 of 6 who
    answered"); ("", "") when nobody answered."""
    helpful = summary.helpful if summary is not None else None
    if helpful is None or not helpful.n:
        return "", ""
    return f"{helpful.percent}%", gettext("%(yes)s of %(answered)s who answered") % {
        "yes": helpful.count,
        "answered": helpful.n,
    }


def forum_report(forum: Forum) -> ForumReport:
    """The figures and texts of `forum`'s post-event report, in a fixed number of queries.
    Attendance by country and category counts those who came; companies and countries are
    distinct among them. Comments are the longest answers to free-text questions, never with
    names."""
    from django.db.models import Prefetch
    from django.utils.formats import date_format
    from django.utils.translation import gettext
    from django_countries import countries

    from attendance.selectors import attendance_counts, attendees
    from forums.models import AgendaItem, Person

    counts = attendance_counts(forum)
    attended = attendees(forum).order_by()
    country_rows = _breakdown(
        attended.annotate(place=_country()).values("place").annotate(n=Count("pk")),
        "place",
        {code: str(name) for code, name in countries},
        gettext("Not given"),
    )
    companies = attended.exclude(company=None).values("company").distinct().count()
    people = Prefetch("speakers", queryset=Person.objects.select_related("organisation"))
    agenda = [
        ReportAgendaItem(
            time=f"{item.starts_at.astimezone(forum.zone):%H:%M}",
            title=item.title,
            speakers=_names(item.speakers.all())
            or ", ".join(o.name for o in item.presenting_organisations.all()),
        )
        for item in AgendaItem.objects.filter(forum=forum)
        .prefetch_related(people, "presenting_organisations")
        .order_by("starts_at", "pk")
    ]
    checkins = checkin_counts(forum)
    survey = Survey.objects.filter(forum=forum).first()
    results = survey_results(survey, names=False) if survey is not None else None
    ratings = results.workshops if results is not None else {}
    facilitators = Prefetch("facilitators", queryset=Person.objects.select_related("organisation"))
    workshops = [
        ReportWorkshop(
            code=w.code,
            title=w.title,
            facilitators=_names(w.facilitators.all()),
            registered=w.seats_taken,
            attended=checkins.workshops.get(w.pk, 0),
            rating=ratings[w.code].display if w.code in ratings else "",
            ratings=ratings[w.code].n if w.code in ratings else 0,
        )
        for w in Workshop.objects.filter(forum=forum)
        .prefetch_related(facilitators)
        .order_by("starts_at", "code")
    ]
    summary = results.summary if results is not None else None
    response_rate, response_rate_of = _response_rate_figure(summary)
    helpful, helpful_of = _helpful_figure(summary)
    comments = sorted(
        # Only those the secretariat published: the report goes to sponsors.
        {
            comment.text.strip()
            for _, comment in (results.comments if results else [])
            if comment.review == CommentReview.PUBLISHED
        }
        - {""},
        key=lambda text: (-len(text), text),
    )[:REPORT_COMMENTS]
    day = forum.local_date
    return ForumReport(
        title=forum.title,
        city=forum.city,
        country=str(forum.country.name),
        date=date_format(day, "FORUM_DAY"),
        time_zone=forum.time_zone,
        sponsors=[
            s.organisation.name
            for s in forum.sponsorships.select_related("organisation").order_by(
                "organisation__name"
            )
        ],
        supporters=[o.name for o in forum.supporters.order_by("name")],
        registered=counts.registered,
        attended=counts.attended,
        companies=companies,
        countries=sum(1 for c in country_rows if c.key),
        response_rate=response_rate,
        response_rate_of=response_rate_of,
        helpful=helpful,
        helpful_of=helpful_of,
        by_country=[(c.label, c.count) for c in country_rows],
        by_country_code={c.key: c.count for c in country_rows if c.key},
        by_category=_category_counts(attended),
        agenda=agenda,
        workshops=workshops,
        comments=comments,
        reach=programme_reach(as_of=day),
        reach_as_of=date_format(day, "FORUM_DAY"),
        letterhead=letterhead(),
    )
