"""Every figure of the results against values counted by hand from the fixture's table
(tests/feedback/results_fixture.py):

helpful  1 1 1 1 1 0 –       → 5 yes of 6 answered = 83.33…% → "83%"
overall  5 4 4 3 5 2 4       → 27/7 = 3.857… → "3.9"; 1:0 2:1 3:1 4:3 5:2
recommend 10 9 8 7 6 0 10    → promoters 3, passives 2, detractors 2: (3−2)/7 = +14.28… → "+14"
A1       5 3 3 2             → 13/4 = 3.25 → "3.3" (half away from zero; round() gives 3.2)
B2       3 4                 → 3.5, n=2: small n
A1:White 5 5 4               → 14/3 = 4.67 → "4.7"
B2:McKeller 2; B2:Chua 4 5   → 2.0 (n=1), 4.5 (n=2)
topics   5 people answered (r4 ticked none, r6 skipped): environment 4 → 80%,
         human_rights 2 → 40%, health_safety 1 → 20%, business_integrity 1 → 20%
attendees 16 (all invited by e-mail), responses 7 (5 online, 2 on paper) → 43.75% → "44%"
"""

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from feedback.enums import CommentReview
from feedback.models import Answer
from feedback.selectors import round_half_away, survey_results
from forums.models import Person
from tests.feedback.results_fixture import (
    SCRIPT,
    build_results_fixture,
    figure,
    figures,
    main_links,
    main_text,
)


@pytest.fixture
def kl(make_forum):
    return build_results_fixture(make_forum)


def _page(client, user, forum):
    client.force_login(user)
    response = client.get(reverse("feedback:results", args=[forum.slug]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "value, places, expected",
    [
        (Fraction(125, 2), 0, "63"),  # 62.5
        (Fraction(-29, 2), 0, "-15"),  # −14.5
        (Fraction(13, 4), 1, "3.3"),  # 3.25
        (Fraction(1, 2), 0, "1"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(100, 3), 0, "33"),
        (Fraction(0), 1, "0.0"),
    ],
)
def test_round_half_away_from_zero(value, places, expected):
    assert round_half_away(value, places) == Decimal(expected)
    assert str(round_half_away(value, places)) == expected


def test_survey_results_every_figure_counted_by_hand(kl):
    results = survey_results(kl.survey)

    summary = results.summary
    assert (summary.attendees, summary.invited_by_email) == (16, 16)
    assert (summary.responses, summary.online, summary.paper) == (7, 5, 2)
    assert (results.response_rate.count, results.response_rate.n) == (7, 16)
    assert results.response_rate.value == 43.75
    assert results.response_rate.percent == Decimal("44")
    helpful = results.helpful
    assert (helpful.count, helpful.n) == (5, 6)
    assert helpful.exact == Fraction(500, 6)
    assert helpful.percent == Decimal("83")
    overall = results.overall
    assert (overall.average.total, overall.average.n) == (27, 7)
    assert overall.average.display == "3.9"
    assert [(b.value, b.share.count) for b in overall.distribution] == [
        (1, 0),
        (2, 1),
        (3, 1),
        (4, 3),
        (5, 2),
    ]
    nps = results.nps
    assert (nps.promoters, nps.passives, nps.detractors, nps.n) == (3, 2, 2, 7)
    assert nps.exact == Fraction(100, 7)
    assert nps.display == "+14"
    assert {code: (a.total, a.n, a.display) for code, a in results.workshops.items()} == {
        "A1": (13, 4, "3.3"),
        "B2": (7, 2, "3.5"),
    }
    assert {key: (a.total, a.n, a.display) for key, a in results.facilitators.items()} == {
        "A1:White": (14, 3, "4.7"),
        "B2:Chua": (9, 2, "4.5"),
        "B2:McKeller": (2, 1, "2.0"),
    }
    topics = results.topics
    assert topics.answered == 5
    assert [(o.key, o.share.count, o.share.percent) for o in topics.options] == [
        ("human_rights", 2, Decimal("40")),
        ("health_safety", 1, Decimal("20")),
        ("environment", 4, Decimal("80")),
        ("business_integrity", 1, Decimal("20")),
    ]


def test_survey_results_flags_small_n(kl):
    results = survey_results(kl.survey)

    assert results.workshops["B2"].small_n is True
    assert results.workshops["A1"].small_n is False
    assert results.facilitators["A1:White"].small_n is False  # exactly 3
    assert results.facilitators["B2:Chua"].small_n is True
    assert results.helpful.small_n is False


def test_survey_results_json(kl):
    data = survey_results(kl.survey).as_json()

    assert data["attendees"] == 16
    assert data["invited_by_email"] == 16
    assert (data["responses"], data["responses_online"], data["responses_paper"]) == (7, 5, 2)
    assert data["response_rate"] == {"responses": 7, "attendees": 16, "share": 43.75}
    assert data["responses_beyond_attendees"] == 0
    assert data["helpful"] == {"yes": 5, "answered": 6, "share": 500 / 6}
    assert data["overall"] == {
        "average": 27 / 7,
        "n": 7,
        "distribution": {"1": 0, "2": 1, "3": 1, "4": 3, "5": 2},
    }
    assert data["nps"] == {
        "score": 100 / 7,
        "promoters": 3,
        "passives": 2,
        "detractors": 2,
        "n": 7,
    }
    assert data["workshops"] == {"A1": {"average": 3.25, "n": 4}, "B2": {"average": 3.5, "n": 2}}
    assert data["facilitators"] == {
        "A1:White": {"average": 14 / 3, "n": 3},
        "B2:Chua": {"average": 4.5, "n": 2},
        "B2:McKeller": {"average": 2.0, "n": 1},
    }
    assert data["topics"]["shares"]["environment"] == {"count": 4, "share": 80.0}


def test_survey_results_page_shows_each_figure_in_its_place(client, users, kl):
    html = _page(client, users["secretariat"], kl.forum)

    assert figure(html, "summary:response_rate") == "44%"
    assert figure(html, "summary:response_rate:n") == "7 of 16 attendees answered."
    assert figure(html, "summary:invited_by_email") == "16 people invited by e-mail."
    assert figure(html, "summary:responses_by_source") == "Answered online: 5; on paper: 2."
    assert figure(html, "summary:helpful") == "83%"
    assert figure(html, "summary:helpful:n") == (
        "83% of respondents found the event helpful (5 of 6 who answered)."
    )
    assert figure(html, "summary:overall") == "3.9"
    assert figure(html, "summary:overall:n") == "out of 5, from 7 answers"
    assert figure(html, "summary:nps") == "+14"
    assert figure(html, "summary:nps:n") == "from 7 answers, from −100 to +100"
    assert figure(html, "overall:average") == "3.9"
    assert [figure(html, f"overall:{v}:count") for v in range(1, 6)] == ["0", "1", "1", "3", "2"]
    assert figure(html, "overall:4:share") == "43%"  # 3/7 = 42.86%
    assert figure(html, "recommend:nps") == "+14"
    assert figure(html, "helpful:share") == "83%"
    assert (figure(html, "helpful:yes"), figure(html, "helpful:no")) == ("5", "1")
    assert figure(html, "workshop:A1:average") == "3.3"
    assert figure(html, "workshop:A1:n") == "4"
    assert figure(html, "workshop:B2:average") == "3.5"
    assert figure(html, "facilitator:A1:White:average") == "4.7"
    assert figure(html, "facilitator:A1:White:name") == "Lara White"
    assert figure(html, "facilitator:B2:McKeller:average") == "2.0"
    assert figure(html, "topics:environment:share") == "80%"
    assert figure(html, "topics:human_rights:share") == "40%"
    assert figure(html, "topics:health_safety:count") == "1"


def test_survey_results_page_small_n_notice_in_its_place(client, users, kl):
    html = _page(client, users["secretariat"], kl.forum)

    assert figure(html, "workshop:B2:notice") == "Only 2 answers: too few to rely on."
    assert figure(html, "facilitator:B2:McKeller:notice") == "Only 1 answer: too few to rely on."
    # Three answers or more: no notice.
    assert "workshop:A1:notice" not in figures(html)
    assert "facilitator:A1:White:notice" not in figures(html)
    assert "summary:helpful:notice" not in figures(html)


def test_survey_results_page_no_answers_yet(client, users, make_forum):
    from tests.feedback.results_fixture import build_survey

    forum = make_forum(slug="empty-forum")
    build_survey(forum)
    html = _page(client, users["secretariat"], forum)

    assert figure(html, "summary:response_rate:notice") == "No answers yet."
    assert figure(html, "overall:notice") == "No answers yet."
    assert "summary:overall" not in figures(html)


def test_survey_results_page_comments_are_text_with_names_for_the_secretariat(client, users, kl):
    html = _page(client, users["secretariat"], kl.forum)

    assert figures(html)["change:comment"] == [SCRIPT, "Map our suppliers"]
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert figures(html)["change:comment:name"] == ["– Delegate1 Number1", "– Delegate2 Number2"]
    assert figures(html)["workshop_comment:comment:workshop"] == ["A1", "B2"]


def _publish_all_without_minimum(settings) -> None:
    """Moderation aside (tests/feedback/test_moderation.py): every comment published, no
    figure held back."""
    Answer.objects.exclude(text="").update(review=CommentReview.PUBLISHED)
    settings.FEEDBACK_MIN_ANSWERS = 0
    settings.FEEDBACK_MIN_SHARE = "0"


def test_survey_results_page_member_sees_no_names(client, users, kl, sponsor, settings):
    sponsor(kl.forum, users["member"].organisation)
    _publish_all_without_minimum(settings)
    html = _page(client, users["member"], kl.forum)

    assert figures(html)["change:comment"] == [SCRIPT, "Map our suppliers"]
    assert "change:comment:name" not in figures(html)
    shown = main_text(html)
    for person in kl.respondents:
        assert person.last_name not in shown
    assert [link for link in main_links(html) if "/export." in link] == []
    assert figure(html, "summary:helpful") == "83%"


def test_survey_results_anonymous_survey_shows_no_names_even_to_the_secretariat(
    client, users, make_forum
):
    kl = build_results_fixture(make_forum, anonymous=True)
    html = _page(client, users["secretariat"], kl.forum)

    assert "change:comment:name" not in figures(html)
    assert "Delegate" not in main_text(html)
    assert figure(html, "summary:helpful") == "83%"


def test_survey_results_page_facilitator_sees_only_own_workshop(client, users, kl, settings):
    _publish_all_without_minimum(settings)
    kl.workshops["B2"].facilitators.add(
        Person.objects.create(
            first_name="Fa", last_name="Cilitator", email="FACILITATOR@example.com"
        )
    )
    html = _page(client, users["facilitator"], kl.forum)
    found = figures(html)

    assert figure(html, "workshop:B2:average") == "3.5"
    assert figure(html, "facilitator:B2:Chua:average") == "4.5"
    assert found["workshop_comment:comment"] == ["Too short"]
    # A1's score, facilitator and comment are not in the workshop table, nor anywhere.
    assert [name for name in found if name.startswith("workshop:")] == [
        "workshop:B2:code",
        "workshop:B2:average",
        "workshop:B2:n",
        "workshop:B2:notice",
    ]
    assert "facilitator:A1:White:average" not in found
    # Compared with the text the page shows (chart labels included), not with the raw HTML,
    # where a CSRF token may happen to contain "A1".
    shown = main_text(html)
    assert "A1" not in shown
    assert "White" not in shown
    # Nothing of the forum as a whole: no summary, no question asked once.
    assert sorted({name.split(":")[0] for name in found}) == [
        "facilitator",
        "workshop",
        "workshop_comment",
    ]
    assert "Map our suppliers" not in shown


def test_survey_results_page_without_survey(client, users, make_forum):
    forum = make_forum(slug="no-survey")
    html = _page(client, users["secretariat"], forum)
    assert "This forum has no feedback survey yet." in html


def test_feedback_results_command_json(kl, capsys):
    call_command("feedback_results", kl.forum.slug, "--json")
    data = json.loads(capsys.readouterr().out)

    assert {key: data[key] for key in ("attendees", "invited_by_email", "response_rate")} == {
        "attendees": 16,
        "invited_by_email": 16,
        "response_rate": {"responses": 7, "attendees": 16, "share": 43.75},
    }
    assert data["helpful"] == {"yes": 5, "answered": 6, "share": 500 / 6}
    assert data["overall"]["average"] == 27 / 7
    assert data["overall"]["distribution"] == {"1": 0, "2": 1, "3": 1, "4": 3, "5": 2}
    assert data["nps"] == {
        "score": 100 / 7,
        "promoters": 3,
        "passives": 2,
        "detractors": 2,
        "n": 7,
    }
    assert data["workshops"]["A1"] == {"average": 3.25, "n": 4}
    assert data["facilitators"]["B2:McKeller"] == {"average": 2.0, "n": 1}


def test_feedback_results_command_text(kl, capsys):
    call_command("feedback_results", kl.forum.slug)
    lines = capsys.readouterr().out.splitlines()

    assert lines[1] == "Response rate: 44% (7 responses from 16 attendees)"
    assert lines[2] == "Responses: 5 online, 2 on paper; invited by e-mail: 16"
    assert lines[3] == "Found it helpful: 83% (n=6) (5 of 6)"
    assert lines[4] == "Overall rating: 3.9 (n=7) out of 5 (1: 0, 2: 1, 3: 1, 4: 3, 5: 2)"
    assert lines[5] == ("Net Promoter Score: +14 (n=7; 3 promoters, 2 passives, 2 detractors)")
    assert lines[6:9] == ["Workshops:", "  A1: 3.3 (n=4)", "  B2: 3.5 (n=2), small n"]


@pytest.mark.parametrize(
    "slug, message",
    [
        ("no-such-forum", "No forum has the slug 'no-such-forum'."),
        ("no-survey", "The forum 'no-survey' has no feedback survey yet; create it in the admin."),
    ],
)
def test_feedback_results_command_refuses(make_forum, slug, message):
    make_forum(slug="no-survey")
    with pytest.raises(CommandError) as error:
        call_command("feedback_results", slug)
    assert str(error.value) == message
