"""Reads of the feedback app used to collect answers: who may be invited, a survey's questions,
the person behind a link, what they answered, and how far the e-mails have gone.

The results of a forum's survey, counted in a fixed number of queries whatever the number of
workshops, facilitators or responses.

How the figures are counted (the results page says the same in its help text):
- a share is out of those who answered that question; the shares of a question with several
  choices are out of the people who answered it (each counts once, however many choices they
  ticked), so they may add up to more than 100%;
- the response rate is the responses received (online and on paper) out of the attendees
  (attendance.selectors.attendees: everyone who could have answered, invited by e-mail or
  not); e-mail invitations are a figure of their own. With more responses than attendees (paper
  forms from people not recorded as attending) no rate is given, and the excess is said;
- every figure is shown with what it is out of ("40 responses from 135 attendees", "5 of 6
  who answered"), and all of a survey's headline figures come from `survey_summaries` (or, for
  one survey, the same builder inside `survey_results`);
- the Net Promoter Score is the percentage who chose 9 or 10 minus the percentage who chose 0 to
  6, over those who answered;
- shown: shares and scores as whole percentages, averages with one decimal, both rounded half
  away from zero (62.5% shows as 63%, −14.5 as −15, 3.25 as 3.3); the JSON of the
  `feedback_results` command keeps the exact values as floats, percentages from 0 to 100;
- a figure from fewer than SMALL_N answers is marked as such wherever it is shown.
"""

import math
import operator
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from attendance.selectors import attended_forum, attended_workshops, attendees
from feedback.enums import (
    CommentReview,
    FeedbackEmailKind,
    QuestionKind,
    QuestionScope,
    ResponseSource,
    SurveyStatus,
)
from feedback.forms import Item, survey_items
from feedback.models import Answer, Question, Response, Survey, SurveyInvitation
from forums.models import Forum, Person
from outbox.enums import EmailStatus
from outbox.models import OutgoingEmail
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.tokens import is_link_secret
from workshops.models import Workshop


def survey_accepting_answers(survey: Survey, now: datetime | None = None) -> bool:
    """Open, and its closing time (if any) not yet reached."""
    now = now or timezone.now()
    return survey.status == SurveyStatus.OPEN and (
        survey.closes_at is None or survey.closes_at > now
    )


def forum_attendees(forum: Forum) -> QuerySet[Registration]:
    """Registrations of the forum checked in at the door (a check-in not undone), not
    cancelled: those a survey invites."""
    return attendees(forum).exclude(status=RegistrationStatus.CANCELLED)


def registration_attended(registration: Registration) -> bool:
    return registration.status != RegistrationStatus.CANCELLED and attended_forum(registration)


def invitation_from_secret(secret: str) -> SurveyInvitation | None:
    if not is_link_secret(secret):
        return None
    return (
        SurveyInvitation.objects.select_related(
            "survey__forum", "registration__person", "registration__forum"
        )
        .filter(secret=secret)
        .first()
    )


def survey_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "id"))


def respondent_workshops(registration: Registration) -> list[Workshop]:
    """The workshops the person was checked in at, with their facilitators."""
    return list(attended_workshops(registration).prefetch_related("facilitators"))


def forum_workshops(forum: Forum) -> list[Workshop]:
    return list(
        Workshop.objects.filter(forum=forum)
        .order_by("starts_at", "code")
        .prefetch_related("facilitators")
    )


def respondent_items(survey: Survey, registration: Registration) -> list[Item]:
    return survey_items(survey_questions(survey), respondent_workshops(registration))


def response_of(invitation: SurveyInvitation) -> Response | None:
    """The response linked to the invitation (never for an anonymous survey)."""
    return Response.objects.filter(invitation=invitation).first()


def response_answers(response: Response) -> dict[tuple[int, int | None, int | None], Answer]:
    return {
        (a.question_id, a.workshop_id, a.facilitator_id): a
        for a in Answer.objects.filter(response=response)
    }


@dataclass(frozen=True)
class SurveyProgress:
    invited: int
    invitations_queued: int
    invitations_sent: int
    invitations_failed: int
    reminders_queued: int
    reminders_sent: int
    answered: int
    responses: int


def survey_progress(survey: Survey) -> SurveyProgress:
    """How far the invitations and reminders have gone: invitations made, e-mails queued in the
    outbox, e-mails sent and failed, and answers."""
    invitations = SurveyInvitation.objects.filter(survey=survey).aggregate(
        invited=Count("id"),
        queued=Count("id", filter=Q(sent_at__isnull=False)),
        reminded=Count("id", filter=Q(reminded_at__isnull=False)),
        answered=Count("id", filter=Q(responded_at__isnull=False)),
    )
    emails = OutgoingEmail.objects.filter(
        about_type=ContentType.objects.get_for_model(SurveyInvitation),
        about_id__in=SurveyInvitation.objects.filter(survey=survey).values("id"),
    ).aggregate(
        sent=Count("id", filter=Q(kind=FeedbackEmailKind.INVITATION, status=EmailStatus.SENT)),
        failed=Count("id", filter=Q(kind=FeedbackEmailKind.INVITATION, status=EmailStatus.FAILED)),
        reminders_sent=Count(
            "id", filter=Q(kind=FeedbackEmailKind.REMINDER, status=EmailStatus.SENT)
        ),
    )
    return SurveyProgress(
        invited=invitations["invited"],
        invitations_queued=invitations["queued"],
        invitations_sent=emails["sent"],
        invitations_failed=emails["failed"],
        reminders_queued=invitations["reminded"],
        reminders_sent=emails["reminders_sent"],
        answered=invitations["answered"],
        responses=Response.objects.filter(survey=survey).count(),
    )


def survey_emails_to_send(survey: Survey, action: str) -> int:
    """How many people `action` on `survey` would e-mail now: "open" and "invite" e-mail every
    attendee not invited yet (feedback.services._invite_attendees), "remind" everyone invited who
    has not answered, once per survey (survey_remind), "close" nobody. What a confirmation page
    says before the secretariat sends anything."""
    if action in ("open", "invite"):
        if survey.status == SurveyStatus.CLOSED or (
            action == "invite" and survey.status != SurveyStatus.OPEN
        ):
            return 0
        invited = SurveyInvitation.objects.filter(survey=survey).values("registration_id")
        return attendees(survey.forum).exclude(pk__in=invited).count()
    if action == "remind":
        if survey.status != SurveyStatus.OPEN or survey.reminders_queued_at is not None:
            return 0
        return SurveyInvitation.objects.filter(
            survey=survey, responded_at__isnull=True, reminded_at__isnull=True
        ).count()
    return 0


# Figures from fewer answers than this are shown with a notice ("only 2 answers").
SMALL_N = 3

RATING_VALUES = range(1, 6)
RECOMMEND_VALUES = range(0, 11)
PROMOTERS = range(9, 11)
PASSIVES = range(7, 9)
DETRACTORS = range(0, 7)

# The questions of the default template that give the headline figures.
HELPFUL_KEY = "helpful"
OVERALL_KEY = "overall"
RECOMMEND_KEY = "recommend"
WORKSHOP_KEY = "workshop"
FACILITATOR_KEY = "facilitator"
TOPICS_KEY = "topics"

NUMBER_KINDS = (QuestionKind.RATING, QuestionKind.YES_NO, QuestionKind.RECOMMEND)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


def round_half_away(value: Fraction, places: int = 0) -> Decimal:
    """`value` rounded to `places` decimals, halves away from zero, computed exactly (no float
    on the way: 3.25 gives 3.3, where Python's round() gives 3.2)."""
    scale = 10**places
    whole = math.floor(abs(value) * scale + Fraction(1, 2))
    sign = -1 if value < 0 else 1
    return Decimal(sign * whole).scaleb(-places)


def _float(exact: Fraction | None) -> float | None:
    return float(exact) if exact is not None else None


def is_small_n(n: int) -> bool:
    """Whether a figure rests on too few answers to show without a notice (none is not few:
    then there is no figure at all)."""
    return 0 < n < SMALL_N


@dataclass(frozen=True)
class Average:
    """The average of `n` numbers adding up to `total`."""

    total: int
    n: int

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.total, self.n) if self.n else None

    @property
    def value(self) -> float | None:
        return _float(self.exact)

    @property
    def display(self) -> str:
        exact = self.exact
        return str(round_half_away(exact, 1)) if exact is not None else ""

    @property
    def small_n(self) -> bool:
        return is_small_n(self.n)

    def as_json(self) -> dict[str, Any]:
        return {"average": self.value, "n": self.n}


@dataclass(frozen=True)
class Share:
    """`count` out of `n`, as a percentage."""

    count: int
    n: int

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.count * 100, self.n) if self.n else None

    @property
    def value(self) -> float | None:
        return _float(self.exact)

    @property
    def rest(self) -> int:
        return self.n - self.count

    @property
    def percent(self) -> Decimal | None:
        exact = self.exact
        return round_half_away(exact) if exact is not None else None

    @property
    def small_n(self) -> bool:
        return is_small_n(self.n)


@dataclass(frozen=True)
class NetPromoterScore:
    promoters: int
    passives: int
    detractors: int

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def exact(self) -> Fraction | None:
        return Fraction((self.promoters - self.detractors) * 100, self.n) if self.n else None

    @property
    def value(self) -> float | None:
        return _float(self.exact)

    @property
    def display(self) -> str:
        """Whole points with their sign: "+14", "−15", "0"."""
        exact = self.exact
        if exact is None:
            return ""
        score = round_half_away(exact)
        return f"+{score}" if score > 0 else f"−{-score}" if score < 0 else "0"

    @property
    def small_n(self) -> bool:
        return is_small_n(self.n)

    def groups(self) -> list[tuple[str, Share]]:
        return [
            ("detractors", Share(self.detractors, self.n)),
            ("passives", Share(self.passives, self.n)),
            ("promoters", Share(self.promoters, self.n)),
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "score": self.value,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "n": self.n,
        }


@dataclass(frozen=True)
class Bar:
    """One value of a distribution: how many chose it, and their share of those who answered."""

    value: int
    share: Share


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    share: Share


@dataclass(frozen=True)
class WorkshopFigure:
    code: str
    title: str
    average: Average
    # The number of answers behind a figure held back (Threshold), whose average is then empty.
    withheld: int | None = None


@dataclass(frozen=True)
class FacilitatorFigure:
    # "<workshop code>:<surname>", as in the import's and the export's column names.
    key: str
    workshop_code: str
    name: str
    average: Average
    # The number of answers behind a figure held back (Threshold), whose average is then empty.
    withheld: int | None = None


@dataclass(frozen=True)
class Comment:
    text: str
    workshop_code: str = ""
    workshop_title: str = ""
    # Only for a viewer who may see names, and never in an anonymous survey.
    name: str = ""
    # The secretariat's review (CommentReview); a moderated viewer sees only published ones.
    review: str = CommentReview.NOT_REVIEWED
    answer_id: int | None = None

    @property
    def review_label(self) -> str:
        return str(CommentReview(self.review).label)


@dataclass
class QuestionResult:
    """A question's figures, by its kind: rating (average, distribution, and per workshop or per
    facilitator when asked for each), yes/no (share of yes), recommend (NPS, distribution),
    one or several choices (share of each option), free text (comments)."""

    question: Question
    answered: int = 0
    average: Average | None = None
    distribution: list[Bar] = field(default_factory=list)
    share: Share | None = None
    nps: NetPromoterScore | None = None
    options: list[Option] = field(default_factory=list)
    workshops: list[WorkshopFigure] = field(default_factory=list)
    facilitators: list[FacilitatorFigure] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # The number of answers when the question's figures are held back (Threshold).
    withheld: int | None = None

    @property
    def small_n(self) -> bool:
        return is_small_n(self.answered)


@dataclass(frozen=True)
class Threshold:
    """The minimum participation below which a moderated viewer (a facilitator, a sponsor)
    sees no average or share, as EvaP holds back results below a minimum number of voters: at
    least `min_answers` answers and at least `min_share` of the forum's `attendees`."""

    attendees: int
    min_answers: int
    min_share: Fraction

    @classmethod
    def from_settings(cls, attendees: int) -> "Threshold":
        return cls(
            attendees=attendees,
            min_answers=settings.FEEDBACK_MIN_ANSWERS,
            min_share=Fraction(settings.FEEDBACK_MIN_SHARE),
        )

    def holds_back(self, n: int) -> bool:
        """Whether a figure from `n` answers is held back (none is not few: then there is no
        figure to hold back, and the page says that nobody answered)."""
        return n > 0 and (n < self.min_answers or Fraction(n) < self.min_share * self.attendees)


@dataclass
class SurveyResults:
    survey: Survey
    # False when the results are limited to some workshops (a facilitator's): then the figures
    # of the whole forum (response rate, questions asked once) are left out, not just hidden.
    forum_wide: bool
    # The headline figures, built as survey_summaries builds them; None unless forum_wide.
    summary: "SurveySummary | None"
    questions: list[QuestionResult]
    names: bool
    # Set for a moderated viewer: figures below it are held back, and only published comments
    # are listed. None: the secretariat's view, everything with each comment's review state.
    threshold: Threshold | None = None
    # The headline figures held back, by key ("helpful", "overall", "nps"): their number of
    # answers (the summary then has None in their place).
    withheld: dict[str, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> Share | None:
        return self.summary.response_rate if self.summary is not None else None

    def result(self, key: str) -> QuestionResult | None:
        return next((r for r in self.questions if r.question.key == key), None)

    @property
    def helpful(self) -> Share | None:
        return self.summary.helpful if self.summary is not None else None

    @property
    def overall(self) -> QuestionResult | None:
        return self.result(OVERALL_KEY)

    @property
    def nps(self) -> NetPromoterScore | None:
        return self.summary.nps if self.summary is not None else None

    @property
    def workshops(self) -> dict[str, Average]:
        result = self.result(WORKSHOP_KEY)
        return {f.code: f.average for f in result.workshops} if result else {}

    @property
    def facilitators(self) -> dict[str, Average]:
        result = self.result(FACILITATOR_KEY)
        return {f.key: f.average for f in result.facilitators} if result else {}

    @property
    def topics(self) -> QuestionResult | None:
        return self.result(TOPICS_KEY)

    @property
    def comments(self) -> list[tuple[Question, Comment]]:
        return [(r.question, c) for r in self.questions for c in r.comments]

    def as_json(self) -> dict[str, Any]:
        """Exact values as floats (percentages from 0 to 100); null where nobody answered."""
        helpful, overall, nps, topics = self.helpful, self.overall, self.nps, self.topics
        return {
            "forum": self.survey.forum.slug,
            "status": self.survey.status,
            "anonymous": self.survey.anonymous,
            **(self.summary.turnout_json() if self.summary is not None else {}),
            "helpful": (
                {"yes": helpful.count, "answered": helpful.n, "share": helpful.value}
                if helpful
                else None
            ),
            "overall": (
                {
                    **overall.average.as_json(),
                    "distribution": {str(b.value): b.share.count for b in overall.distribution},
                }
                if overall and overall.average
                else None
            ),
            "nps": nps.as_json() if nps else None,
            "workshops": {code: a.as_json() for code, a in self.workshops.items()},
            "facilitators": {key: a.as_json() for key, a in self.facilitators.items()},
            "topics": (
                {
                    "answered": topics.answered,
                    "shares": {
                        o.key: {"count": o.share.count, "share": o.share.value}
                        for o in topics.options
                    },
                }
                if topics
                else None
            ),
            "small_n_below": SMALL_N,
        }


def facilitator_keys(workshops: Iterable[Workshop]) -> dict[tuple[int, int], str]:
    """ "<workshop code>:<surname>" for each facilitator of each workshop (facilitators
    prefetched), keyed by (workshop id, person id). Two facilitators of one workshop with the
    same surname are told apart by their full names."""
    keys: dict[tuple[int, int], str] = {}
    for workshop in workshops:
        people = list(workshop.facilitators.all())
        surnames = Counter(_surname(p) for p in people)
        for person in people:
            name = _surname(person) if surnames[_surname(person)] == 1 else person.full_name
            keys[(workshop.pk, person.pk)] = f"{workshop.code}:{name}"
    return keys


def _surname(person: Person) -> str:
    return person.last_name or person.first_name


def survey_workshops(
    survey: Survey, *, workshop_ids: Collection[int] | None = None
) -> list[Workshop]:
    """The forum's workshops (limited to `workshop_ids` if given) with their facilitators: two
    queries."""
    workshops = Workshop.objects.filter(forum_id=survey.forum_id)
    if workshop_ids is not None:
        workshops = workshops.filter(pk__in=workshop_ids)
    return list(
        workshops.prefetch_related(
            Prefetch("facilitators", queryset=Person.objects.order_by("last_name", "first_name"))
        )
    )


def survey_results(
    survey: Survey,
    *,
    workshop_ids: Collection[int] | None = None,
    names: bool = False,
    moderated: bool = False,
) -> SurveyResults:
    """Every figure of a survey, in at most eight queries. The headline figures (`summary`)
    are those `survey_summaries` gives, built by the same function from the same counts.

    `workshop_ids` limits the results to the questions asked per workshop or per facilitator,
    for those workshops only (what a facilitator may see); the figures of the whole forum are
    then not computed. `names` puts the respondent's name beside each comment; it is ignored
    for an anonymous survey. `moderated` gives what a facilitator or a sponsor may see: only
    the published comments, and averages and shares held back below the minimum participation
    (Threshold), one more query where the figures are not forum-wide."""
    names = names and not survey.anonymous
    forum_wide = workshop_ids is None
    questions = list(survey.questions.all())
    if not forum_wide:
        questions = [q for q in questions if q.scope != QuestionScope.FORUM]
    workshops = survey_workshops(survey, workshop_ids=workshop_ids)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for question in questions:
        by_kind[question.kind].append(question.pk)

    answers = Answer.objects.filter(response__survey=survey)
    if not forum_wide:
        answers = answers.filter(workshop_id__in=workshop_ids)

    number_ids = [pk for kind in NUMBER_KINDS for pk in by_kind[kind]]
    counts: list[dict[str, Any]] = []
    if number_ids:
        counts = list(
            answers.filter(question_id__in=number_ids, number__isnull=False)
            .values(
                "question_id",
                "workshop_id",
                "facilitator_id",
                "facilitator__first_name",
                "facilitator__last_name",
                "number",
            )
            .annotate(count=Count("id"))
            .order_by()
        )
    choice_ids = [pk for kind in CHOICE_KINDS for pk in by_kind[kind]]
    chosen: list[tuple[int, Any]] = []
    if choice_ids:
        chosen = list(
            answers.filter(question_id__in=choice_ids).values_list("question_id", "choices")
        )
    texts: list[Answer] = []
    if by_kind[QuestionKind.TEXT]:
        text_answers = (
            answers.filter(question_id__in=by_kind[QuestionKind.TEXT])
            .filter(**({"review": CommentReview.PUBLISHED} if moderated else {}))
            .exclude(text="")
            .select_related("workshop")
            .order_by("workshop__starts_at", "workshop__code", "response__submitted_at", "id")
        )
        if names:
            text_answers = text_answers.select_related("response__invitation__registration__person")
        texts = list(text_answers)

    summary = None
    if forum_wide:
        per_value: dict[int, Counter[int]] = defaultdict(Counter)
        for row in counts:
            per_value[row["question_id"]][row["number"]] += row["count"]
        summary = _summary(
            survey,
            turnout=_turnouts([survey.pk]).get(survey.pk, {}),
            questions=_headline_questions(questions),
            per_value=per_value,
        )

    results = [
        _question_result(
            question, workshops=workshops, counts=counts, chosen=chosen, texts=texts, names=names
        )
        for question in questions
    ]
    threshold = None
    withheld: dict[str, int] = {}
    if moderated:
        attendee_count = (
            summary.attendees if summary is not None else forum_attendee_count(survey.forum_id)
        )
        threshold = Threshold.from_settings(attendee_count)
        for result in results:
            _hold_back(result, threshold)
        if summary is not None:
            summary, withheld = hold_back_summary(summary, threshold)
    return SurveyResults(
        survey=survey,
        forum_wide=forum_wide,
        summary=summary,
        questions=results,
        names=names,
        threshold=threshold,
        withheld=withheld,
    )


def forum_attendee_count(forum_id: int) -> int:
    """Everyone who could have answered the forum's survey (as in the response rate)."""
    return attendees().filter(forum_id=forum_id).count()


def _hold_back(result: QuestionResult, threshold: Threshold) -> None:
    """Empty the figures of `result` that rest on too few answers, keeping their count."""
    result.workshops = [
        replace(figure, average=Average(0, 0), withheld=figure.average.n)
        if threshold.holds_back(figure.average.n)
        else figure
        for figure in result.workshops
    ]
    result.facilitators = [
        replace(figure, average=Average(0, 0), withheld=figure.average.n)
        if threshold.holds_back(figure.average.n)
        else figure
        for figure in result.facilitators
    ]
    if result.question.kind == QuestionKind.TEXT:
        return
    if threshold.holds_back(result.answered):
        result.withheld = result.answered
        result.average = None
        result.distribution = []
        result.share = None
        result.nps = None
        result.options = []


def hold_back_summary(
    summary: "SurveySummary", threshold: Threshold
) -> tuple["SurveySummary", dict[str, int]]:
    """The headline figures with those from too few answers left out, and their counts."""

    def held(figure: Any) -> bool:
        return figure is not None and threshold.holds_back(figure.n)

    withheld = {
        key: getattr(figure, "n", 0)
        for key, figure in (
            (HELPFUL_KEY, summary.helpful),
            (OVERALL_KEY, summary.overall),
            (RECOMMEND_KEY, summary.nps),
        )
        if held(figure)
    }
    return (
        replace(
            summary,
            helpful=None if held(summary.helpful) else summary.helpful,
            overall=None if held(summary.overall) else summary.overall,
            nps=None if held(summary.nps) else summary.nps,
        ),
        withheld,
    )


def _question_result(
    question: Question,
    *,
    workshops: list[Workshop],
    counts: list[dict[str, Any]],
    chosen: list[tuple[int, Any]],
    texts: list[Answer],
    names: bool,
) -> QuestionResult:
    result = QuestionResult(question=question)
    rows = [row for row in counts if row["question_id"] == question.pk]
    if question.kind == QuestionKind.RATING:
        rows = [row for row in rows if row["number"] in RATING_VALUES]
        _fill_numbers(result, rows, RATING_VALUES)
        result.average = _average(rows)
        if question.scope == QuestionScope.WORKSHOP:
            result.workshops = [
                WorkshopFigure(
                    code=w.code,
                    title=w.title,
                    average=_average(r for r in rows if r["workshop_id"] == w.pk),
                )
                for w in workshops
            ]
        elif question.scope == QuestionScope.FACILITATOR:
            result.facilitators = _facilitator_figures(workshops, rows)
    elif question.kind == QuestionKind.YES_NO:
        yes = sum(row["count"] for row in rows if row["number"] == 1)
        no = sum(row["count"] for row in rows if row["number"] == 0)
        result.answered = yes + no
        result.share = Share(yes, yes + no)
    elif question.kind == QuestionKind.RECOMMEND:
        rows = [row for row in rows if row["number"] in RECOMMEND_VALUES]
        _fill_numbers(result, rows, RECOMMEND_VALUES)
        result.nps = NetPromoterScore(
            promoters=sum(r["count"] for r in rows if r["number"] in PROMOTERS),
            passives=sum(r["count"] for r in rows if r["number"] in PASSIVES),
            detractors=sum(r["count"] for r in rows if r["number"] in DETRACTORS),
        )
    elif question.kind in CHOICE_KINDS:
        _fill_options(result, [c for pk, c in chosen if pk == question.pk])
    elif question.kind == QuestionKind.TEXT:
        result.comments = [
            Comment(
                text=answer.text,
                workshop_code=answer.workshop.code if answer.workshop else "",
                workshop_title=answer.workshop.title if answer.workshop else "",
                name=_respondent_name(answer) if names else "",
                review=answer.review,
                answer_id=answer.pk,
            )
            for answer in texts
            if answer.question_id == question.pk and answer.text.strip()
        ]
        result.answered = len(result.comments)
    return result


def _fill_numbers(result: QuestionResult, rows: list[dict[str, Any]], values: range) -> None:
    per_value = Counter[int]()
    for row in rows:
        per_value[row["number"]] += row["count"]
    result.answered = sum(per_value.values())
    result.distribution = [Bar(v, Share(per_value[v], result.answered)) for v in values]


def _average(rows: Iterable[dict[str, Any]]) -> Average:
    total = n = 0
    for row in rows:
        total += row["number"] * row["count"]
        n += row["count"]
    return Average(total=total, n=n)


def _facilitator_figures(
    workshops: list[Workshop], rows: list[dict[str, Any]]
) -> list[FacilitatorFigure]:
    keys = facilitator_keys(workshops)
    names = {(w.pk, p.pk): p.full_name for w in workshops for p in w.facilitators.all()}
    # Someone rated who is no longer listed on the workshop still counts, under their name.
    for row in rows:
        pair = (row["workshop_id"], row["facilitator_id"])
        if pair not in keys and None not in pair:
            workshop = next((w for w in workshops if w.pk == pair[0]), None)
            if workshop is None:
                continue
            surname = row["facilitator__last_name"] or row["facilitator__first_name"]
            keys[pair] = f"{workshop.code}:{surname}"
            names[pair] = f"{row['facilitator__first_name']} {row['facilitator__last_name']}"
    codes = {w.pk: w.code for w in workshops}
    return [
        FacilitatorFigure(
            key=key,
            workshop_code=codes[pair[0]],
            name=names[pair].strip(),
            average=_average(r for r in rows if (r["workshop_id"], r["facilitator_id"]) == pair),
        )
        for pair, key in keys.items()
    ]


def _fill_options(result: QuestionResult, answers: list[Any]) -> None:
    """Shares over the people who answered (ticked at least one option), not over the options
    ticked; an option no longer offered still shows, under its key."""
    ticked = Counter[str]()
    answered = 0
    for choices in answers:
        keys = {c for c in choices if isinstance(c, str)} if isinstance(choices, list) else set()
        if keys:
            answered += 1
            ticked.update(keys)
    labels = {
        str(choice.get("key")): _choice_label(choice)
        for choice in result.question.choices
        if isinstance(choice, dict)
    }
    extra = sorted(set(ticked) - set(labels))
    result.answered = answered
    result.options = [
        Option(key=key, label=labels.get(key, key), share=Share(ticked[key], answered))
        for key in [*labels, *extra]
    ]


def _choice_label(choice: dict[str, Any]) -> str:
    spanish = (get_language() or "en").startswith("es")
    return str(choice.get("es" if spanish else "en") or choice.get("en") or choice.get("key"))


def _respondent_name(answer: Answer) -> str:
    invitation = answer.response.invitation
    return invitation.registration.person.full_name if invitation else ""


@dataclass(frozen=True)
class SurveySummary:
    """The headline figures of a survey: who could answer and who did, the share who found the
    event helpful, the overall rating and the Net Promoter Score. Every surface (the results
    page, the `feedback_results` command and its JSON, the post-event report, the members page)
    reads them from here. A question's figure is None when the survey has no question of that
    key and kind."""

    survey: Survey
    # Everyone who could have answered: the registrations that attended
    # (attendance.selectors.attendees), whether or not they were e-mailed.
    attendees: int
    # Invitations whose e-mail went out (or is queued): a figure of its own, not a denominator.
    invited_by_email: int
    online: int
    paper: int
    helpful: Share | None
    overall: Average | None
    nps: NetPromoterScore | None

    @property
    def responses(self) -> int:
        return self.online + self.paper

    @property
    def beyond_attendees(self) -> int:
        """Responses beyond the number of attendees (paper forms of people not recorded as
        attending): then no rate is given rather than one over 100%."""
        return max(self.responses - self.attendees, 0)

    @property
    def response_rate(self) -> Share | None:
        """Responses out of attendees; None when there are more responses than attendees."""
        if self.beyond_attendees:
            return None
        return Share(self.responses, self.attendees)

    def turnout_json(self) -> dict[str, Any]:
        rate = self.response_rate
        return {
            "attendees": self.attendees,
            "invited_by_email": self.invited_by_email,
            "responses": self.responses,
            "responses_online": self.online,
            "responses_paper": self.paper,
            "response_rate": {
                "responses": self.responses,
                "attendees": self.attendees,
                "share": rate.value if rate is not None else None,
            },
            "responses_beyond_attendees": self.beyond_attendees,
        }


# The headline questions, with the kind each must have to give its figure.
_HEADLINE_KINDS = {
    HELPFUL_KEY: QuestionKind.YES_NO,
    OVERALL_KEY: QuestionKind.RATING,
    RECOMMEND_KEY: QuestionKind.RECOMMEND,
}


def _headline_questions(questions: Iterable[Question]) -> dict[str, int]:
    """The ids of a survey's headline questions, by key (those of the right kind only)."""
    return {
        question.key: question.pk
        for question in questions
        if _HEADLINE_KINDS.get(question.key) == question.kind
    }


def _summary(
    survey: Survey,
    *,
    turnout: dict[str, int],
    questions: dict[str, int],
    per_value: dict[int, Counter[int]],
) -> SurveySummary:
    """The one place the headline figures are made: from the survey's turnout counts and, for
    each headline question, how many chose each value."""

    def numbers(key: str, values: range) -> Counter[int] | None:
        pk = questions.get(key)
        if pk is None:
            return None
        return Counter({v: c for v, c in per_value.get(pk, Counter()).items() if v in values})

    helpful = numbers(HELPFUL_KEY, range(0, 2))
    overall = numbers(OVERALL_KEY, RATING_VALUES)
    recommend = numbers(RECOMMEND_KEY, RECOMMEND_VALUES)
    return SurveySummary(
        survey=survey,
        attendees=turnout.get("attendees", 0),
        invited_by_email=turnout.get("emailed", 0),
        online=turnout.get("online", 0),
        paper=turnout.get("paper", 0),
        helpful=Share(helpful[1], helpful.total()) if helpful is not None else None,
        overall=(
            Average(total=sum(v * c for v, c in overall.items()), n=overall.total())
            if overall is not None
            else None
        ),
        nps=(
            NetPromoterScore(
                promoters=sum(recommend[v] for v in PROMOTERS),
                passives=sum(recommend[v] for v in PASSIVES),
                detractors=sum(recommend[v] for v in DETRACTORS),
            )
            if recommend is not None
            else None
        ),
    )


def _turnouts(survey_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each survey: its forum's attendees, the invitations e-mailed, and the responses
    online and on paper. One query."""
    return {
        row["pk"]: row
        for row in Survey.objects.filter(pk__in=survey_ids)
        .annotate(
            attendees=_count(attendees().filter(forum_id=OuterRef("forum_id")), "forum_id"),
            emailed=_count(
                SurveyInvitation.objects.filter(
                    survey_id=OuterRef("pk"), sent_at__isnull=False
                ).exclude(
                    (Q(registration__person__email="") | Q(registration__person__email=None))
                    # An erased person (privacy.Erasure) had the address the e-mail went to.
                    & Q(registration__person__erasure__isnull=True)
                ),
                "survey_id",
            ),
            online=_count(
                Response.objects.filter(survey_id=OuterRef("pk"), source=ResponseSource.WEB),
                "survey_id",
            ),
            paper=_count(
                Response.objects.filter(survey_id=OuterRef("pk")).exclude(
                    source=ResponseSource.WEB
                ),
                "survey_id",
            ),
        )
        .values("pk", "attendees", "emailed", "online", "paper")
    }


def survey_summaries(surveys: Iterable[Survey]) -> dict[int, SurveySummary]:
    """The headline figures of many surveys, by survey id, in three queries whatever their
    number (none for no surveys). Never names: only counts."""
    surveys = list(surveys)
    if not surveys:
        return {}
    ids = [survey.pk for survey in surveys]
    turnouts = _turnouts(ids)
    questions: dict[int, dict[str, int]] = defaultdict(dict)
    for question in (
        Question.objects.filter(survey_id__in=ids)
        .filter(reduce(operator.or_, (Q(key=k, kind=kind) for k, kind in _HEADLINE_KINDS.items())))
        .only("pk", "survey_id", "key")
    ):
        questions[question.survey_id][question.key] = question.pk
    per_value: dict[int, Counter[int]] = defaultdict(Counter)
    question_ids = [pk for keys in questions.values() for pk in keys.values()]
    if question_ids:
        # As in survey_results: the answers of the survey's own responses, with a number.
        for row in (
            Answer.objects.filter(
                question_id__in=question_ids,
                number__isnull=False,
                response__survey_id=F("question__survey_id"),
            )
            .values("question_id", "number")
            .annotate(count=Count("id"))
            .order_by()
        ):
            per_value[row["question_id"]][row["number"]] += row["count"]
    return {
        survey.pk: _summary(
            survey,
            turnout=turnouts.get(survey.pk, {}),
            questions=questions[survey.pk],
            per_value=per_value,
        )
        for survey in surveys
    }


def _count(rows: QuerySet, group: str) -> Any:
    """A subquery counting `rows` (filtered on the outer survey) grouped by `group`: a join of
    them all would multiply the counts."""
    return Coalesce(
        Subquery(rows.order_by().values(group).annotate(n=Count("pk")).values("n")),
        0,
    )
