"""The outbox: every e-mail is stored as an OutgoingEmail first and sent by a background task
after commit.

A message is stored either rendered (`outgoing_email_create`) or as a small row that its kind's
renderer turns into the message in the worker, right before the first send
(`outgoing_email_queue`), so that a use case holding a lock spends no time on templates or
calendars. The rendered message is stored on the row: every retry sends the same message.

A worker sending a message holds a lease on it (claimed_until), taken with one conditional
UPDATE, so two workers never send the same message and a sent one is never sent again. A
message whose worker died mid-send, or whose task was lost, is queued again by the sweep
(`outbox_requeue`), which every worker started with `manage.py worker` runs at start and then
every OUTBOX_SWEEP_SECONDS (outbox/sweep.py).

Logs name messages by id, never by address."""

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import default_task_backend

from outbox import tasks
from outbox.enums import EmailStatus
from outbox.models import OutgoingEmail
from outbox.registry import email_kind_check, email_renderer

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most six hours: a mail server down for a day still gets the mail."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def _about(about: models.Model | None) -> dict[str, Any]:
    if about is None:
        return {"about_type": None, "about_id": None}
    return {"about_type": ContentType.objects.get_for_model(about), "about_id": about.pk}


def outgoing_email_create(
    *,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    ics: str = "",
    ics_cancel: str = "",
    about: models.Model | None = None,
    language: str = "",
) -> OutgoingEmail:
    """Store one e-mail, rendered by the caller, in the outbox.

    Side effects: creates a pending OutgoingEmail; after commit, enqueues `send_email` for it.
    Raises KindNotRegistered for a kind no app registered."""
    email_kind_check(kind, rendered_later=False)
    outgoing = OutgoingEmail.objects.create(
        kind=kind,
        to=to,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        ics=ics,
        ics_cancel=ics_cancel,
        **_about(about),
    )
    transaction.on_commit(partial(tasks.send_email.enqueue, outgoing.pk))
    return outgoing


def outgoing_email_queue(
    *,
    kind: str,
    to: str,
    language: str,
    params: dict[str, Any],
    about: models.Model | None = None,
) -> OutgoingEmail:
    """Queue one e-mail to be rendered later: by the renderer its kind's app registered, in
    the worker, right before the first send, in `language`. `params` (JSON) is all the renderer
    gets besides the row, so it holds whatever must be as it was when the message was queued.

    Side effects: creates a pending, unrendered OutgoingEmail (renders nothing); after commit,
    enqueues `send_email` for it. Raises KindNotRegistered for a kind without a renderer."""
    email_kind_check(kind, rendered_later=True)
    outgoing = OutgoingEmail.objects.create(
        kind=kind, to=to, language=language, params=params, rendered=False, **_about(about)
    )
    transaction.on_commit(partial(tasks.send_email.enqueue, outgoing.pk))
    return outgoing


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _claim(outgoing_id: int, *, statuses: list[str], due: bool) -> datetime | None:
    """Take the lease on a message in one of `statuses` that no worker holds (with `due`, only
    once its next attempt time has come), counting the attempt. One conditional UPDATE: of two
    workers only one gets it. Returns the end of the lease, or None if not taken."""
    now = timezone.now()
    until = now + _lease()
    free = OutgoingEmail.objects.filter(pk=outgoing_id, status__in=statuses).filter(
        Q(claimed_until=None) | Q(claimed_until__lt=now)
    )
    if due:
        free = free.filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
    taken = free.update(claimed_until=until, attempts=F("attempts") + 1)
    return until if taken else None


class _LeaseLost(Exception):
    """Another worker took the message over while this one was rendering it."""


def _render(outgoing: OutgoingEmail, lease_until: datetime) -> None:
    """Render a message this worker holds the lease on, and store what it will send."""
    # A savepoint: a renderer's database error must not break a caller's transaction (the
    # admin's "retry now" runs in the request's).
    with transaction.atomic():
        rendered = email_renderer(outgoing.kind)(outgoing)
    changes = {
        "subject": rendered.subject,
        "body_text": rendered.body_text,
        "body_html": rendered.body_html,
        "ics": rendered.ics,
        "ics_cancel": rendered.ics_cancel,
        "rendered": True,
    }
    stored = OutgoingEmail.objects.filter(
        pk=outgoing.pk, claimed_until=lease_until, rendered=False
    ).update(**changes)
    if not stored:
        raise _LeaseLost
    for name, value in changes.items():
        setattr(outgoing, name, value)


def _message(outgoing: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=outgoing.subject, body=outgoing.body_text, to=[outgoing.to]
    )
    if outgoing.body_html:
        message.attach_alternative(outgoing.body_html, "text/html")
    if outgoing.ics:
        message.attach("forum.ics", outgoing.ics, "text/calendar; method=REQUEST")
    if outgoing.ics_cancel:
        message.attach("cancelled.ics", outgoing.ics_cancel, "text/calendar; method=CANCEL")
    return message


def _send(outgoing: OutgoingEmail, lease_until: datetime) -> bool:
    """Render (if need be) and send a message this worker holds the lease on, and record the
    outcome."""
    try:
        if not outgoing.rendered:
            _render(outgoing, lease_until)
        _message(outgoing).send()
    except _LeaseLost:
        logger.warning("E-mail %s: another worker took it over while it was rendered", outgoing.pk)
        return False
    except Exception as error:  # any rendering or transport error: keep it, try again later
        _record_failure(outgoing, lease_until, error)
        return False
    outgoing.status = EmailStatus.SENT
    outgoing.sent_at = timezone.now()
    outgoing.last_error = ""
    outgoing.next_attempt_at = None
    outgoing.claimed_until = None
    # The message has gone: record it even if the lease ran out meanwhile.
    outgoing.save(
        update_fields=["status", "sent_at", "last_error", "next_attempt_at", "claimed_until"]
    )
    return True


def _record_failure(outgoing: OutgoingEmail, lease_until: datetime, error: Exception) -> None:
    # The error text may hold the address (SMTPRecipientsRefused does): the log gets its class.
    logger.warning(
        "E-mail %s not sent (attempt %s of %s): %s",
        outgoing.pk,
        outgoing.attempts,
        MAX_ATTEMPTS,
        type(error).__name__,
    )
    outgoing.last_error = f"{type(error).__name__}: {error}"[:2000]
    outgoing.claimed_until = None
    if outgoing.attempts >= MAX_ATTEMPTS:
        outgoing.status = EmailStatus.FAILED
        outgoing.next_attempt_at = None
    else:
        outgoing.status = EmailStatus.PENDING
        outgoing.next_attempt_at = timezone.now() + retry_delay(outgoing.attempts)
    recorded = OutgoingEmail.objects.filter(pk=outgoing.pk, claimed_until=lease_until).update(
        status=outgoing.status,
        last_error=outgoing.last_error,
        next_attempt_at=outgoing.next_attempt_at,
        claimed_until=None,
    )
    if recorded and outgoing.status == EmailStatus.PENDING and default_task_backend.supports_defer:
        retry = tasks.send_email.using(run_after=outgoing.next_attempt_at)
        transaction.on_commit(partial(retry.enqueue, outgoing.pk))


def email_deliver(outgoing: OutgoingEmail) -> bool:
    """Send one stored e-mail now, also one that failed for good (the admin's "retry now"),
    unless it has been sent or another worker is sending it. Returns whether it was sent.

    Side effects: counts the attempt; renders the message first if it is not yet rendered and
    stores what it rendered; marks the message sent, or records the error and the next attempt
    time (failed after MAX_ATTEMPTS); after a failure, enqueues the retry if the task queue can
    defer; refreshes `outgoing` from the database."""
    lease_until = _claim(outgoing.pk, statuses=[EmailStatus.PENDING, EmailStatus.FAILED], due=False)
    if lease_until is None:
        return False
    outgoing.refresh_from_db()
    return _send(outgoing, lease_until)


def email_send_due(*, outgoing_id: int) -> bool:
    """Send a pending message whose time has come, unless another worker is sending it (the
    `send_email` task). Returns whether this run sent it.

    Side effects as `email_deliver`, but for a pending message only."""
    lease_until = _claim(outgoing_id, statuses=[EmailStatus.PENDING], due=True)
    if lease_until is None:  # sent, failed for good, being sent, or not due yet
        return False
    return _send(OutgoingEmail.objects.get(pk=outgoing_id), lease_until)


def outbox_requeue() -> list[int]:
    """Queue again the pending messages that were lost: those whose worker died while sending
    (its lease ran out) and those that waited a whole lease past their time with no worker
    taking them (their task was lost). Returns their ids.

    Side effects: sets each one's next attempt time to now, so that the next sweep leaves it to
    the task queued here; a message whose worker died on its last attempt is marked failed
    instead; after commit, enqueues `send_email` for each message queued again."""
    now = timezone.now()
    waited_too_long = now - _lease()
    lost = OutgoingEmail.objects.filter(status=EmailStatus.PENDING).filter(
        Q(claimed_until__lt=now)
        | Q(claimed_until=None, next_attempt_at__lt=waited_too_long)
        | Q(claimed_until=None, next_attempt_at=None, created_at__lt=waited_too_long)
    )
    requeued = []
    for outgoing in lost.order_by("pk").only("pk", "attempts", "claimed_until"):
        changes: dict[str, Any] = {"claimed_until": None, "next_attempt_at": now}
        if outgoing.claimed_until is not None:
            changes["last_error"] = "The worker stopped while sending."
            if outgoing.attempts >= MAX_ATTEMPTS:
                changes.update(status=EmailStatus.FAILED, next_attempt_at=None)
        # Conditional on still being lost: a worker may have taken it since the query.
        if lost.filter(pk=outgoing.pk).update(**changes) and "status" not in changes:
            requeued.append(outgoing.pk)
            transaction.on_commit(partial(tasks.send_email.enqueue, outgoing.pk))
    if requeued:
        logger.info("Outbox: queued again e-mails %s", requeued)
    return requeued
