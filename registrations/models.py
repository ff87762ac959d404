import hashlib
import secrets

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, Organisation, Person, Sponsorship
from registrations.enums import (
    MaturityStage,
    ParticipantCategory,
    PlaceStatus,
    QuestionKind,
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


def link_hash(secret: str) -> str:
    """What is kept of a replaced link's secret: its SHA-256, enough to recognise it."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ReplacedLink(models.Model):
    """A registration's earlier manage link, replaced when the registration was cancelled or made
    again: kept (as a hash only) so that following it says it was replaced rather than that it
    never worked."""

    registration = models.ForeignKey(
        "Registration", on_delete=models.CASCADE, related_name="replaced_links"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    replaced_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Replaced link of registration {self.registration_id}"


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


# The longest answer a text question takes, and the longest question or choice label.
ANSWER_TEXT_MAX_LENGTH = 1000
QUESTION_LABEL_MAX_LENGTH = 300


def _in_active_language(english: str, spanish: str) -> str:
    """The Spanish text when Spanish is active and the text exists in it, else the English."""
    language = (translation.get_language() or "en").split("-")[0]
    return spanish if language == "es" and spanish else english


class RegistrationQuestion(models.Model):
    """A question a forum asks on its registration form ("Which commodity do you supply?").
    Once answered it cannot be deleted (the answers protect it): it is hidden instead, which
    stops asking it and keeps its answers (shown and exported)."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="registration_questions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label_en = models.CharField(_("question (English)"), max_length=QUESTION_LABEL_MAX_LENGTH)
    label_es = models.CharField(
        _("question (Spanish)"),
        max_length=QUESTION_LABEL_MAX_LENGTH,
        blank=True,
        help_text=_("Left empty, Spanish pages ask the question in English."),
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    hidden = models.BooleanField(
        _("hidden"),
        default=False,
        help_text=_("No longer asked; the answers given stay and are exported."),
    )

    class Meta:
        ordering = ["forum", "order", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.label_en

    @property
    def label(self) -> str:
        return _in_active_language(self.label_en, self.label_es)

    @property
    def has_choices(self) -> bool:
        return self.kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES)


class QuestionChoice(models.Model):
    """One of the answers a choice question offers. Answers name it by its id, so its label can
    be corrected without changing what was answered; once chosen it cannot be deleted."""

    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.CASCADE, related_name="choices"
    )
    label_en = models.CharField(_("choice (English)"), max_length=QUESTION_LABEL_MAX_LENGTH)
    label_es = models.CharField(
        _("choice (Spanish)"), max_length=QUESTION_LABEL_MAX_LENGTH, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.label_en

    @property
    def label(self) -> str:
        return _in_active_language(self.label_en, self.label_es)


class RegistrationAnswer(models.Model):
    """A registration's answer to one of its forum's questions: `text` for a text question,
    `yes` for a yes/no question, `choices` for a choice question."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.CharField(max_length=ANSWER_TEXT_MAX_LENGTH, blank=True)
    yes = models.BooleanField(null=True, blank=True)
    choices: "models.ManyToManyField[QuestionChoice, AnswerChoice]" = models.ManyToManyField(
        QuestionChoice, through="AnswerChoice", related_name="answers", blank=True
    )

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} to question {self.question_id}"

    def shown(self, *, english: bool = False) -> str:
        """The answer as a person reads it (choices by their labels, in the active language or
        in English). Reads `choices` through whatever was prefetched."""
        question = self.question
        if question.kind == QuestionKind.YES_NO:
            if self.yes is None:
                return ""
            if english:
                return "yes" if self.yes else "no"
            return str(_("Yes") if self.yes else _("No"))
        if question.has_choices:
            return "; ".join(
                choice.label_en if english else choice.label for choice in self.choices.all()
            )
        return self.text


class AnswerChoice(models.Model):
    """A choice an answer made. PROTECT: a choice someone chose cannot be deleted."""

    answer = models.ForeignKey(RegistrationAnswer, on_delete=models.CASCADE)
    choice = models.ForeignKey(QuestionChoice, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="answer_choice_once")
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} – {self.choice_id}"
