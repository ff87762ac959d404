import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.enums import CheckInSource, PdfKind, PdfRunStatus, RefusalReason
from forums.models import Forum
from registrations.models import Registration
from workshops.models import Workshop


@dataclass(frozen=True)
class CheckInWindow:
    """When a forum's check-in is open: from the start of its first day to the end of its last,
    in the forum's zone, widened on both sides by settings.CHECKIN_MARGIN_HOURS (badges handed
    out the evening before, scans sent late from a device that was offline)."""

    opens_at: dt.datetime
    closes_at: dt.datetime

    def refusal(self, now: dt.datetime | None = None) -> RefusalReason | None:
        """Why check-in is closed at `now` (the current time by default), or None while open."""
        now = now or timezone.now()
        if now < self.opens_at:
            return RefusalReason.NOT_OPEN_YET
        if now >= self.closes_at:
            return RefusalReason.FORUM_OVER
        return None


def checkin_window(forum: Forum) -> CheckInWindow:
    """`forum`'s check-in window (CheckInWindow). Midnight is taken in the forum's own zone, so
    a forum in Kuala Lumpur (UTC+8) opens eight hours before a UTC midnight would."""
    zone = forum.zone
    first_day = forum.starts_at.astimezone(zone).date()
    last_day = forum.ends_at.astimezone(zone).date()
    margin = dt.timedelta(hours=settings.CHECKIN_MARGIN_HOURS)
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return CheckInWindow(opens_at=start - margin, closes_at=end + margin)


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def bulk_create(self, objs, *args, **kwargs):
        # The forum is the registration's, copied so that nonces can be unique per forum.
        objs = list(objs)
        for checkin in objs:
            if checkin.forum_id is None:
                checkin.forum_id = checkin.registration.forum_id
        return super().bulk_create(objs, *args, **kwargs)


class CheckIn(models.Model):
    """A registrant seen at the forum's door (no workshop) or at one workshop. An undo is
    recorded on the row, which stays."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="checkins"
    )
    # Always the registration's forum (filled in on save): a nonce is unique within a forum
    # and a device, and a constraint can only name the row's own columns.
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="+")
    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="checkins", null=True, blank=True
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    device = models.CharField(max_length=100, blank=True)
    # Chosen by the client for each scan, so that a request sent again counts once. Unique per
    # forum and device: the same nonce from another device or at another forum is a new scan.
    nonce = models.CharField(max_length=64)
    source = models.CharField(max_length=20, choices=CheckInSource.choices)
    # Why attendance was recorded after the forum's day (source "after_the_day"), else empty.
    reason = models.CharField(max_length=300, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "device", "nonce"], name="checkin_nonce_once_per_forum_device"
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(workshop__isnull=True, undone_at__isnull=True),
                name="checkin_once_at_the_door",
            ),
            models.UniqueConstraint(
                fields=["registration", "workshop"],
                condition=Q(workshop__isnull=False, undone_at__isnull=True),
                name="checkin_once_per_workshop",
            ),
        ]

    def __str__(self) -> str:
        where = self.workshop.code if self.workshop_id and self.workshop else "door"
        return f"{self.registration_id} at {where}"

    def save(self, *args, **kwargs):
        if self.forum_id is None:
            self.forum_id = self.registration.forum_id
        super().save(*args, **kwargs)


class DoorHelper(models.Model):
    """A user allowed to check people in at one forum, and nothing else, until the forum's
    check-in window closes (checkin_window): the grant ends with its forum."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="door_helper_grants"
    )
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="door_helpers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "forum"], name="door_helper_once_per_forum")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.forum}"


class HeldMarking(models.Model):
    """A forum marked held (attendance.services.forum_mark_held), with the status it had before,
    so that the marking can be reversed. From then on, everyone holding a seat who was not
    checked in at the door counts as a no-show."""

    forum = models.OneToOneField(Forum, on_delete=models.CASCADE, related_name="held_marking")
    previous_status = models.CharField(max_length=30)
    marked_at = models.DateTimeField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.forum} held (was {self.previous_status})"


class PdfRun(models.Model):
    """Badges or certificates for many people, made in the background. The PDF is kept on the
    row, so that the web server and the worker need no shared disk."""

    kind = models.CharField(_("document"), max_length=20, choices=PdfKind.choices)
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="pdf_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The registrations it is for, chosen when it was asked for.
    registration_ids = models.JSONField(default=list, editable=False)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=PdfRunStatus.choices, default=PdfRunStatus.QUEUED
    )
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    pdf = models.BinaryField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.forum} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)
