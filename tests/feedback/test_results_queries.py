"""The results page costs the same number of queries whatever the number of workshops."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Answer, Response
from forums.models import Person
from tests.feedback.results_fixture import add_workshop, build_survey, invite


def _forum_with_workshops(make_forum, count: int, *, facilitator_email: str):
    forum = make_forum(slug="query-forum")
    survey, questions = build_survey(forum)
    workshops = [
        add_workshop(
            forum,
            f"W{i}",
            [
                Person.objects.create(
                    first_name="Fac",
                    last_name=f"Surname{i}",
                    email=facilitator_email if i == 0 else f"f{i}@x.example",
                ),
                Person.objects.create(first_name="Co", last_name=f"Co{i}", email=f"c{i}@x.example"),
            ],
        )
        for i in range(count)
    ]
    for index in range(3):
        person = Person.objects.create(first_name="D", last_name=str(index), email=f"d{index}@x.ex")
        response = Response.objects.create(
            survey=survey,
            invitation=invite(survey, person),
            submitted_at=timezone.now() + timedelta(minutes=index),
        )
        Answer.objects.create(response=response, question=questions["helpful"], number=1)
        Answer.objects.create(response=response, question=questions["change"], text="More time")
        Answer.objects.create(
            response=response, question=questions["topics"], choices=["environment"]
        )
        for workshop in workshops:
            Answer.objects.create(
                response=response, question=questions["workshop"], workshop=workshop, number=4
            )
            Answer.objects.create(
                response=response,
                question=questions["workshop_comment"],
                workshop=workshop,
                text=f"Good {workshop.code}",
            )
            for person in workshop.facilitators.all():
                Answer.objects.create(
                    response=response,
                    question=questions["facilitator"],
                    workshop=workshop,
                    facilitator=person,
                    number=5,
                )
    return forum


@pytest.mark.parametrize("workshops", [1, 3])
def test_results_page_queries_secretariat(
    client, users, make_forum, django_assert_num_queries, workshops
):
    forum = _forum_with_workshops(make_forum, workshops, facilitator_email="f@x.example")
    client.force_login(users["secretariat"])

    with django_assert_num_queries(11):
        response = client.get(reverse("feedback:results", args=[forum.slug]))

    assert response.status_code == 200
    assert len(response.context["results"].workshops) == workshops


@pytest.mark.parametrize("workshops", [1, 3])
def test_results_page_queries_facilitator(
    client, users, make_forum, django_assert_num_queries, workshops
):
    forum = _forum_with_workshops(
        make_forum, workshops, facilitator_email="facilitator@example.com"
    )
    client.force_login(users["facilitator"])

    # One more than the secretariat's count of attendees for the minimum participation.
    with django_assert_num_queries(11):
        response = client.get(reverse("feedback:results", args=[forum.slug]))

    assert response.status_code == 200
    assert list(response.context["results"].workshops) == ["W0"]
