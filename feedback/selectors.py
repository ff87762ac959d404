"""Reads of the feedback app used to collect answers: who may be invited, a survey's questions,
the person behind a link, what they answered, and how far the e-mails have gone."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from attendance.models import CheckIn
from attendance.selectors import attended_forum, attended_workshops
from feedback.enums import FeedbackEmailKind, SurveyStatus
from feedback.forms import Item, survey_items
from feedback.models import Answer, Question, Response, Survey, SurveyInvitation
from forums.models import Forum
from outbox.enums import EmailStatus
from outbox.models import OutgoingEmail
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshops.models import Workshop

# new_secret() gives 43 URL-safe characters; anything else is not worth a database look-up.
_SECRET = re.compile(r"[A-Za-z0-9_-]{40,64}")


def survey_accepting_answers(survey: Survey, now: datetime | None = None) -> bool:
    """Open, and its closing time (if any) not yet reached."""
    now = now or timezone.now()
    return survey.status == SurveyStatus.OPEN and (
        survey.closes_at is None or survey.closes_at > now
    )


def forum_attendees(forum: Forum) -> QuerySet[Registration]:
    """Registrations of the forum checked in at the door (a check-in not undone), not
    cancelled: those a survey invites."""
    at_the_door = CheckIn.objects.filter(
        registration=OuterRef("pk"), workshop__isnull=True, undone_at__isnull=True
    )
    return Registration.objects.filter(Exists(at_the_door), forum=forum).exclude(
        status=RegistrationStatus.CANCELLED
    )


def registration_attended(registration: Registration) -> bool:
    return registration.status != RegistrationStatus.CANCELLED and attended_forum(registration)


def invitation_from_secret(secret: str) -> SurveyInvitation | None:
    if not _SECRET.fullmatch(secret or ""):
        return None
    return (
        SurveyInvitation.objects.select_related(
            "survey__forum", "registration__person", "registration__forum"
        )
        .filter(secret=secret)
        .first()
    )


def survey_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "id"))


def respondent_workshops(registration: Registration) -> list[Workshop]:
    """The workshops the person was checked in at, with their facilitators."""
    return list(attended_workshops(registration).prefetch_related("facilitators"))


def forum_workshops(forum: Forum) -> list[Workshop]:
    return list(
        Workshop.objects.filter(forum=forum)
        .order_by("starts_at", "code")
        .prefetch_related("facilitators")
    )


def respondent_items(survey: Survey, registration: Registration) -> list[Item]:
    return survey_items(survey_questions(survey), respondent_workshops(registration))


def response_of(invitation: SurveyInvitation) -> Response | None:
    """The response linked to the invitation (never for an anonymous survey)."""
    return Response.objects.filter(invitation=invitation).first()


def response_answers(response: Response) -> dict[tuple[int, int | None, int | None], Answer]:
    return {
        (a.question_id, a.workshop_id, a.facilitator_id): a
        for a in Answer.objects.filter(response=response)
    }


@dataclass(frozen=True)
class SurveyProgress:
    invited: int
    invitations_queued: int
    invitations_sent: int
    invitations_failed: int
    reminders_queued: int
    reminders_sent: int
    answered: int
    responses: int


def survey_progress(survey: Survey) -> SurveyProgress:
    """How far the invitations and reminders have gone: invitations made, e-mails queued in the
    outbox, e-mails sent and failed, and answers."""
    invitations = SurveyInvitation.objects.filter(survey=survey).aggregate(
        invited=Count("id"),
        queued=Count("id", filter=Q(sent_at__isnull=False)),
        reminded=Count("id", filter=Q(reminded_at__isnull=False)),
        answered=Count("id", filter=Q(responded_at__isnull=False)),
    )
    emails = OutgoingEmail.objects.filter(
        about_type=ContentType.objects.get_for_model(SurveyInvitation),
        about_id__in=SurveyInvitation.objects.filter(survey=survey).values("id"),
    ).aggregate(
        sent=Count("id", filter=Q(kind=FeedbackEmailKind.INVITATION, status=EmailStatus.SENT)),
        failed=Count("id", filter=Q(kind=FeedbackEmailKind.INVITATION, status=EmailStatus.FAILED)),
        reminders_sent=Count(
            "id", filter=Q(kind=FeedbackEmailKind.REMINDER, status=EmailStatus.SENT)
        ),
    )
    return SurveyProgress(
        invited=invitations["invited"],
        invitations_queued=invitations["queued"],
        invitations_sent=emails["sent"],
        invitations_failed=emails["failed"],
        reminders_queued=invitations["reminded"],
        reminders_sent=emails["reminders_sent"],
        answered=invitations["answered"],
        responses=Response.objects.filter(survey=survey).count(),
    )
