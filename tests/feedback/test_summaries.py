"""survey_summaries: the headline figures of many surveys at once, equal to those of
survey_results, in three queries whatever the number of surveys.

Hand-counted (the 7-response fixture is counted in test_results.py):
Attendees were all invited by e-mail; "pap": on paper.
| survey     | attended | responses | helpful       | overall            | recommend 9–10/7–8/0–6 |
|------------|----------|-----------|---------------|--------------------|------------------------|
| KL fixture | 16       | 7 (2 pap) | 5 of 6 → 83%  | 27/7 → 3.9         | 3/2/2 → +14            |
| Mexico     | 5        | 2         | 2 of 2 → 100% | 4, 5 → 4.5 (small) | 1/0/1 → 0 (small)      |
| Gurgaon    | 4        | 3         | 1 of 3 → 33%  | 3, 2, — → 2.5 (2)  | —, 0, 8 → 0/1/1 → −50  |
| Empty      | 0        | 0         | 0 of 0        | none               | none                   |
"""

from decimal import Decimal

import pytest

from feedback.enums import QuestionKind
from feedback.models import Question, Survey
from feedback.selectors import SurveyResults, SurveySummary, survey_results, survey_summaries
from tests.feedback.results_fixture import build_headline_survey, build_results_fixture


def _headline(figures: SurveyResults | SurveySummary):
    """What the members page shows of a survey, from either selector."""
    if isinstance(figures, SurveyResults):
        figures = figures.summary
    rate, helpful, overall, nps = (
        figures.response_rate,
        figures.helpful,
        figures.overall,
        figures.nps,
    )
    return {
        "attendees": figures.attendees,
        "invited_by_email": figures.invited_by_email,
        "responses": (figures.responses, figures.online, figures.paper),
        "rate": (rate.count, rate.n, rate.percent, rate.small_n),
        "helpful": (
            (helpful.count, helpful.n, helpful.percent, helpful.small_n) if helpful else None
        ),
        "overall": (
            (overall.total, overall.n, overall.display, overall.small_n) if overall else None
        ),
        "nps": (
            (nps.promoters, nps.passives, nps.detractors, nps.display, nps.small_n) if nps else None
        ),
    }


@pytest.fixture
def surveys(make_forum):
    kl = build_results_fixture(make_forum).survey
    mexico = build_headline_survey(
        make_forum(slug="mexico-city-2017"), invited=5, rows=[(1, 4, 9), (1, 5, 6)]
    )
    gurgaon = build_headline_survey(
        make_forum(slug="gurgaon-2017"),
        invited=4,
        rows=[(0, 3, None), (1, 2, 0), (0, None, 8)],
    )
    empty = Survey.objects.create(forum=make_forum(slug="empty"))
    return {"kl": kl, "mexico": mexico, "gurgaon": gurgaon, "empty": empty}


def test_survey_summaries_of_the_hand_counted_fixture(make_forum):
    kl = build_results_fixture(make_forum).survey
    summary = survey_summaries([kl])[kl.pk]
    assert _headline(summary) == {
        "attendees": 16,
        "invited_by_email": 16,
        "responses": (7, 5, 2),
        "rate": (7, 16, Decimal("44"), False),
        "helpful": (5, 6, Decimal("83"), False),
        "overall": (27, 7, "3.9", False),
        "nps": (3, 2, 2, "+14", False),
    }
    assert _headline(summary) == _headline(survey_results(kl, names=False))


def test_survey_summaries_of_several_surveys_at_once(surveys):
    summaries = survey_summaries(surveys.values())
    assert set(summaries) == {s.pk for s in surveys.values()}
    assert _headline(summaries[surveys["mexico"].pk]) == {
        "attendees": 5,
        "invited_by_email": 5,
        "responses": (2, 2, 0),
        "rate": (2, 5, Decimal("40"), False),
        "helpful": (2, 2, Decimal("100"), True),
        "overall": (9, 2, "4.5", True),
        "nps": (1, 0, 1, "0", True),
    }
    assert _headline(summaries[surveys["gurgaon"].pk]) == {
        "attendees": 4,
        "invited_by_email": 4,
        "responses": (3, 3, 0),
        "rate": (3, 4, Decimal("75"), False),
        "helpful": (1, 3, Decimal("33"), False),
        "overall": (5, 2, "2.5", True),
        "nps": (0, 1, 1, "−50", True),
    }
    assert _headline(summaries[surveys["empty"].pk]) == {
        "attendees": 0,
        "invited_by_email": 0,
        "responses": (0, 0, 0),
        "rate": (0, 0, None, False),
        "helpful": None,
        "overall": None,
        "nps": None,
    }
    for name, survey in surveys.items():
        assert _headline(summaries[survey.pk]) == _headline(survey_results(survey)), name


def test_survey_summaries_leave_out_a_headline_question_of_another_kind(surveys):
    """A "helpful" question turned into a rating gives no share, as in survey_results."""
    mexico = surveys["mexico"]
    Question.objects.filter(survey=mexico, key="helpful").update(kind=QuestionKind.RATING)
    summary = survey_summaries([mexico])[mexico.pk]
    assert summary.helpful is None
    assert summary.overall == survey_results(mexico).overall.average
    assert _headline(summary) == _headline(survey_results(mexico))


def test_survey_summaries_of_no_surveys_ask_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert survey_summaries([]) == {}


@pytest.mark.parametrize("count", [1, 3])
def test_survey_summaries_query_count(surveys, django_assert_num_queries, count):
    chosen = [surveys[name] for name in ["kl", "mexico", "gurgaon"][:count]]
    with django_assert_num_queries(3):
        summaries = survey_summaries(chosen)
    assert len(summaries) == count
