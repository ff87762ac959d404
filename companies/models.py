from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forums.models import Organisation

# The tables keep the names they were created with when these models lived in `registrations`.


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
        db_table = "registrations_companyname"
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
        db_table = "registrations_companykey"
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
        db_table = "registrations_possibleduplicate"
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
    """Audit log of a merge, with what it moved, so that it can be undone.

    `moved` maps each relation the merge moved (see companies.references), named
    "app_label.Model.field", to the primary keys of the rows it moved: the rows holding the
    foreign key, or for a many-to-many relation the rows of its table."""

    kept = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="merges_gone")
    merged_name = models.CharField(max_length=200)
    moved = models.JSONField(default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registrations_companymerge"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.kept}"
