"""The members page: a sponsor sees only the suppliers its own link brought (fixture in
tests/reports/conftest.py: Unilever invited Siti and Budi, Mars invited Somchai)."""

import re

import pytest
from django.urls import reverse

from tests.feedback.results_fixture import (
    build_headline_survey,
    build_results_fixture,
    figure,
    figures,
)


def page(client, user, query=""):
    client.force_login(user)
    return client.get(reverse("reports:members") + query)


def test_member_sees_its_own_invitees_only(client, users, dashboard):
    response = page(client, users["member"])
    assert response.status_code == 200
    html = response.content.decode()
    slug = dashboard.forum.slug
    assert figure(html, f"{slug}:invited") == "2"
    assert figure(html, f"{slug}:registered") == "2"
    assert figure(html, f"{slug}:came") == "1"
    assert figures(html)[f"{slug}:company"] == ["Acme Packaging", "Kilang Maju"]
    # Siti agreed to share her details; Budi did not.
    assert figures(html)[f"{slug}:contact"] == ["Siti Tester"]
    assert figures(html)[f"{slug}:email"] == ["siti@acme.example"]
    assert "budi@kilang.example" not in html
    # Nothing of Mars's invitee, nor of those no sponsor invited.
    for other in ["Somchai", "som@thaimill.example", "Thai Mill", "Lim", "Sawit Jaya"]:
        assert other not in html


def test_other_member_sees_its_own_invitee(client, users, dashboard):
    html = page(client, users["other_member"]).content.decode()
    slug = dashboard.forum.slug
    assert figure(html, f"{slug}:invited") == "1"
    assert figure(html, f"{slug}:came") == "1"
    assert figures(html)[f"{slug}:contact"] == ["Somchai Tester"]
    assert "Siti" not in html and "Acme Packaging" not in html


def test_member_cannot_ask_for_another_member(client, users, dashboard):
    other = users["other_member"].organisation.pk
    assert page(client, users["member"], f"?member={other}").status_code == 404
    own = users["member"].organisation.pk
    assert page(client, users["member"], f"?member={own}").status_code == 200


def test_secretariat_picks_a_member(client, users, dashboard):
    html = page(client, users["secretariat"]).content.decode()
    mars = users["other_member"].organisation
    assert f'href="?member={mars.pk}"' in html
    html = page(client, users["secretariat"], f"?member={mars.pk}").content.decode()
    assert figures(html)[f"{dashboard.forum.slug}:contact"] == ["Somchai Tester"]
    assert page(client, users["secretariat"], "?member=999999").status_code == 404
    assert page(client, users["secretariat"], "?member=x").status_code == 404
    supplier_company = dashboard.people["Siti"].company_id
    assert page(client, users["secretariat"], f"?member={supplier_company}").status_code == 404


def _section(html, slug):
    """The HTML of the page's section about the forum `slug`."""
    start = html.index(f'<section class="sponsored" id="forum-{slug}"')
    return html[start : html.index("</section>", start)]


def test_member_sees_the_forums_aggregated_feedback_without_names(
    client, users, make_forum, sponsor
):
    kl = build_results_fixture(make_forum)
    sponsor(kl.forum, users["member"].organisation)
    html = page(client, users["member"]).content.decode()
    slug = kl.forum.slug
    assert figure(html, f"{slug}:response_rate") == "44%"
    assert figure(html, f"{slug}:response_rate:n") == "7 of 16 attendees answered."
    assert figure(html, f"{slug}:invited_by_email") == "16 people invited by e-mail."
    assert figure(html, f"{slug}:responses_by_source") == "Answered online: 5; on paper: 2."
    assert figure(html, f"{slug}:helpful") == "83%"
    assert (
        figure(html, f"{slug}:helpful:n")
        == "83% of respondents found the event helpful (5 of 6 who answered)."
    )
    assert figure(html, f"{slug}:overall") == "3.9"
    assert figure(html, f"{slug}:overall:n") == "out of 5, from 7 answers"
    assert figure(html, f"{slug}:nps") == "+14"
    assert figure(html, f"{slug}:nps:n") == "from 7 answers, from −100 to +100"
    assert not [name for name in figures(html) if name.endswith(":notice")]
    # Counts only: no respondent's name, and none of the comments.
    for text in ["Delegate1", "Number1", "Map our suppliers", "Thanks, very useful", "Too short"]:
        assert text not in html
    results = reverse("feedback:results", args=[slug])
    assert re.findall(r'<a href="([^"]+)">', _section(html, slug)) == [
        results,
        reverse("reports:forum_report_pdf", args=[slug]),
    ]
    # A representative of a sponsor may follow the link.
    assert client.get(results).status_code == 200


def test_member_sees_no_figure_below_the_minimum_participation(client, users, make_forum, sponsor):
    """Two answers of five attendees, below the default minimum of five answers."""
    forum = make_forum(slug="mexico-city-2017")
    build_headline_survey(forum, invited=5, rows=[(1, 4, 9), (1, 5, None)])
    sponsor(forum, users["member"].organisation)
    html = page(client, users["member"]).content.decode()
    found = figures(html)
    assert figure(html, "mexico-city-2017:response_rate") == "40%"
    assert "mexico-city-2017:helpful" not in found
    assert {name: texts for name, texts in found.items() if name.endswith(":withheld")} == {
        "mexico-city-2017:helpful:withheld": [
            "Not enough answers to show (2 answers of 5 attendees)."
        ],
        "mexico-city-2017:overall:withheld": [
            "Not enough answers to show (2 answers of 5 attendees)."
        ],
        "mexico-city-2017:recommend:withheld": [
            "Not enough answers to show (1 answer of 5 attendees)."
        ],
    }


def test_member_sees_a_notice_where_few_answered(client, users, make_forum, sponsor, settings):
    """Two answers of five invited: the rate rests on five, the rest on two."""
    settings.FEEDBACK_MIN_ANSWERS, settings.FEEDBACK_MIN_SHARE = 0, "0"
    forum = make_forum(slug="mexico-city-2017")
    build_headline_survey(forum, invited=5, rows=[(1, 4, 9), (1, 5, None)])
    sponsor(forum, users["member"].organisation)
    html = page(client, users["member"]).content.decode()
    assert figure(html, "mexico-city-2017:response_rate") == "40%"
    assert figure(html, "mexico-city-2017:helpful") == "100%"
    assert figure(html, "mexico-city-2017:overall") == "4.5"
    assert figure(html, "mexico-city-2017:nps") == "+100"
    notices = {name: texts for name, texts in figures(html).items() if name.endswith(":notice")}
    assert notices == {
        "mexico-city-2017:helpful:notice": ["Only 2 answers: too few to rely on."],
        "mexico-city-2017:overall:notice": ["Only 2 answers: too few to rely on."],
        "mexico-city-2017:nps:notice": ["Only 1 answer: too few to rely on."],
    }


def test_member_sees_a_survey_nobody_was_invited_to(client, users, make_forum, sponsor):
    forum = make_forum(slug="not-yet")
    build_headline_survey(forum, invited=0, rows=[])
    sponsor(forum, users["member"].organisation)
    html = page(client, users["member"]).content.decode()
    assert "not-yet:response_rate" not in figures(html)
    assert figure(html, "not-yet:response_rate:n") == "0 of 0 attendees answered."
    assert figure(html, "not-yet:response_rate:notice") == "No answers yet."
    assert figure(html, "not-yet:helpful:notice") == "No answers yet."


def test_members_area_links_to_the_page(client, users, dashboard):
    client.force_login(users["member"])
    html = client.get(reverse("member_area")).content.decode()
    assert f'href="{reverse("reports:members")}"' in html


@pytest.mark.parametrize("count", [1, 3])
def test_members_page_query_count(
    client, users, make_forum, register, sponsor, django_assert_num_queries, count
):
    """Each sponsored forum has invitees, some who came, and a survey with responses."""
    from tests.feedback.conftest import check_in

    for number in range(count):
        forum = make_forum(slug=f"counted-{number}")
        sponsorship = sponsor(forum, users["member"].organisation)
        for _ in range(number + 1):
            check_in(register(forum, invited_by=sponsorship).registration)
        build_headline_survey(forum, invited=3, rows=[(1, 4, 9)] * (number + 1))
    client.force_login(users["member"])
    with django_assert_num_queries(11):
        html = client.get(reverse("reports:members")).content.decode()
    assert [figure(html, f"counted-{n}:response_rate:n") for n in range(count)] == [
        # Those the sponsor brought and checked in, and the survey's three, attended.
        f"{n + 1} of {n + 4} attendees answered."
        for n in range(count)
    ]
