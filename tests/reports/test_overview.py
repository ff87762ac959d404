"""The forum overview: every figure against the hand-counted fixture (tests/reports/conftest.py)."""

import pytest
from django.urls import reverse

from registrations.enums import RegistrationSource
from registrations.models import Registration
from tests.feedback.results_fixture import build_results_fixture, figure, figures


def overview_html(client, users, slug):
    client.force_login(users["secretariat"])
    response = client.get(reverse("reports:forum_overview", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_overview_counts_registrations_by_day_in_the_forums_zone(client, users, dashboard):
    found = figures(overview_html(client, users, dashboard.forum.slug))
    days = {name: values for name, values in found.items() if name.startswith(("day:", "to_date:"))}
    assert days == {
        "day:2036-01-10": ["2"],
        "to_date:2036-01-10": ["2"],
        "day:2036-01-11": ["1"],
        "to_date:2036-01-11": ["3"],
        "day:2036-01-12": ["2"],
        "to_date:2036-01-12": ["5"],
    }


def test_overview_leaves_imported_registrations_out_of_the_days(client, users, dashboard):
    # Two of the five came from an imported list: their created_at is the day of the import.
    people = dashboard.people
    imported = [people[name].pk for name in list(people)[:2]]
    Registration.objects.filter(pk__in=imported).update(source=RegistrationSource.IMPORT)
    html = overview_html(client, users, dashboard.forum.slug)
    found = figures(html)
    days = {name: values for name, values in found.items() if name.startswith(("day:", "to_date:"))}
    assert days == {
        "day:2036-01-11": ["1"],
        "to_date:2036-01-11": ["1"],
        "day:2036-01-12": ["2"],
        "to_date:2036-01-12": ["3"],
    }
    assert figure(html, "imported") == (
        "2 registrations came from an imported attendance list. The days they were made are not"
        " known, so they are not counted here."
    )


def test_overview_of_an_imported_forum_has_no_days(client, users, dashboard):
    Registration.objects.filter(forum=dashboard.forum).update(source=RegistrationSource.IMPORT)
    html = overview_html(client, users, dashboard.forum.slug)
    assert "None made on this site." in html
    assert figure(html, "imported").startswith("5 registrations came from an imported")


def test_overview_breaks_down_those_holding_a_seat(client, users, dashboard):
    html = overview_html(client, users, dashboard.forum.slug)
    found = figures(html)

    def section(prefix):
        return {k.removeprefix(prefix): v for k, v in found.items() if k.startswith(prefix)}

    assert section("status:") == {"confirmed": ["4"], "cancelled": ["1"]}
    assert section("country:") == {"MY": ["2"], "ID": ["1"], "TH": ["1"]}
    assert section("category:") == {"supplier": ["3"], "ngo": ["1"]}
    assert section("sponsor:") == {"Unilever": ["2"], "Mars": ["1"], "-": ["1"]}
    assert figure(html, "registered") == "4"
    assert figure(html, "checked_in") == "2"


def test_overview_shows_seats_and_checkins_per_workshop(client, users, dashboard):
    found = figures(overview_html(client, users, dashboard.forum.slug))
    per_workshop = {
        code: (
            found[f"taken:{code}"][0],
            found[f"limit:{code}"][0],
            found[f"waiting:{code}"][0],
            found[f"workshop_checked_in:{code}"][0],
        )
        for code in ["A1", "A2", "B1", "B2"]
    }
    assert per_workshop == {
        "A1": ("2", "20", "0", "1"),
        "A2": ("1", "20", "0", "0"),
        "B1": ("1", "20", "0", "0"),
        "B2": ("1", "1", "1", "0"),
    }


def test_overview_has_a_chart_with_its_table_for_each_breakdown(client, users, dashboard):
    html = overview_html(client, users, dashboard.forum.slug)
    assert html.count('<svg role="img" class="chart"') == 5
    assert "<script" not in html


def test_overview_shows_the_feedback_figures(client, users, make_forum):
    kl = build_results_fixture(make_forum)
    html = overview_html(client, users, kl.forum.slug)
    # 7 responses of 16 invited; 5 of 6 found it helpful; overall 27/7; NPS (3 − 2)/7.
    assert figure(html, "response_rate") == "44%"
    assert figure(html, "helpful") == "83%"
    assert figure(html, "overall") == "3.9"
    assert figure(html, "nps") == "+14"


def test_overview_without_survey_says_so(client, users, dashboard):
    html = overview_html(client, users, dashboard.forum.slug)
    assert "response_rate" not in figures(html)
    assert "This forum has no feedback survey yet." in html


@pytest.mark.parametrize("people", [1, 3])
def test_overview_query_count(
    client, users, make_forum, register, django_assert_num_queries, people
):
    from tests.registrations.conftest import add_workshops

    forum = make_forum(slug="counted")
    add_workshops(forum)
    workshops = list(forum.workshops.order_by("code"))
    for number in range(people):
        registration = register(forum, workshops=[workshops[number]]).registration
        from tests.feedback.conftest import check_in

        check_in(registration)
    client.force_login(users["secretariat"])
    url = reverse("reports:forum_overview", args=[forum.slug])
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
