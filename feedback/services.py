"""Every write of the feedback app: a forum's survey from the template, opening it (one
invitation per attendee, one e-mail each), the reminder, closing, and answers, given online
through the personal link or typed in from paper forms.

"Who answered" (SurveyInvitation.responded_at) is kept apart from "what was answered"
(Response, Answer). In an anonymous survey nothing stored links the two (see the
SurveyInvitation docstring for the design): a response has no invitation, no language and no
time but the survey's own (`anonymous_moment`); the invitation keeps only that it was used, as
that same moment; and every write that marks an invitation used rewrites all the survey's
invitations in one statement, so that they share one transaction id (PostgreSQL's xmin) and keep
their physical and id order, which is that of their creation, never that of the answers. Such
an answer cannot be changed later: nothing says any more which response is whose."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.utils import timezone

from attendance.selectors import attendees
from audit.services import Actor, audit_record, audit_record_many
from feedback import tasks
from feedback.defaults import default_questions
from feedback.enums import CommentReview, QuestionKind, ResponseSource, SurveyStatus
from feedback.forms import AnswerValue
from feedback.models import Answer, Question, Response, Survey, SurveyInvitation
from feedback.selectors import registration_attended, survey_accepting_answers
from forums.models import Forum
from registrations.models import Registration


class FeedbackRefused(Exception):
    """A request the survey's state does not allow; `reason` says which (a code for the page)."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


# Reasons an answer is refused.
NOT_OPEN = "not_open"
CLOSED = "closed"
NOT_ATTENDED = "not_attended"
ALREADY_ANSWERED = "already_answered"


def anonymous_moment(survey: Survey) -> datetime:
    """All an anonymous survey keeps of when anything was answered: the forum's start, the
    same for every response and every invitation used, so that no time orders them."""
    return survey.forum.starts_at


def _invitations_lock(survey: Survey) -> None:
    """Lock every invitation of the survey, in id order (the order the e-mail tasks take them
    in), before an anonymous answer rewrites them all: two answers at once then wait for each
    other instead of deadlocking."""
    list(
        SurveyInvitation.objects.select_for_update()
        .filter(survey=survey)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _invitations_for_attendees(survey: Survey) -> None:
    """Before a named paper form of an anonymous survey: an invitation (no e-mail) for every
    attendee who has none, all at once in registration order. Made one by one as forms come
    in, their ids and creation times would follow the order of the answers."""
    invited = SurveyInvitation.objects.filter(survey=survey).values("registration_id")
    new = attendees(survey.forum).exclude(pk__in=invited).order_by("pk")
    SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(survey=survey, registration_id=pk) for (pk,) in new.values_list("pk")],
        ignore_conflicts=True,
    )


# Not durable: the admin's add form calls it inside the transaction of its own save.
@transaction.atomic
def survey_create(*, forum: Forum, by: Actor) -> Survey:
    """The forum's survey, copied from the default template (feedback.defaults) with the forum's
    workshops as topic choices. A forum that already has one gets it back unchanged.

    Side effects: on creation, creates the Survey (a draft) and its Questions and writes one
    audit entry ("survey.created"). Sends nothing."""
    Forum.objects.select_for_update().filter(pk=forum.pk).first()
    survey = Survey.objects.filter(forum=forum).first()
    if survey is not None:
        return survey
    survey = Survey.objects.create(forum=forum)
    Question.objects.bulk_create(
        Question(survey=survey, **values) for values in default_questions(forum)
    )
    audit_record(by=by, action="survey.created", subject=survey)
    return survey


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().select_related("forum").get(pk=survey.pk)


def _invite_attendees(survey: Survey) -> int:
    """One invitation for each attendee who has none; their e-mails go out in the background
    after commit. Returns how many invitations were made."""
    invited = SurveyInvitation.objects.filter(survey=survey).values("registration_id")
    new = list(attendees(survey.forum).exclude(pk__in=invited).values_list("pk", flat=True))
    SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(survey=survey, registration_id=pk) for pk in new],
        ignore_conflicts=True,
    )
    transaction.on_commit(partial(tasks.survey_invitations_send.enqueue, survey.pk))
    return len(new)


@transaction.atomic(durable=True)
def survey_open(*, survey: Survey, by: Actor, closes_at: datetime | None = None) -> int:
    """Open the survey for answers, until `closes_at` if given, and invite every registration
    of the forum that was checked in at the door (and not undone, and not cancelled): only
    those who came. Opening a survey already open invites the attendees not yet invited.
    Raises FeedbackRefused("closed") for a closed survey. Returns how many were invited.

    Side effects: sets status, opened_at (and closes_at); creates one SurveyInvitation per
    attendee not yet invited; sets invitations_queued_at; writes one audit entry
    ("survey.opened", with the number invited). After commit, a background task queues one
    invitation e-mail per invitation not yet sent (in the registrant's language), marking
    each invitation's sent_at as it goes, so that none is sent twice."""
    survey = _lock(survey)
    if survey.status == SurveyStatus.CLOSED:
        raise FeedbackRefused(CLOSED, "This survey is closed; it cannot be opened again.")
    now = timezone.now()
    if survey.status != SurveyStatus.OPEN:
        survey.status = SurveyStatus.OPEN
        survey.opened_at = now
    if closes_at is not None:
        survey.closes_at = closes_at
    survey.invitations_queued_at = survey.invitations_queued_at or now
    survey.save(update_fields=["status", "opened_at", "closes_at", "invitations_queued_at"])
    invited = _invite_attendees(survey)
    audit_record(by=by, action="survey.opened", subject=survey, data={"invited": invited})
    return invited


@transaction.atomic(durable=True)
def survey_invite_new_attendees(*, survey: Survey, by: Actor) -> int:
    """Invite those checked in at the door since the survey opened (late check-ins, a list
    imported afterwards). Only while the survey is open; returns how many were invited.

    Side effects: creates their SurveyInvitations and writes one audit entry
    ("survey.invited_new", with the number); after commit, their e-mails are queued in the
    background as for `survey_open`."""
    survey = _lock(survey)
    if survey.status != SurveyStatus.OPEN:
        raise FeedbackRefused(NOT_OPEN, "Open the survey first: that invites every attendee.")
    invited = _invite_attendees(survey)
    audit_record(by=by, action="survey.invited_new", subject=survey, data={"invited": invited})
    return invited


def survey_remind(*, survey: Survey, by: Actor) -> bool:
    """Send the one reminder to everyone invited who has not answered. The survey's
    `reminders_queued_at` is set by a conditional UPDATE (only where it is empty, on an open
    survey), so of two calls, at once or one after the other, only the first does anything.
    Returns whether this call sent the reminder.

    Side effects: sets reminders_queued_at; writes one audit entry ("survey.reminded"). After
    commit, a background task queues one reminder e-mail per invitation not answered and not
    yet reminded, setting each one's reminded_at by a conditional UPDATE of its own."""
    with transaction.atomic(durable=True):
        now = timezone.now()
        taken = Survey.objects.filter(
            pk=survey.pk, status=SurveyStatus.OPEN, reminders_queued_at__isnull=True
        ).update(reminders_queued_at=now)
        if not taken:
            return False
        audit_record(by=by, action="survey.reminded", subject=survey)
        transaction.on_commit(partial(tasks.survey_reminders_send.enqueue, survey.pk))
    survey.reminders_queued_at = now
    return True


@transaction.atomic(durable=True)
def survey_close(*, survey: Survey, by: Actor) -> Survey:
    """Close the survey: no answer can be given or changed afterwards.

    Side effects: sets status and closed_at; writes one audit entry ("survey.closed"). Sends
    nothing."""
    survey = _lock(survey)
    if survey.status != SurveyStatus.CLOSED:
        survey.status = SurveyStatus.CLOSED
        survey.closed_at = timezone.now()
        survey.save(update_fields=["status", "closed_at"])
        audit_record(by=by, action="survey.closed", subject=survey)
    return survey


# --- answers -------------------------------------------------------------------------------


def _answers_write(response: Response, values: list[AnswerValue]) -> None:
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=value.item.question,
            workshop=value.item.workshop,
            facilitator=value.item.facilitator,
            number=value.number,
            choices=list(value.choices),
            text=value.text,
        )
        for value in values
    )


def _response_new(
    survey: Survey,
    *,
    invitation: SurveyInvitation | None,
    source: str,
    language: str,
    now: datetime,
) -> Response:
    """A new response; in an anonymous survey without its invitation, its language or its
    time of day."""
    if survey.anonymous:
        moment = anonymous_moment(survey)
        response = Response.objects.create(
            survey=survey, invitation=None, source=source, language="", submitted_at=moment
        )
        # updated_at is set to the moment by auto_now: replace it too.
        Response.objects.filter(pk=response.pk).update(updated_at=moment)
        return response
    return Response.objects.create(
        survey=survey, invitation=invitation, source=source, language=language, submitted_at=now
    )


def _mark_responded(invitation: SurveyInvitation, survey: Survey, now: datetime) -> None:
    """Record that the invitation was used. In an anonymous survey every invitation of the
    survey is rewritten by the one statement (the caller holds their locks: _invitations_lock),
    so that this row's transaction id is that of all the others, not only of the answers."""
    if not survey.anonymous:
        invitation.responded_at = now
        invitation.save(update_fields=["responded_at"])
        return
    moment = anonymous_moment(survey)
    SurveyInvitation.objects.filter(survey=survey).update(
        responded_at=Case(When(pk=invitation.pk, then=Value(moment)), default=F("responded_at"))
    )
    invitation.responded_at = moment


@transaction.atomic(durable=True)
def response_submit(
    *,
    invitation: SurveyInvitation,
    values: list[AnswerValue],
    language: str,
    now: datetime | None = None,
) -> Response:
    """Store what the invited person answered through their link, or replace their earlier
    answers (not in an anonymous survey). Locks the invitation, so two submissions at once are
    taken one after the other. Raises FeedbackRefused when the survey is not open or closed,
    when the person's check-in was undone, or when an anonymous survey was already answered.

    Side effects: creates the Response (linked to the invitation unless the survey is
    anonymous) and its Answers, or replaces the Answers of the earlier one; sets the
    invitation's responded_at. Sends nothing; records no audit entry (the registrant's own
    answers)."""
    now = now or timezone.now()
    if Survey.objects.filter(pk=invitation.survey_id, anonymous=True).exists():
        _invitations_lock(invitation.survey)
    invitation = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("survey__forum", "registration")
        .get(pk=invitation.pk)
    )
    survey = invitation.survey
    if not survey_accepting_answers(survey, now):
        raise FeedbackRefused(NOT_OPEN if survey.status == SurveyStatus.DRAFT else CLOSED)
    if not registration_attended(invitation.registration):
        raise FeedbackRefused(NOT_ATTENDED)
    if survey.anonymous:
        if invitation.responded_at is not None:
            raise FeedbackRefused(ALREADY_ANSWERED)
        response = _response_new(
            survey, invitation=None, source=ResponseSource.WEB, language="", now=now
        )
    else:
        earlier = Response.objects.filter(invitation=invitation).first()
        if earlier is None:
            response = _response_new(
                survey,
                invitation=invitation,
                source=ResponseSource.WEB,
                language=language,
                now=now,
            )
        else:
            response = earlier
            response.answers.all().delete()
            response.language = language
            response.save(update_fields=["language", "updated_at"])
    _answers_write(response, values)
    if invitation.responded_at is None:
        _mark_responded(invitation, survey, now)
    return response


@dataclass(frozen=True)
class PaperResponse:
    """One paper form: who filled it in (None when the survey is anonymous and no address was
    given) and the answers."""

    registration: Registration | None
    values: list[AnswerValue]


def paper_invitation(survey: Survey, registration: Registration) -> SurveyInvitation:
    """The invitation of a registration that answered on paper, made if it has none (a paper
    form handed out on the day needs no e-mail)."""
    invitation, _ = SurveyInvitation.objects.get_or_create(survey=survey, registration=registration)
    return invitation


def paper_refusal(survey: Survey, registration: Registration) -> str | None:
    """Why a paper form cannot be recorded for this registration, or None."""
    if registration.forum_id != survey.forum_id:
        return "This person is not registered for this forum."
    if not registration_attended(registration):
        return (
            "This person was not checked in at this forum. Check them in first if they came, "
            "then enter the form again."
        )
    answered = SurveyInvitation.objects.filter(
        survey=survey, registration=registration, responded_at__isnull=False
    ).exists()
    if answered:
        return "This person has already answered (online or on paper)."
    return None


def _paper_write(survey: Survey, entry: PaperResponse, *, source: str, now: datetime) -> Response:
    invitation = None
    if entry.registration is not None:
        if survey.anonymous:
            _invitations_for_attendees(survey)
        invitation = paper_invitation(survey, entry.registration)
        _mark_responded(invitation, survey, now)
    response = _response_new(
        survey,
        invitation=invitation,
        source=source,
        language=entry.registration.language if entry.registration else "",
        now=now,
    )
    _answers_write(response, entry.values)
    return response


@transaction.atomic(durable=True)
def response_enter_paper(*, survey: Survey, entry: PaperResponse, by: Actor) -> Response:
    """Record one paper form typed in by the secretariat. Raises FeedbackRefused (with the
    reason as message) for a person who did not attend or already answered, or when the
    survey is not anonymous and no person is given.

    Side effects: creates the Response (source "paper") and its Answers; for a named person,
    creates their invitation if need be (no e-mail) and sets its responded_at; writes one
    audit entry ("survey.paper_entered") on the survey, which names no response in an
    anonymous survey."""
    survey = _lock(survey)
    if entry.registration is None and not survey.anonymous:
        raise FeedbackRefused("email", "Enter the e-mail address the person registered with.")
    if survey.anonymous:
        # Not the registration's row: a lock marks it with this transaction's id, the very id
        # the anonymous response is written with.
        _invitations_lock(survey)
    elif entry.registration is not None:
        Registration.objects.select_for_update().filter(pk=entry.registration.pk).first()
    if entry.registration is not None:
        refusal = paper_refusal(survey, entry.registration)
        if refusal:
            raise FeedbackRefused("email", refusal)
    response = _paper_write(survey, entry, source=ResponseSource.PAPER, now=timezone.now())
    audit_record(
        by=by,
        action="survey.paper_entered",
        subject=survey,
        data={} if survey.anonymous else {"response": response.pk},
    )
    return response


@transaction.atomic(durable=True)
def responses_import(*, survey: Survey, entries: list[PaperResponse], by: Actor) -> int:
    """Record checked paper forms from an import, all in one transaction (the caller checked
    every row: see feedback.imports). Raises FeedbackRefused, and writes nothing, if a person
    answered meanwhile.

    Side effects: as `response_enter_paper` for each (source "import"); one audit entry
    ("survey.imported", with the number of responses)."""
    survey = _lock(survey)
    if survey.anonymous:
        _invitations_lock(survey)
    now = timezone.now()
    for entry in entries:
        if entry.registration is not None:
            refusal = paper_refusal(survey, entry.registration)
            if refusal:
                raise FeedbackRefused("email", refusal)
        _paper_write(survey, entry, source=ResponseSource.IMPORT, now=now)
    audit_record(by=by, action="survey.imported", subject=survey, data={"responses": len(entries)})
    return len(entries)


# What a one-click redaction puts in place of an e-mail address or a name.
REDACTED = "[…]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def review_answers(survey: Survey) -> QuerySet[Answer]:
    """The free-text answers of `survey` that say something: what the review page lists."""
    return Answer.objects.filter(
        response__survey=survey, question__survey=survey, question__kind=QuestionKind.TEXT
    ).exclude(text="")


@transaction.atomic(durable=True)
def comment_review(*, survey: Survey, answer_ids: list[int], review: str, by: Actor) -> int:
    """Set the review state (published, private or hidden) of these free-text answers of
    `survey`; ids of other surveys' answers are ignored. Writes one AuditEntry per answer
    changed ("feedback.comment_reviewed", with the new state); sends nothing. Returns how many
    changed."""
    if review not in CommentReview.values:
        raise ValueError(review)
    answers = list(review_answers(survey).filter(pk__in=answer_ids).exclude(review=review))
    Answer.objects.filter(pk__in=[a.pk for a in answers]).update(review=review)
    audit_record_many(
        by=by, action="feedback.comment_reviewed", subjects=answers, data={"review": review}
    )
    return len(answers)


def redacted(text: str, names: Iterable[str]) -> str:
    """`text` with its e-mail addresses and the given names (whole words, any case) replaced
    by REDACTED; longer names first, so a full name goes as one."""
    text = _EMAIL.sub(REDACTED, text)
    for name in sorted({n.strip() for n in names if len(n.strip()) > 1}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
    return text


def forum_registered_names(forum: Forum) -> set[str]:
    """The full names, first names and last names of everyone registered for `forum`."""
    names: set[str] = set()
    for first, last in Registration.objects.filter(forum=forum).values_list(
        "person__first_name", "person__last_name"
    ):
        names.update({first or "", last or "", f"{first or ''} {last or ''}".strip()})
    return names - {""}


@transaction.atomic(durable=True)
def comment_redact(*, answer: Answer, by: Actor, text: str | None = None) -> bool:
    """Replace a free-text answer's text: with `text` (the secretariat's own edit) or, when
    None, with the same text whose e-mail addresses and names of people registered for the
    forum are replaced by REDACTED. The original is not kept anywhere, for the respondents'
    anonymity. Writes an AuditEntry ("feedback.comment_redacted", saying how, never what the
    text was) when the text changed; sends nothing. Returns whether it changed."""
    locked = Answer.objects.select_for_update().get(pk=answer.pk)
    if text is None:
        new_text = redacted(locked.text, forum_registered_names(answer.response.survey.forum))
        how = "automatic"
    else:
        new_text, how = text, "edited"
    if new_text == locked.text:
        return False
    locked.text = new_text
    locked.save(update_fields=["text"])
    answer.text = new_text
    audit_record(by=by, action="feedback.comment_redacted", subject=locked, data={"how": how})
    return True
