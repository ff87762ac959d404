import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, Organisation, Person, Sponsorship
from registrations.enums import (
    MaturityStage,
    ParticipantCategory,
    PlaceStatus,
    RegistrationSource,
    RegistrationStatus,
)
from workshops.models import Workshop


def new_secret() -> str:
    """An unguessable link secret (256 bits) that says nothing about the database."""
    return secrets.token_urlsafe(32)


def new_checkin_code() -> str:
    """A badge's check-in code (120 bits, 20 URL-safe characters). It is not the manage link's
    secret: a badge lets its bearer be checked in, nothing more."""
    return secrets.token_urlsafe(15)


class Registration(models.Model):
    """One person's registration for one forum."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="registrations",
        null=True,
        blank=True,
        verbose_name=_("company"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    source = models.CharField(
        max_length=20, choices=RegistrationSource.choices, default=RegistrationSource.WEB
    )
    invited_by = models.ForeignKey(
        Sponsorship,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("invited by"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    share_with_sponsors = models.BooleanField(
        _("share contact details with sponsors"), default=False
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the reminder is queued, by a conditional UPDATE: it goes out once.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The manage link's secret. A new one is drawn when the registration is cancelled or
    # revived, so links sent before stop working.
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    checkin_code = models.CharField(
        max_length=20, unique=True, default=new_checkin_code, editable=False
    )
    # Calendar files: SEQUENCE grows with every change sent, and the workshops that have ever
    # been in a file sent to the registrant are remembered, so that dropped ones are cancelled.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    calendar_workshops = models.JSONField(default=list, blank=True, editable=False)
    # The registrant's optional self-assessment on the Responsible Sourcing Journey: their
    # company's stage in each module (registrations.maturity), empty where not answered.
    rsj_setting_tone = models.PositiveSmallIntegerField(
        _("setting the tone"), choices=MaturityStage.choices, null=True, blank=True
    )
    rsj_due_diligence = models.PositiveSmallIntegerField(
        _("due diligence, grievance mechanisms and remediation"),
        choices=MaturityStage.choices,
        null=True,
        blank=True,
    )
    rsj_monitoring = models.PositiveSmallIntegerField(
        _("monitoring and reporting progress"), choices=MaturityStage.choices, null=True, blank=True
    )
    rsj_stakeholders = models.PositiveSmallIntegerField(
        _("engaging stakeholders"), choices=MaturityStage.choices, null=True, blank=True
    )
    category = models.CharField(
        _("participant category"),
        max_length=20,
        choices=ParticipantCategory.choices,
        blank=True,
        help_text=_("Optional: what kind of participant this is, for the reach figures."),
    )

    class Meta:
        ordering = ["forum", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "person"],
                name="registration_one_per_person_and_forum",
                violation_error_message=_("This person is already registered for this forum."),
            )
        ]
        indexes = [models.Index(fields=["forum", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.forum}"


class HeldRegistration(models.Model):
    """A registration asked for with an address the site already knows. Nothing is changed until
    someone proves they read that address by following the link sent to it; then the
    registration is made with these details."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="held_registrations")
    email = models.EmailField(_("e-mail"))
    details = models.JSONField()
    workshop_ids = models.JSONField(default=list)
    invited_by = models.ForeignKey(
        Sponsorship, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10, default="en")
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} – {self.forum} (held)"


class SubmittedRegistration(models.Model):
    """A registration as the public form accepted it, for an address the requester has not
    proved they control. The form's request stores it and nothing else, the same work for a new
    address as for a known one, so that neither its answer nor its time tells them apart; the
    worker then carries it out (registrations.services.registration_submission_carry_out).
    Stored before the page answers, so an accepted registration is never dropped. Once carried
    out, what was typed is wiped; the row is kept for a short while (see
    SUBMISSION_KEPT_FOR) to recognise the same form sent twice."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail"))
    details = models.JSONField()
    workshop_ids = models.JSONField(default=list)
    invited_by = models.ForeignKey(
        Sponsorship, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10, default="en")
    submitted_at = models.DateTimeField()
    carried_out_at = models.DateTimeField(null=True, blank=True)
    # The registration this submission made (created or revived), if it made one.
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["carried_out_at", "submitted_at"])]

    def __str__(self) -> str:
        return f"Submission {self.pk} – {self.forum_id}"


class WorkshopPlace(models.Model):
    """A registration's place (or place in the queue) in one workshop."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="workshop_places"
    )
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="places")
    status = models.CharField(max_length=20, choices=PlaceStatus.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop__starts_at", "workshop__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "workshop"], name="workshop_place_once_per_registration"
            )
        ]
        indexes = [models.Index(fields=["workshop", "status", "joined_at"])]

    def __str__(self) -> str:
        return f"{self.registration.person} – {self.workshop.code} ({self.status})"
