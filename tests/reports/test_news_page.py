from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from feedback.enums import SurveyStatus
from forums.enums import ForumStatus
from forums.models import Organisation, Person
from reports.facts import forum_news_facts
from reports.models import NewsDraft
from tests.feedback.results_fixture import build_results_fixture
from tests.html_forms import form_values
from workshops.models import Workshop


class _Textarea(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside = False
        self.text: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "textarea" and dict(attrs).get("name") == "text":
            self.inside, self.text = True, ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text += data


def draft_text(response) -> str:
    parser = _Textarea()
    parser.feed(response.content.decode())
    assert parser.text is not None
    return parser.text.removeprefix("\n")


@pytest.fixture
def held(make_forum, sponsor, make_member):
    forum = make_forum(
        slug="lima-2026",
        title="Supplier Forum Lima",
        city="Lima",
        country="PE",
        zone="America/Lima",
        day=date(2026, 3, 2),
    )
    forum.status = ForumStatus.HELD
    forum.save()
    sponsor(forum, make_member(name="Nestlé"))
    return forum


def _add_workshops(forum, count):
    iom = Organisation.objects.create(name="IOM", kind="international_body", country="CH")
    for number in range(count):
        workshop = Workshop.objects.create(
            forum=forum,
            code=f"W{number}",
            title=f"Workshop {number}",
            pillar="human_rights",
            starts_at=forum.starts_at,
            ends_at=forum.ends_at,
            seat_limit=20,
        )
        workshop.facilitators.add(
            Person.objects.create(first_name="Lara", last_name=f"White{number}", organisation=iom)
        )
        workshop.led_by.add(iom)


def test_news_page_shows_the_draft_written_from_the_data(staff_client, held):
    _add_workshops(held, 2)
    response = staff_client.get(reverse("reports:news", args=[held.slug]))
    assert response.status_code == 200
    assert draft_text(response).split("\n") == [
        "AIM-PROGRESS members host the Supplier Forum in Lima, Peru",
        "",
        "On 2 March 2026, zero participants attended the AIM-PROGRESS Supplier Forum in "
        "Lima, Peru.",
        "",
        "This forum was sponsored by one AIM-PROGRESS member: Nestlé.",
        "",
        "This one-day forum also offered two workshops:",
        "• Workshop 0, led by Lara White0 from IOM.",
        "• Workshop 1, led by Lara White1 from IOM.",
        "",
        "Since the beginning of these events, AIM-PROGRESS has held one forum, reaching zero "
        "companies and zero people.",
    ]


def test_news_page_in_spanish(staff_client, held):
    response = staff_client.get(reverse("reports:news", args=[held.slug]) + "?language=es")
    assert draft_text(response).split("\n")[0] == (
        "Miembros de AIM-PROGRESS organizan el Supplier Forum en Lima, Perú"
    )


def test_news_page_saves_the_edited_text_and_starts_again(staff_client, held, secretariat_user):
    url = reverse("reports:news", args=[held.slug])
    response = staff_client.post(url + "?language=es", {"text": "Texto revisado 🎉"})
    assert response.status_code == 302
    assert response["Location"] == url + "?language=es"
    draft = NewsDraft.objects.get(forum=held)
    assert (draft.language, draft.text, draft.updated_by) == (
        "es",
        "Texto revisado 🎉",
        secretariat_user,
    )
    assert draft_text(staff_client.get(url + "?language=es")) == "Texto revisado 🎉"
    # The English draft is still the one written from the data.
    assert draft_text(staff_client.get(url)).startswith("AIM-PROGRESS members host")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["news_draft_saved"]

    response = staff_client.post(url + "?language=es", {"reset": "1"})
    assert response.status_code == 302
    assert not NewsDraft.objects.exists()
    assert draft_text(staff_client.get(url + "?language=es")).startswith("Miembros de")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 20_001, "Ensure this value has at most 20000 characters (it has 20001)."),
        ("\u202eevil", "Remove the hidden character that changes the direction of the text"),
        ("", "This field is required."),
    ],
)
def test_news_page_refuses_bad_text_and_keeps_what_was_saved(staff_client, held, text, message):
    url = reverse("reports:news", args=[held.slug])
    staff_client.post(url, {"text": "Kept"})
    response = staff_client.post(url, {"text": text})
    assert response.status_code == 200
    assert message in response.context["form"].errors["text"][0]
    assert list(NewsDraft.objects.values_list("text", flat=True)) == ["Kept"]


def test_news_page_unknown_language_falls_back_to_english(staff_client, held):
    response = staff_client.get(reverse("reports:news", args=[held.slug]) + "?language=xx")
    assert response.context["language"] == "en"
    assert form_values(response, "news-form")["text"][0].startswith("AIM-PROGRESS members")


@pytest.mark.parametrize("count", [1, 3])
def test_news_page_query_count(staff_client, held, count, django_assert_num_queries):
    _add_workshops(held, count)
    url = reverse("reports:news", args=[held.slug])
    with django_assert_num_queries(13):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_news_facts_take_the_helpful_share_of_a_closed_survey(make_forum):
    kl = build_results_fixture(make_forum)
    kl.forum.status = ForumStatus.HELD
    kl.forum.save()
    assert forum_news_facts(kl.forum).helpful is None  # the survey is not closed yet
    kl.survey.status = SurveyStatus.CLOSED
    kl.survey.save()
    # Helpful: yes from r1–r5, no from r6, r7 did not answer.
    assert forum_news_facts(kl.forum).helpful == (5, 6)
