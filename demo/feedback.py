"""The seed forums' feedback: each past seed forum gets its survey (the default template, through
feedback.services.survey_create) and paper forms from about two in three of those who came,
recorded through feedback.services.responses_import, as a secretariat importing the forms
handed in on the day would. Nothing is e-mailed: the survey is never opened for invitations.

Answers are made up, the same on every run (a random generator seeded with the forum's slug):
most found the forum helpful (the seeds say "90%+ found it helpful"), ratings of 3 to 5, a
likelihood to recommend of 6 to 10, a rating for each workshop the person attended."""

import random

from attendance.selectors import attended_workshops, attendees
from audit.services import Actor
from feedback.forms import AnswerValue, Item
from feedback.models import Question, Response
from feedback.services import PaperResponse, responses_import, survey_create
from forums.models import Forum

# The share of those who came who hand in a form, and of those who found the forum helpful.
RESPONDING = 0.65
HELPFUL = 0.92
COMMENTS = [
    "Very practical sessions on grievance mechanisms.",
    "We will review our recruitment fees policy next month.",
    "More time for questions in the workshops, please.",
    "Useful to meet other suppliers facing the same audits.",
    "The case studies on migrant labour were the most helpful part.",
]


def demo_feedback_load(forum: Forum) -> int:
    """The forum's survey and its demo responses, unless it has responses already; returns how
    many were recorded.

    Side effects: creates the Survey and its Questions (audit "survey.created") if missing, and
    the Responses with their Answers and the respondents' invitations, marked answered, with no
    e-mail (audit "survey.imported")."""
    from django.db import transaction

    with transaction.atomic():
        survey = survey_create(forum=forum, by=Actor.system())
    if Response.objects.filter(survey=survey).exists():
        return 0
    questions = {q.key: q for q in Question.objects.filter(survey=survey)}
    rng = random.Random(forum.slug)
    entries = []
    for registration in attendees(forum).order_by("pk"):
        if rng.random() >= RESPONDING:
            continue
        values = [
            AnswerValue(Item(questions["helpful"]), number=int(rng.random() < HELPFUL)),
            AnswerValue(Item(questions["overall"]), number=rng.choice([3, 4, 4, 5, 5])),
            AnswerValue(Item(questions["recommend"]), number=rng.randint(6, 10)),
        ]
        values += [
            AnswerValue(Item(questions["workshop"], workshop), number=rng.choice([3, 4, 5]))
            for workshop in attended_workshops(registration)
        ]
        if rng.random() < 0.3:
            values.append(AnswerValue(Item(questions["comments"]), text=rng.choice(COMMENTS)))
        entries.append(PaperResponse(registration=registration, values=values))
    if not entries:
        return 0
    return responses_import(survey=survey, entries=entries, by=Actor.system())
