from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from outbox.enums import EmailStatus
from outbox.registry import email_kind_choices


class OutgoingEmail(models.Model):
    """An e-mail, kept until it has gone. A message that cannot be sent stays here and is
    retried; the secretariat sees what is pending or failed in the admin.

    A message is queued either rendered, or as its kind, address, language and the `params` its
    kind's renderer needs; the worker renders it right before the first send and stores the
    result here, so every retry sends the same message and the admin shows it."""

    Status = EmailStatus

    kind = models.CharField(max_length=40, choices=email_kind_choices)
    # What the message is about (a registration, a held registration…), for the admin and for
    # finding the messages about one thing; any app's model, so a generic reference.
    about_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    to = models.EmailField()
    language = models.CharField(max_length=10, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # False until the renderer has filled in the subject, the bodies and the calendars.
    rendered = models.BooleanField(default=True)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    ics = models.TextField(blank=True)
    # A second calendar object (METHOD:CANCEL) for events the recipient should drop: one
    # calendar object carries one iTIP method.
    ics_cancel = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker is sending; a lease that runs out means that worker died, and the
    # sweep puts the message back in the queue.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["about_type", "about_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.kind} → {self.to} ({self.status})"
