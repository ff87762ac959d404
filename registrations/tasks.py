import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from registrations.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most six hours: a mail server down for a day still gets the mail."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def email_deliver(outgoing: OutgoingEmail) -> bool:
    """Send one stored e-mail. On failure, record the error and schedule the next attempt; after
    MAX_ATTEMPTS mark it failed (the admin can retry it). Returns whether it was sent."""
    message = EmailMultiAlternatives(
        subject=outgoing.subject, body=outgoing.body_text, to=[outgoing.to]
    )
    if outgoing.body_html:
        message.attach_alternative(outgoing.body_html, "text/html")
    if outgoing.ics:
        message.attach("forum.ics", outgoing.ics, "text/calendar; method=REQUEST")
    if outgoing.ics_cancel:
        message.attach("cancelled.ics", outgoing.ics_cancel, "text/calendar; method=CANCEL")
    try:
        message.send()
    except Exception as error:  # any transport error: keep the message, try again later
        logger.warning("E-mail %s to %s not sent: %s", outgoing.pk, outgoing.to, error)
        outgoing.attempts += 1
        outgoing.last_error = f"{type(error).__name__}: {error}"[:2000]
        if outgoing.attempts >= MAX_ATTEMPTS:
            outgoing.status = OutgoingEmail.Status.FAILED
            outgoing.next_attempt_at = None
        else:
            outgoing.next_attempt_at = timezone.now() + retry_delay(outgoing.attempts)
        outgoing.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        if outgoing.status == OutgoingEmail.Status.PENDING and default_task_backend.supports_defer:
            send_email.using(run_after=outgoing.next_attempt_at).enqueue(outgoing.pk)
        return False
    outgoing.attempts += 1
    outgoing.status = OutgoingEmail.Status.SENT
    outgoing.sent_at = timezone.now()
    outgoing.last_error = ""
    outgoing.next_attempt_at = None
    outgoing.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    return True


@task()
def send_email(outgoing_id: int) -> bool:
    with transaction.atomic():
        outgoing = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=outgoing_id, status=OutgoingEmail.Status.PENDING)
            .first()
        )
        if outgoing is None:  # already sent by an earlier run
            return True
    return email_deliver(outgoing)
