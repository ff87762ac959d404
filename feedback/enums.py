from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    """What a question asks for, and so how its answer is stored (see Answer)."""

    RATING = "rating", _("Rating 1–5")
    YES_NO = "yes_no", _("Yes or no")
    RECOMMEND = "recommend", _("Likelihood to recommend, 0–10")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Free text")


class QuestionScope(models.TextChoices):
    """How many times a question is asked in one response."""

    FORUM = "forum", _("Once")
    WORKSHOP = "workshop", _("For each workshop the person attended")
    FACILITATOR = "facilitator", _("For each facilitator of each workshop the person attended")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ResponseSource(models.TextChoices):
    WEB = "web", _("Answered online")
    PAPER = "paper", _("Paper form, typed in")
    IMPORT = "import", _("Paper forms, imported")


class FeedbackEmailKind(models.TextChoices):
    """The e-mails of the feedback app (labels for the admin)."""

    INVITATION = "feedback_invitation", "Invitation to give feedback"
    REMINDER = "feedback_reminder", "Reminder to give feedback"


class CommentReview(models.TextChoices):
    """Where the secretariat's review put a free-text answer. Only a published one reaches
    facilitators and sponsors; one not reviewed yet is kept private."""

    NOT_REVIEWED = "not_reviewed", _("Not reviewed")
    PUBLISHED = "published", _("Published")
    PRIVATE = "private", _("Private to the secretariat")
    HIDDEN = "hidden", _("Hidden")
