"""The feedback e-mails: the personal invitation to give feedback and the one reminder.

Queued in batches by the background tasks (feedback.tasks) as small outbox rows about the
invitation (its id is all they hold), and rendered by the worker right before the first send by
`feedback_email_render` (registered with the outbox in FeedbackConfig.ready): in the
registrant's language, the closing time in the forum's zone, with the personal link."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from feedback.enums import FeedbackEmailKind, SurveyStatus
from feedback.models import SurveyInvitation
from forums.forms import zone_label
from outbox.models import OutgoingEmail
from outbox.registry import RenderedEmail
from outbox.services import outgoing_email_queue

BATCH = 200


def _queue_batches(survey_id: int, kind: FeedbackEmailKind, mark: str) -> int:
    """Queue `kind` for every invitation selected below whose `mark` (sent_at or reminded_at)
    is empty, in transactions of BATCH; each invitation's mark is set by a conditional UPDATE
    in the same transaction as its outbox row, so that two runs never queue it twice."""
    queued = 0
    while True:
        pending = SurveyInvitation.objects.filter(
            survey_id=survey_id, survey__status=SurveyStatus.OPEN, **{f"{mark}__isnull": True}
        )
        if kind == FeedbackEmailKind.REMINDER:
            pending = pending.filter(responded_at__isnull=True, sent_at__isnull=False)
        batch = list(pending.select_related("registration__person").order_by("pk")[:BATCH])
        if not batch:
            return queued
        with transaction.atomic():
            now = timezone.now()
            for invitation in batch:
                taken = SurveyInvitation.objects.filter(
                    pk=invitation.pk, **{f"{mark}__isnull": True}
                ).update(**{mark: now})
                email = invitation.registration.person.email
                if not taken or not email:
                    continue
                outgoing_email_queue(
                    kind=kind,
                    to=email,
                    language=invitation.registration.language,
                    params={"invitation": invitation.pk},
                    about=invitation,
                )
                queued += 1


def invitations_queue(*, survey_id: int) -> int:
    """Queue the invitation e-mail of every invitation of an open survey not yet sent.

    Side effects: sets each one's sent_at; creates one unrendered OutgoingEmail each (none for a
    registrant without an address)."""
    return _queue_batches(survey_id, FeedbackEmailKind.INVITATION, "sent_at")


def reminders_queue(*, survey_id: int) -> int:
    """Queue the reminder of every invitation of an open survey that was sent, not answered and
    not yet reminded.

    Side effects: sets each one's reminded_at; creates one unrendered OutgoingEmail each."""
    return _queue_batches(survey_id, FeedbackEmailKind.REMINDER, "reminded_at")


def feedback_email_render(outgoing: OutgoingEmail) -> RenderedEmail:
    """Render a feedback e-mail: the outbox calls this in the worker right before the first
    send. Reads the database; changes nothing."""
    kind = FeedbackEmailKind(outgoing.kind)
    invitation = SurveyInvitation.objects.select_related(
        "survey__forum", "registration__person"
    ).get(pk=outgoing.params["invitation"])
    survey = invitation.survey
    forum = survey.forum
    language = outgoing.language or "en"
    with translation.override(language), timezone.override(forum.zone):
        context = {
            "LANGUAGE_CODE": language,
            "forum": forum,
            "person": invitation.registration.person,
            "survey": survey,
            "answer_url": settings.SITE_URL
            + reverse("feedback:answer", kwargs={"secret": invitation.secret}),
            "closes_at": survey.closes_at,
            "zone": zone_label(forum.zone, survey.closes_at),
        }
        name = "invitation" if kind == FeedbackEmailKind.INVITATION else "reminder"
        subject = render_to_string(f"feedback/email/{name}_subject.txt", context)
        body_text = render_to_string(f"feedback/email/{name}.txt", context)
        body_html = render_to_string(f"feedback/email/{name}.html", context)
    return RenderedEmail(" ".join(subject.split()), body_text, body_html)
