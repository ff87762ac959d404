"""What the secretariat's pages show: where each forum is in its life, its live figures, and what
needs attention. Every figure is read through the selector its own page uses (attendance,
registrations, feedback), so the desk and those pages always agree."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.selectors import HELD_STATUSES, attendance_counts_by_forum
from companies.models import PossibleDuplicate
from feedback.enums import SurveyStatus
from feedback.models import Response, Survey
from forums.enums import ForumStatus
from forums.models import Forum
from outbox.models import OutgoingEmail
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.selectors import with_waiting_count
from workshops.models import Workshop

# A forum's life, in order: (key, name, what it means).
STAGES = [
    ("draft", _("Draft"), _("Not public yet.")),
    ("open", _("Registration open"), _("Published; suppliers can register.")),
    ("closed", _("Full or closed"), _("Every seat is taken, or registration has closed.")),
    ("day", _("The day"), _("The forum's day has come: badges, check-in, walk-ins.")),
    ("held", _("Held"), _("Marked held: whoever did not come is a no-show.")),
    ("feedback", _("Feedback"), _("The survey is open.")),
    ("reported", _("Reported"), _("The survey is closed: results and the report are final.")),
]
STAGE_KEYS = [key for key, _name, _meaning in STAGES]

# A held forum whose survey is not open yet needs attention for this long after its day; later,
# asking for feedback no longer makes sense.
SURVEY_DUE_FOR = timedelta(days=90)


def forum_stage(forum: Forum, survey_status: str | None, now: datetime) -> str:
    """The key of the stage `forum` is at (see STAGES). The day is the forum's start date in its
    own zone; a forum not marked held stays at "the day" after it, until it is marked."""
    if forum.status == ForumStatus.DRAFT:
        return "draft"
    if forum.status in HELD_STATUSES:
        if survey_status == SurveyStatus.CLOSED:
            return "reported"
        if survey_status == SurveyStatus.OPEN:
            return "feedback"
        return "held"
    if forum.local_date <= now.astimezone(forum.zone).date():
        return "day"
    if forum.status == ForumStatus.REGISTRATION_CLOSED or forum.seats_taken >= forum.capacity:
        return "closed"
    return "open"


@dataclass(frozen=True)
class DeskFigures:
    # Holding a forum seat (confirmed), as on the forum overview and the check-in page.
    registered: int
    capacity: int
    # On the forum's waiting list.
    waiting: int
    # Checked in at the door (attendance.selectors.has_attended).
    checked_in: int
    # Survey responses, online and on paper (the results page's "responses").
    answered: int


@dataclass(frozen=True)
class DeskForum:
    forum: Forum
    stage: str
    figures: DeskFigures

    @property
    def stage_name(self) -> str:
        return str(STAGES[STAGE_KEYS.index(self.stage)][1])


def desk_forums(forums: Iterable[Forum], now: datetime | None = None) -> list[DeskForum]:
    """Each forum with its stage and figures, in a constant number of queries."""
    now = now or timezone.now()
    forums = list(forums)
    ids = [forum.pk for forum in forums]
    attendance = attendance_counts_by_forum(forums)
    waiting = dict(
        Registration.objects.filter(forum_id__in=ids, status=RegistrationStatus.WAITLISTED)
        .order_by()
        .values_list("forum_id")
        .annotate(n=Count("pk"))
    )
    answered = dict(
        Response.objects.filter(survey__forum_id__in=ids)
        .order_by()
        .values_list("survey__forum_id")
        .annotate(n=Count("pk"))
    )
    surveys = dict(Survey.objects.filter(forum_id__in=ids).values_list("forum_id", "status"))
    return [
        DeskForum(
            forum=forum,
            stage=forum_stage(forum, surveys.get(forum.pk), now),
            figures=DeskFigures(
                registered=attendance[forum.pk].registered,
                capacity=forum.capacity,
                waiting=waiting.get(forum.pk, 0),
                checked_in=attendance[forum.pk].attended,
                answered=answered.get(forum.pk, 0),
            ),
        )
        for forum in forums
    ]


def desk_forum(forum: Forum, now: datetime | None = None) -> DeskForum:
    return desk_forums([forum], now)[0]


def upcoming_forums(now: datetime) -> QuerySet[Forum]:
    """Forums not over yet, soonest first."""
    return Forum.objects.filter(ends_at__gte=now).order_by("starts_at", "pk")


def past_forums(now: datetime) -> QuerySet[Forum]:
    """Forums that are over, latest first."""
    return Forum.objects.filter(ends_at__lt=now).order_by("-starts_at", "-pk")


@dataclass(frozen=True)
class FullWorkshop:
    workshop: Workshop
    waiting: int


@dataclass(frozen=True)
class Attention:
    # Company pairs the matching was unsure of, waiting for a decision.
    possible_duplicates: int
    # E-mails that failed after every retry.
    failed_emails: int
    # Workshops of forums not over yet whose every seat is taken and someone waits.
    full_workshops: list[FullWorkshop]
    # Forums held in the last SURVEY_DUE_FOR whose survey is not open yet.
    surveys_to_open: list[Forum]

    @property
    def count(self) -> int:
        return (
            (self.possible_duplicates > 0)
            + (self.failed_emails > 0)
            + len(self.full_workshops)
            + len(self.surveys_to_open)
        )


def attention(now: datetime | None = None) -> Attention:
    now = now or timezone.now()
    full = (
        with_waiting_count(Workshop.objects.filter(forum__ends_at__gte=now))
        # Someone confirmed for the forum waits only where every seat is taken: seats freed
        # are given to the next in line in the same transaction (registrations.seats.settle).
        .filter(**{"waiting_count__gt": 0})
        .select_related("forum")
        .order_by("forum__starts_at", "starts_at", "code")
    )
    surveys_to_open = (
        Forum.objects.filter(
            status=ForumStatus.HELD, starts_at__gte=now - SURVEY_DUE_FOR, starts_at__lt=now
        )
        .exclude(survey__status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED])
        .order_by("-starts_at")
    )
    return Attention(
        possible_duplicates=PossibleDuplicate.objects.filter(
            status=PossibleDuplicate.Status.OPEN
        ).count(),
        failed_emails=OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count(),
        full_workshops=[
            FullWorkshop(workshop=w, waiting=w.waiting_count)  # type: ignore[attr-defined]
            for w in full
        ],
        surveys_to_open=list(surveys_to_open),
    )
