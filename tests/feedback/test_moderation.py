"""The secretariat's review of free-text answers, and the minimum participation below which
facilitators and sponsors see no figure (feedback.selectors.Threshold)."""

import re
from fractions import Fraction

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from feedback.enums import CommentReview
from feedback.models import Answer, Response
from feedback.selectors import Threshold
from forums.models import Person
from tests.feedback.results_fixture import (
    FORMULA,
    SCRIPT,
    build_results_fixture,
    build_survey,
    figure,
    figures,
    invite,
)


@pytest.fixture
def kl(make_forum, sponsor, users):
    kl = build_results_fixture(make_forum)
    sponsor(kl.forum, users["member"].organisation)
    return kl


def _page(client, user, forum) -> str:
    client.force_login(user)
    response = client.get(reverse("feedback:results", args=[forum.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _review(text: str, state: str) -> None:
    assert Answer.objects.filter(text=text).update(review=state) == 1


@pytest.fixture
def reviewed(kl):
    """Every state once: the change comments published and private, the other comment hidden,
    A1's comment not reviewed, B2's published."""
    _review(SCRIPT, CommentReview.PUBLISHED)
    _review("Map our suppliers", CommentReview.PRIVATE)
    _review("Thanks, very useful", CommentReview.HIDDEN)
    _review("Too short", CommentReview.PUBLISHED)
    return kl


def _comments(html: str) -> dict[str, list[str]]:
    found = figures(html)
    return {
        key: found.get(f"{key}:comment", []) for key in ("change", "comments", "workshop_comment")
    }


def test_moderation_member_sees_only_published_comments(client, users, reviewed):
    html = _page(client, users["member"], reviewed.forum)
    assert _comments(html) == {
        "change": [SCRIPT],
        "comments": [],
        "workshop_comment": ["Too short"],
    }
    # The state is the secretariat's to see.
    assert "change:comment:review" not in figures(html)


def test_moderation_facilitator_sees_only_published_comments_of_own_workshop(
    client, users, reviewed
):
    for code in ("A1", "B2"):
        reviewed.workshops[code].facilitators.add(
            Person.objects.get_or_create(
                first_name="Fa", last_name="Cilitator", email="facilitator@example.com"
            )[0]
        )
    html = _page(client, users["facilitator"], reviewed.forum)
    # A1's comment is not reviewed yet: private.
    assert _comments(html) == {"change": [], "comments": [], "workshop_comment": ["Too short"]}


def test_moderation_secretariat_sees_every_comment_with_its_state(client, users, reviewed):
    found = figures(_page(client, users["secretariat"], reviewed.forum))
    assert found["change:comment"] == [SCRIPT, "Map our suppliers"]
    assert found["change:comment:review"] == ["Published", "Private to the secretariat"]
    assert found["comments:comment"] == ["Thanks, very useful"]
    assert found["comments:comment:review"] == ["Hidden"]
    assert found["workshop_comment:comment"] == [FORMULA, "Too short"]
    assert found["workshop_comment:comment:review"] == ["Not reviewed", "Published"]


def _post(client, user, forum, **data):
    client.force_login(user)
    return client.post(reverse("feedback:review", args=[forum.slug]), data)


def test_review_page_publish_private_hide_one_comment(client, users, kl):
    answer = Answer.objects.get(text="Map our suppliers")
    for state in ("published", "private", "hidden"):
        response = _post(client, users["secretariat"], kl.forum, answer=answer.pk, action=state)
        assert response.status_code == 302
        answer.refresh_from_db()
        assert answer.review == state
    entries = AuditEntry.objects.filter(action="feedback.comment_reviewed")
    assert [e.data for e in entries.order_by("id")] == [
        {"review": "published"},
        {"review": "private"},
        {"review": "hidden"},
    ]


def test_review_page_publish_all_leaves_reviewed_comments_alone(client, users, reviewed):
    response = _post(client, users["secretariat"], reviewed.forum, action="publish_all")
    assert response.status_code == 302
    assert dict(Answer.objects.exclude(text="").values_list("text", "review")) == {
        SCRIPT: "published",
        "Map our suppliers": "private",
        "Thanks, very useful": "hidden",
        FORMULA: "published",
        "Too short": "published",
    }


def test_redact_removes_email_and_registered_name_and_keeps_no_original(client, users, kl):
    answer = Answer.objects.get(text="Map our suppliers")
    original = "Write to delegate1@x.example, or ask delegate2 NUMBER2 and Lara White."
    Answer.objects.filter(pk=answer.pk).update(text=original)

    response = _post(client, users["secretariat"], kl.forum, answer=answer.pk, action="redact")

    assert response.status_code == 302
    answer.refresh_from_db()
    # Delegate2 Number2 registered for the forum; Lara White only facilitated, so stays.
    assert answer.text == "Write to […], or ask […] and Lara White."
    (entry,) = AuditEntry.objects.filter(action="feedback.comment_redacted")
    assert entry.data == {"how": "automatic"}
    assert entry.object_id == str(answer.pk)
    stored = f"{entry.object_repr} {entry.data}"
    for secret in ("delegate1@x.example", "delegate2", "NUMBER2", "Write to"):
        assert secret.lower() not in stored.lower()


def test_redact_by_hand_replaces_the_text(client, users, kl):
    answer = Answer.objects.get(text="Map our suppliers")
    response = _post(
        client, users["secretariat"], kl.forum, answer=answer.pk, action="edit", text=" Map […] "
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text == "Map […]"
    (entry,) = AuditEntry.objects.filter(action="feedback.comment_redacted")
    assert entry.data == {"how": "edited"}


MESSAGES = {
    "No such comment in this forum&#x27;s feedback.",
    "Choose what to do with the comment.",
    "This value is longer than 5000 characters.",
    "This value contains a NUL character.",
    "This value is required.",
}


@pytest.mark.parametrize(
    "data",
    [
        {"answer": "²", "action": "published"},
        {"answer": "1\x00", "action": "published"},
        {"answer": "9" * 10_000, "action": "published"},
        {"action": "published"},
        {"answer": "{own}", "action": "nonsense"},
        {"answer": "{own}", "action": "edit", "text": "x" * 10_000},
        {"answer": "{own}", "action": "edit", "text": "bad\x00text"},
        {"answer": "{own}", "action": "edit", "text": "   "},
        # An answer of another forum's survey.
        {"answer": "{other}", "action": "published"},
        {"answer": "{other}", "action": "redact"},
        # An answer of this forum that is not a comment (a rating).
        {"answer": "{rating}", "action": "published"},
    ],
)
def test_review_page_bad_input_answers_400_and_changes_nothing(client, users, kl, make_forum, data):
    other_forum = make_forum(slug="other-forum")
    survey, questions = build_survey(other_forum)
    person = Person.objects.create(first_name="O", last_name="Ther", email="o@x.example")
    invite(survey, person)
    other = Answer.objects.create(
        response=Response.objects.create(survey=survey, submitted_at=kl.forum.starts_at),
        question=questions["change"],
        text="Another forum's comment",
    )
    ids = {
        "{own}": str(Answer.objects.get(text="Map our suppliers").pk),
        "{other}": str(other.pk),
        "{rating}": str(Answer.objects.filter(question__key="overall").first().pk),
    }
    data = {key: ids.get(value, value) for key, value in data.items()}
    before = list(Answer.objects.order_by("pk").values_list("pk", "text", "review"))

    response = _post(client, users["secretariat"], kl.forum, **data)

    assert response.status_code == 400
    body = response.content.decode()
    if any("\x00" in value for value in data.values()):
        # Refused before any view (config.params.RefuseNulMiddleware).
        assert body == "The request contains a NUL character, which no field accepts."
    else:
        error = re.search(r'id="review-error">([^<]*)<', body)
        assert error is not None and error.group(1) in MESSAGES
    assert list(Answer.objects.order_by("pk").values_list("pk", "text", "review")) == before
    assert AuditEntry.objects.filter(action__startswith="feedback.comment_").count() == 0


def test_review_page_lists_every_comment_with_its_state(client, users, reviewed):
    client.force_login(users["secretariat"])
    html = client.get(reverse("feedback:review", args=[reviewed.forum.slug])).content.decode()
    assert html.count('data-comment="state"') == 5


@pytest.mark.parametrize("comments", [1, 3])
def test_review_page_queries(client, users, make_forum, django_assert_num_queries, comments):
    forum = make_forum(slug="query-forum")
    survey, questions = build_survey(forum)
    for index in range(comments):
        response = Response.objects.create(survey=survey, submitted_at=forum.starts_at)
        Answer.objects.create(response=response, question=questions["change"], text=f"C{index}")
    client.force_login(users["secretariat"])

    with django_assert_num_queries(5):
        response = client.get(reverse("feedback:review", args=[forum.slug]))

    assert response.status_code == 200
    assert response.content.decode().count('data-comment="state"') == comments


# Thresholds: at least FEEDBACK_MIN_ANSWERS answers and FEEDBACK_MIN_SHARE of the attendees.


@pytest.mark.parametrize(
    "n, attendees, min_answers, min_share, held",
    [
        (4, 16, 5, "0.2", True),
        (5, 16, 5, "0.2", False),
        # 20% of 30 attendees is 6.
        (5, 30, 1, "0.2", True),
        (6, 30, 1, "0.2", False),
    ],
)
def test_threshold_boundaries(n, attendees, min_answers, min_share, held):
    threshold = Threshold(
        attendees=attendees, min_answers=min_answers, min_share=Fraction(min_share)
    )
    assert threshold.holds_back(n) is held


def test_threshold_defaults(settings):
    assert (settings.FEEDBACK_MIN_ANSWERS, settings.FEEDBACK_MIN_SHARE) == (5, "0.2")


# On the page: "helpful" has 6 answers from 16 attendees (37.5%).


def test_threshold_member_below_minimum_answers_sees_notice(client, users, kl, settings):
    settings.FEEDBACK_MIN_ANSWERS, settings.FEEDBACK_MIN_SHARE = 7, "0"
    html = _page(client, users["member"], kl.forum)
    assert figure(html, "summary:helpful:withheld") == (
        "Not enough answers to show (6 answers of 16 attendees)."
    )
    assert "summary:helpful" not in figures(html)


def test_threshold_member_at_minimum_answers_sees_figure(client, users, kl, settings):
    settings.FEEDBACK_MIN_ANSWERS, settings.FEEDBACK_MIN_SHARE = 6, "0"
    html = _page(client, users["member"], kl.forum)
    assert figure(html, "summary:helpful") == "83%"
    assert "summary:helpful:withheld" not in figures(html)


def test_threshold_member_share_just_below_minimum(client, users, kl, settings):
    settings.FEEDBACK_MIN_ANSWERS, settings.FEEDBACK_MIN_SHARE = 0, "0.3751"
    html = _page(client, users["member"], kl.forum)
    assert "summary:helpful" not in figures(html)
    assert figure(html, "summary:helpful:withheld") == (
        "Not enough answers to show (6 answers of 16 attendees)."
    )


def test_threshold_member_share_at_minimum(client, users, kl, settings):
    settings.FEEDBACK_MIN_ANSWERS, settings.FEEDBACK_MIN_SHARE = 0, "0.375"
    html = _page(client, users["member"], kl.forum)
    assert figure(html, "summary:helpful") == "83%"


def test_threshold_facilitator_workshop_average(client, users, kl, settings):
    kl.workshops["B2"].facilitators.add(
        Person.objects.create(
            first_name="Fa", last_name="Cilitator", email="facilitator@example.com"
        )
    )
    settings.FEEDBACK_MIN_SHARE = "0"
    # B2's workshop rating rests on 2 answers.
    settings.FEEDBACK_MIN_ANSWERS = 2
    assert figure(_page(client, users["facilitator"], kl.forum), "workshop:B2:average") == "3.5"
    settings.FEEDBACK_MIN_ANSWERS = 3
    assert figure(_page(client, users["facilitator"], kl.forum), "workshop:B2:average") == (
        "Not enough answers to show (2 answers of 16 attendees)."
    )


def test_threshold_secretariat_sees_everything(client, users, kl, settings):
    settings.FEEDBACK_MIN_ANSWERS, settings.FEEDBACK_MIN_SHARE = 100, "1"
    html = _page(client, users["secretariat"], kl.forum)
    found = figures(html)
    assert figure(html, "summary:helpful") == "83%"
    assert figure(html, "workshop:B2:average") == "3.5"
    assert [name for name in found if name.endswith(":withheld")] == []
