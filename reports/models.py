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
