"""The answering page: the link, the form built from the questions, one response per
registration and editing it, anonymous mode, and bad input."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import CheckIn
from audit.services import Actor
from feedback import services
from feedback.enums import SurveyStatus
from feedback.models import Answer, Response, Survey, SurveyInvitation
from tests.feedback.conftest import check_in


@pytest.fixture
def opened(survey, staff, committed):
    committed(services.survey_open, survey=survey, by=staff)
    survey.refresh_from_db()
    return survey


def url_of(registration):
    """The person's link; those checked in after the survey opened are invited first."""
    invitation = SurveyInvitation.objects.filter(registration=registration).first()
    if invitation is None:
        survey = Survey.objects.get()
        services.survey_invite_new_attendees(survey=survey, by=Actor.system())
        invitation = SurveyInvitation.objects.get(registration=registration)
    return reverse("feedback:answer", args=[invitation.secret])


def question_id(key):
    from feedback.models import Question

    return Question.objects.get(key=key).pk


def valid_answers(workshop, facilitators, **extra):
    data = {
        f"q{question_id('helpful')}": "1",
        f"q{question_id('overall')}": "4",
        f"q{question_id('recommend')}": "9",
        f"q{question_id('workshop')}_w{workshop('A1').pk}": "5",
        f"q{question_id('facilitator')}_w{workshop('A1').pk}_f{facilitators['lara'].pk}": "4",
        f"q{question_id('workshop_comment')}_w{workshop('B1').pk}": "Good <b>maps</b>",
        f"q{question_id('topics')}": ["environment", "A1"],
        f"q{question_id('comments')}": "<script>alert(1)</script>",
    }
    data.update(extra)
    return data


class Fields(HTMLParser):
    """Names of the form's inputs, the checked ones' values and the textareas' text."""

    def __init__(self):
        super().__init__()
        self.names, self.checked, self.texts, self._area = [], {}, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") not in (None, "csrfmiddlewaretoken", "next"):
            if attrs["name"] not in self.names:
                self.names.append(attrs["name"])
            if "checked" in attrs:
                self.checked.setdefault(attrs["name"], []).append(attrs["value"])
        if tag == "textarea":
            self.names.append(attrs["name"])
            self._area = attrs["name"]
            self.texts[self._area] = ""

    def handle_data(self, data):
        if self._area:
            self.texts[self._area] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # A browser drops the newline that opens a textarea's content.
            self.texts[self._area] = self.texts[self._area].removeprefix("\r").removeprefix("\n")
            self._area = None


def fields_of(response):
    parser = Fields()
    parser.feed(response.content.decode())
    return parser


def h1(response):
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_answer_page_asks_per_attended_workshop_and_facilitator(
    client, opened, attendee, workshop, facilitators
):
    registration = attendee(workshops=("A1", "B1"))

    page = client.get(url_of(registration))

    q = question_id
    a1, b1 = workshop("A1").pk, workshop("B1").pk
    f = facilitators
    assert fields_of(page).names == [
        f"q{q('helpful')}",
        f"q{q('overall')}",
        f"q{q('recommend')}",
        f"q{q('workshop')}_w{a1}",
        f"q{q('facilitator')}_w{a1}_f{f['lara'].pk}",
        f"q{q('workshop_comment')}_w{a1}",
        f"q{q('workshop')}_w{b1}",
        f"q{q('facilitator')}_w{b1}_f{f['khai'].pk}",
        f"q{q('facilitator')}_w{b1}_f{f['patrick'].pk}",
        f"q{q('workshop_comment')}_w{b1}",
        f"q{q('change')}",
        f"q{q('topics')}",
        f"q{q('comments')}",
    ]
    html = page.content.decode()
    # Ratings are radio buttons 1–5, the recommendation 0–10.
    assert re.findall(rf'name="q{q("overall")}" value="(\d+)"', html) == list("12345")
    assert re.findall(rf'name="q{q("recommend")}" value="(\d+)"', html) == [
        str(n) for n in range(11)
    ]


def test_answer_page_without_workshop_checkins_asks_only_forum_questions(
    client, opened, forum, register, staff, committed, survey
):
    registration = register(forum).registration
    check_in(registration)
    committed(services.survey_invite_new_attendees, survey=survey, by=staff)

    names = fields_of(client.get(url_of(registration))).names

    assert names == [
        f"q{question_id(k)}"
        for k in ("helpful", "overall", "recommend", "change", "topics", "comments")
    ]


def test_answer_stores_the_answers(client, opened, attendee, workshop, facilitators):
    registration = attendee()

    page = client.post(url_of(registration), valid_answers(workshop, facilitators))

    assert page.status_code == 302
    response = Response.objects.get()
    assert response.invitation == SurveyInvitation.objects.get(registration=registration)
    answers = {
        (a.question.key, a.workshop.code if a.workshop else None, a.facilitator_id): (
            a.number,
            a.choices,
            a.text,
        )
        for a in Answer.objects.select_related("question", "workshop")
    }
    assert answers == {
        ("helpful", None, None): (1, [], ""),
        ("overall", None, None): (4, [], ""),
        ("recommend", None, None): (9, [], ""),
        ("workshop", "A1", None): (5, [], ""),
        ("facilitator", "A1", facilitators["lara"].pk): (4, [], ""),
        ("workshop_comment", "B1", None): (None, [], "Good <b>maps</b>"),
        ("topics", None, None): (None, ["environment", "A1"], ""),
        ("comments", None, None): (None, [], "<script>alert(1)</script>"),
    }
    assert SurveyInvitation.objects.get().responded_at is not None


def test_answer_second_visit_shows_edit_with_current_values(
    client, opened, attendee, workshop, facilitators
):
    registration = attendee()
    client.post(url_of(registration), valid_answers(workshop, facilitators))

    page = client.get(url_of(registration))

    html = page.content.decode()
    assert re.search(r'id="editing">(.*?)</p>', html).group(1) == (
        "You have already answered. You can edit your answers below until the survey closes."
    )
    fields = fields_of(page)
    assert fields.checked[f"q{question_id('overall')}"] == ["4"]
    assert fields.checked[f"q{question_id('topics')}"] == ["environment", "A1"]
    # Shown as text, never as HTML.
    comments = f"q{question_id('comments')}"
    assert fields.texts[comments] == "<script>alert(1)</script>"
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_answer_edit_replaces_the_answers_of_the_one_response(
    client, opened, attendee, workshop, facilitators
):
    registration = attendee()
    client.post(url_of(registration), valid_answers(workshop, facilitators))
    changed = valid_answers(workshop, facilitators, **{f"q{question_id('overall')}": "2"})
    del changed[f"q{question_id('comments')}"]

    client.post(url_of(registration), changed)

    assert Response.objects.count() == 1
    assert Answer.objects.get(question__key="overall").number == 2
    assert not Answer.objects.filter(question__key="comments").exists()


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("overall", "999", "Choose a number from 1 to 5."),
        ("recommend", "11", "Choose a number from 0 to 10."),
        ("helpful", "maybe", "Choose yes or no."),
        ("overall", "", "Choose a number from 1 to 5."),
    ],
)
def test_answer_bad_values_get_field_messages_and_keep_what_was_typed(
    client, opened, attendee, workshop, facilitators, key, value, message
):
    registration = attendee()
    data = valid_answers(workshop, facilitators, **{f"q{question_id(key)}": value})

    page = client.post(url_of(registration), data)

    assert page.status_code == 200
    name = f"q{question_id(key)}"
    errors = re.search(rf'id="id_{name}_errors" role="alert"><li>(.*?)</li>', page.content.decode())
    assert errors.group(1) == message
    fields = fields_of(page)
    assert fields.checked[f"q{question_id('recommend' if key != 'recommend' else 'overall')}"] == [
        "9" if key != "recommend" else "4"
    ]
    assert fields.texts[f"q{question_id('comments')}"] == "<script>alert(1)</script>"
    assert Response.objects.count() == 0


def test_answer_text_too_long_is_refused_on_its_field(
    client, opened, attendee, workshop, facilitators
):
    registration = attendee()
    data = valid_answers(workshop, facilitators, **{f"q{question_id('change')}": "é" * 10_000})

    page = client.post(url_of(registration), data)

    name = f"q{question_id('change')}"
    assert page.status_code == 200
    errors = re.search(rf'id="id_{name}_errors" role="alert"><li>(.*?)</li>', page.content.decode())
    assert errors.group(1) == "Enter at most 4000 characters (it has 10000)."
    assert Response.objects.count() == 0


def test_answer_tampered_link_is_a_404_that_explains(client, opened, attendee):
    registration = attendee()
    url = url_of(registration)

    page = client.get(url[:-3] + "xx/")

    assert page.status_code == 404
    assert h1(page) == "This link does not work"
    assert client.get(reverse("feedback:answer", args=["1"])).status_code == 404


def test_answer_before_opening_and_after_closing(client, survey, staff, attendee, committed):
    registration = attendee()
    invitation = SurveyInvitation.objects.create(survey=survey, registration=registration)
    url = reverse("feedback:answer", args=[invitation.secret])

    assert h1(client.get(url)) == "The survey is not open yet"
    committed(services.survey_open, survey=survey, by=staff)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timezone.timedelta(1))
    assert h1(client.get(url)) == "The survey is closed"
    Survey.objects.filter(pk=survey.pk).update(closes_at=None, status=SurveyStatus.CLOSED)
    page = client.post(url, {f"q{question_id('overall')}": "5"})
    assert h1(page) == "The survey is closed"
    assert Response.objects.count() == 0


def test_answer_after_checkin_undone_says_no_record_of_attending(client, opened, attendee):
    registration = attendee()
    url = url_of(registration)
    CheckIn.objects.filter(registration=registration, workshop=None).update(
        undone_at=timezone.now()
    )

    page = client.get(url)
    posted = client.post(url, {f"q{question_id('overall')}": "5"})

    assert h1(page) == "We have no record that you attended"
    assert h1(posted) == "We have no record that you attended"
    assert Response.objects.count() == 0


def test_answer_in_the_registrants_language_unless_switched(client, opened, attendee):
    registration = attendee(language="es")
    url = url_of(registration)

    assert re.search(r'<html lang="(\w+)"', client.get(url).content.decode()).group(1) == "es"
    client.cookies["django_language"] = "en"
    assert re.search(r'<html lang="(\w+)"', client.get(url).content.decode()).group(1) == "en"


@pytest.fixture
def anonymous(survey):
    Survey.objects.filter(pk=survey.pk).update(anonymous=True)
    survey.refresh_from_db()
    return survey


def test_anonymous_answer_keeps_no_link_to_the_person(
    client, anonymous, staff, committed, attendee, workshop, facilitators
):
    committed(services.survey_open, survey=anonymous, by=staff)
    registration = attendee()
    committed(services.survey_invite_new_attendees, survey=anonymous, by=staff)

    client.post(url_of(registration), valid_answers(workshop, facilitators))

    response = Response.objects.get()
    invitation = SurveyInvitation.objects.get(registration=registration)
    assert response.invitation is None
    assert response.language == ""
    # No time but the survey's own (the forum's start): none orders or dates the answers.
    assert [response.submitted_at, response.updated_at, invitation.responded_at] == [
        anonymous.forum.starts_at
    ] * 3
    # No column of the response or its answers names the registration, person or invitation.
    values = list(Response.objects.values().get().values()) + [
        v for row in Answer.objects.values() for v in row.values()
    ]
    for secret in (invitation.secret, registration.secret, registration.person.email):
        assert secret not in values
    linking = [
        f.name
        for model in (Response, Answer)
        for f in model._meta.concrete_fields
        if f.is_relation
        and f.related_model.__name__ in {"Registration", "Person"}
        and f.name != "facilitator"
    ]
    assert linking == []


def test_anonymous_second_visit_says_thank_you_and_cannot_edit(
    client, anonymous, staff, committed, attendee, workshop, facilitators
):
    registration = attendee()
    committed(services.survey_open, survey=anonymous, by=staff)
    url = url_of(registration)
    client.post(url, valid_answers(workshop, facilitators))

    page = client.get(url)
    again = client.post(url, valid_answers(workshop, facilitators))

    assert h1(page) == "Thank you, your answers were sent"
    assert h1(again) == "Thank you, your answers were sent"
    assert Response.objects.count() == 1


@pytest.mark.parametrize("workshops", [("A1",), ("A1", "A2", "B1")])
def test_answer_page_query_count(
    client, opened, attendee, workshop, facilitators, workshops, django_assert_num_queries
):
    registration = attendee(workshops=workshops[:1] if len(workshops) == 1 else ("A1", "B1"))
    if len(workshops) == 3:
        check_in(registration, workshop("A2"))
    url = url_of(registration)

    with django_assert_num_queries(6):
        page = client.get(url)

    assert page.status_code == 200
    expected = len(workshops)
    assert len(re.findall(r'<section class="workshop"', page.content.decode())) == expected
