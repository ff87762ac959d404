"""Feedback pages × every role → the status each must answer (rows in the style of
test_permissions.py). A personal link stands for the person invited, whoever is logged in."""

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.enums import SurveyStatus
from feedback.models import Response, Survey, SurveyInvitation
from tests.feedback.conftest import check_in
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_feedback_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    row("answer", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # An empty form comes back with its field messages; nothing is stored.
    row("answer POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("answer_tampered", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("answer_tampered POST", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    row("answer_not_open", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("answer_not_open POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("answer_closed", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("answer_closed POST", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # Non-staff go to the admin's login. A list posted without an action shows the list; a
    # form posted empty comes back with its errors; a delete page asks again.
    row("admin_surveys", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_surveys POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # A survey with answers is kept: it is closed, never deleted.
    row("admin_answered_survey_delete", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_answered_survey_delete POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_survey_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_paper", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_paper POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_import", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_survey_import POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # Another survey's id that does not exist.
    row("admin_survey_paper_unknown", 302, 302, 302, 302, 302, 302, 302, 404, 302),
    row("admin_survey_paper_unknown POST", 302, 302, 302, 302, 302, 302, 302, 404, 302),
    # The secretariat's review of comments: nobody else learns the page exists. Posted empty,
    # it says what is missing (400) and changes nothing.
    row("review", 302, 404, 404, 404, 404, 404, 404, 200, 302),
    row("review POST", 302, 404, 404, 404, 404, 404, 404, 400, 302),
    row("review_no_survey", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("review_no_survey POST", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("review_unknown", 302, 404, 404, 404, 404, 404, 404, 404, 302),
    row("review_unknown POST", 302, 404, 404, 404, 404, 404, 404, 404, 302),
]


@pytest.fixture
def urls(forum, make_forum, register, staff):
    survey = services.survey_create(forum=forum, by=staff)
    registration = register(forum).registration
    check_in(registration)
    services.survey_open(survey=survey, by=staff)
    invitation = SurveyInvitation.objects.get(registration=registration)

    draft = services.survey_create(forum=make_forum(slug="draft-survey"), by=staff)
    other = register(draft.forum).registration
    not_open = SurveyInvitation.objects.create(survey=draft, registration=other)

    closed = services.survey_create(forum=make_forum(slug="closed-survey"), by=staff)
    Survey.objects.filter(pk=closed.pk).update(status=SurveyStatus.CLOSED)
    closed_invitation = SurveyInvitation.objects.create(
        survey=closed, registration=register(closed.forum).registration
    )
    Response.objects.create(survey=closed, submitted_at=timezone.now())

    def answer(secret):
        return reverse("feedback:answer", args=[secret])

    return {
        "answer": answer(invitation.secret),
        "answer_tampered": answer(invitation.secret[:-2] + "xx"),
        "answer_not_open": answer(not_open.secret),
        "answer_closed": answer(closed_invitation.secret),
        "admin_surveys": reverse("admin:feedback_survey_changelist"),
        "admin_survey": reverse("admin:feedback_survey_change", args=[survey.pk]),
        "admin_survey_add": reverse("admin:feedback_survey_add"),
        "admin_survey_delete": reverse("admin:feedback_survey_delete", args=[draft.pk]),
        "admin_answered_survey_delete": reverse("admin:feedback_survey_delete", args=[closed.pk]),
        "admin_survey_history": reverse("admin:feedback_survey_history", args=[survey.pk]),
        "admin_survey_paper": reverse("admin:feedback_survey_paper", args=[survey.pk]),
        "admin_survey_import": reverse("admin:feedback_survey_import", args=[survey.pk]),
        "admin_survey_paper_unknown": reverse("admin:feedback_survey_paper", args=[99999]),
        "review": reverse("feedback:review", args=[forum.slug]),
        "review_no_survey": reverse("feedback:review", args=[make_forum(slug="no-survey").slug]),
        "review_unknown": reverse("feedback:review", args=["no-such-forum"]),
    }


def test_every_url_has_get_and_post_rows(urls):
    project = {name for name in project_url_names() if in_feedback_table(name)}
    assert sorted(project - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_feedback(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    # Nothing is written by a request without data, whoever sends it.
    assert database_state() == before
