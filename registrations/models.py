import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, Organisation, Person, Sponsorship
from registrations.enums import PlaceStatus, RegistrationSource, RegistrationStatus
from workshops.models import Workshop


def new_secret() -> str:
    """An unguessable link secret (256 bits) that says nothing about the database."""
    return secrets.token_urlsafe(32)


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
    # The manage link's secret. A new one is drawn when the registration is cancelled or
    # revived, so links sent before stop working.
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    # Calendar files: SEQUENCE grows with every change sent, and the workshops that have ever
    # been in a file sent to the registrant are remembered, so that dropped ones are cancelled.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    calendar_workshops = models.JSONField(default=list, blank=True, editable=False)

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


class CompanyName(models.Model):
    """A spelling under which a company is known: its own name and the names of records merged
    into it. Matching looks names up here by their normalised form and blocking keys."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="known_names"
    )
    name = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, db_index=True)
    domain = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="company_name_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CompanyKey(models.Model):
    """A blocking key of a company name: candidates for a fuzzy comparison share one."""

    company_name = models.ForeignKey(CompanyName, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=60, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company_name", "key"], name="company_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class PossibleDuplicate(models.Model):
    """Two company records that may be one company; the secretariat decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Different companies")

    first = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="possible_duplicate_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="possible_duplicate_ordered_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} ≟ {self.second}"


class CompanyMerge(models.Model):
    """Audit log of a merge, with what it moved, so that it can be undone."""

    kept = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="merges_gone")
    merged_name = models.CharField(max_length=200)
    moved = models.JSONField(default=dict)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.kept}"
