"""A forum's survey: its questions, who was invited (and whether they answered), and the
answers. "Who answered" (SurveyInvitation.responded_at) is kept apart from "what was answered"
(Response, Answer): in an anonymous survey a response holds no link to its invitation or its
registration."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from feedback.enums import CommentReview, QuestionKind, QuestionScope, ResponseSource, SurveyStatus
from forums.models import Forum, Person
from registrations.models import Registration, new_secret
from workshops.models import Workshop


def in_language(english: str, spanish: str) -> str:
    """The Spanish text for a Spanish reader when there is one, else the English."""
    return spanish if spanish and (get_language() or "en").startswith("es") else english


class Survey(models.Model):
    """The feedback survey of one forum, built from the default template and then edited."""

    forum = models.OneToOneField(Forum, on_delete=models.CASCADE, related_name="survey")
    status = models.CharField(
        _("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "Results show no names, and which answers belong to whom is not kept. "
            "Answers sent cannot be changed afterwards."
        ),
    )
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("Answers can be given and changed until then. Empty: until closed by hand."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set once by a conditional UPDATE, so that each is sent once.
    invitations_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminders_queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Survey: {self.forum}"

    @property
    def intro(self) -> str:
        """The introduction in the active language, in English where its Spanish is empty."""
        return in_language(self.intro_en, self.intro_es)


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    # Names the question in imports and exports ("helpful", "overall", …).
    key = models.SlugField(_("key"), max_length=50)
    position = models.PositiveIntegerField(_("position"), default=0)
    section_en = models.CharField(_("section (English)"), max_length=200, blank=True)
    section_es = models.CharField(_("section (Spanish)"), max_length=200, blank=True)
    text_en = models.CharField(_("question (English)"), max_length=500)
    text_es = models.CharField(
        _("question (Spanish)"),
        max_length=500,
        blank=True,
        help_text=_("Empty: Spanish readers see the English question."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    scope = models.CharField(
        _("asked"), max_length=20, choices=QuestionScope.choices, default=QuestionScope.FORUM
    )
    required = models.BooleanField(_("required"), default=False)
    # For one or several choices: [{"key": "environment", "en": "…", "es": "…"}, …].
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["survey", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_key_unique_in_survey")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def text(self) -> str:
        """The question in the active language, in English where its Spanish is empty."""
        return in_language(self.text_en, self.text_es)

    @property
    def section(self) -> str:
        return in_language(self.section_en, self.section_es)


class SurveyInvitation(models.Model):
    """One attendee invited to answer: who was asked, and whether (and, unless the survey is
    anonymous, when) they answered.

    In an anonymous survey nothing stored may link an answer to a person, not even for the
    database's administrator. A link needs something the invitation side and the answer side
    share: a column, a time, a transaction id (PostgreSQL's xmin, the same for every row a
    transaction writes), or an order (ids, times, xmin, the rows' physical place, ctid). EvaP
    keeps ratings as counters and remembers voters apart; it still writes both in one
    transaction. Here the invitation side carries no answer order and no transaction of its own:
    - a response has no invitation, no language, and as its times the survey's one moment (the
      forum's start), like the invitation's responded_at, which only says it was used;
    - marking an invitation used rewrites every invitation of the survey in one statement
      (feedback.services), so all share the transaction id of the latest answer, and keep the
      physical and id order of their creation (all at once, in registration order, when the
      survey opens or its first named paper form is typed in), never that of the answers;
    - no row a person's answer could point to is locked in the answer's transaction but the
      invitations rewritten with it (a row lock leaves the transaction's id in xmax).
    The responses' own ids, xmin and places still follow the order of answering, as ratings
    held as counters would by their last writer; with nothing ordered on the other side to
    match, they name nobody. Counters were not chosen: per-response rows keep the export and the
    import's one-row-per-form shape. Kept as the product needs: one answer per invitation,
    reminders only to those who have not answered, the results and the paper import."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    # The personal link's secret (256 bits, no ids).
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"], name="one_invitation_per_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.registration_id}"


class Response(models.Model):
    """What one person answered. Linked to its invitation (and so to a person) only when the
    survey is not anonymous; paper forms may have neither. In an anonymous survey its times are
    the survey's one moment and its language is empty (see SurveyInvitation)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        SurveyInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    source = models.CharField(
        max_length=20, choices=ResponseSource.choices, default=ResponseSource.WEB
    )
    language = models.CharField(max_length=10, default="en")
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["survey", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey_id}"


class Answer(models.Model):
    """One answer to one question, for one workshop or one facilitator where the question is
    asked per workshop or per facilitator.

    Stored by kind: rating 1–5 and recommend 0–10 in `number`; yes/no in `number` as 1 or 0;
    one choice and several choices in `choices` (a list of choice keys); free text in `text`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    facilitator = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    number = models.SmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    # The secretariat's review of a free-text answer (feedback.services.comment_review).
    review = models.CharField(
        _("review"),
        max_length=20,
        choices=CommentReview.choices,
        default=CommentReview.NOT_REVIEWED,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(workshop__isnull=True, facilitator__isnull=True),
                name="one_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "workshop"],
                condition=Q(workshop__isnull=False, facilitator__isnull=True),
                name="one_answer_per_question_and_workshop",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "workshop", "facilitator"],
                condition=Q(facilitator__isnull=False),
                name="one_answer_per_question_and_facilitator",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0, number__lte=10),
                name="answer_number_in_range",
            ),
        ]

    def __str__(self) -> str:
        # Never the text: this is what the audit log keeps of an answer, and a comment may have
        # named someone before it was redacted.
        if self.number is not None:
            return f"Answer {self.pk} to question {self.question_id}: {self.number}"
        return f"Answer {self.pk} to question {self.question_id}"
