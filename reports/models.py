from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forums.models import Forum

NEWS_DRAFT_MAX_LENGTH = 20_000


class NewsDraft(models.Model):
    """The secretariat's edited text of a forum's news draft in one language. Without one, the
    page shows the draft written from the forum's data."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="news_drafts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    text = models.TextField(_("text"), max_length=NEWS_DRAFT_MAX_LENGTH)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "language"], name="news_draft_one_per_forum_and_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.forum} ({self.language})"


class ReachFact(models.Model):
    """That a company, a person or a forum was reached in one group of a breakdown of the
    reach (a year, a country, a pillar, ...), and at which held forum first and second.

    Derived data, kept by reports.services.reach_facts_refresh whenever attendance, a
    registration, a forum or a company merge changes it (reports.receivers), and rebuilt from
    scratch by `manage.py reach --rebuild`. With it, every reach figure as of any date is a count
    of rows whose first forum started before that date, instead of a distinct count over every
    attended registration."""

    class Kind(models.TextChoices):
        COMPANY = "company"
        PERSON = "person"
        FORUM = "forum"

    class Dimension(models.TextChoices):
        TOTAL = "total"
        YEAR = "year"
        COUNTRY = "country"
        REGION = "region"
        THEME = "theme"
        CATEGORY = "category"
        SPONSOR = "sponsor"
        PILLAR = "pillar"
        FORUM = "forum"

    kind = models.CharField(max_length=7, choices=Kind.choices)
    # The company as known today (Organisation id), the person (Person id) or the forum.
    entity = models.IntegerField()
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    # The group within the dimension: "2017", "MY", "asia", a theme, a category, a sponsor's
    # Organisation id, a pillar, a forum id; "" for the total and for "none given".
    group = models.CharField(max_length=100, blank=True)
    # No constraint in the database, so that writing a fact takes no lock on the forum's row
    # (a walk-in holds that row while it checks the person in). A forum with attendance cannot
    # be deleted: its check-ins protect its registrations.
    first_forum = models.ForeignKey(
        Forum, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    first_at = models.DateTimeField()
    # When it was reached in this group at a second forum (none: at one forum only so far).
    second_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "entity", "dimension", "group"], name="reach_fact_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.entity}: {self.dimension} {self.group!r} from {self.first_at}"


class ReachFactsLock(models.Model):
    """One row, locked by whoever recomputes reach facts (reports.services._lock)."""

    class Meta:
        verbose_name = "reach facts lock"

    def __str__(self) -> str:
        return "reach facts lock"
