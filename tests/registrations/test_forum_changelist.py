"""The forum list in the admin: newest first, with its registrations and waiting list counted
in the list's own query, and a country filter offering only the countries forums are in."""

from datetime import date

import pytest
from django.urls import reverse

from audit.services import Actor
from registrations import services
from tests.html_forms import texts_of_class


@pytest.fixture
def three_forums(make_forum, forum, register):
    """Kuala Lumpur 2036 (the conftest's `forum`, 2 seats): 3 registered, 1 of them cancelled,
    so 2 hold a seat and 1 waits; Bangkok 2027 with 1 registrant; Mexico City 2017 with none."""
    forum.capacity = 2
    forum.save()
    first = register(forum).registration
    register(forum)
    register(forum)
    register(forum)
    services.registration_cancel(registration=first, by=Actor.system())
    bangkok = make_forum(
        title="Bangkok", day=date(2027, 3, 16), zone="Asia/Bangkok", city="Bangkok", country="TH"
    )
    register(bangkok)
    make_forum(
        title="Mexico City",
        day=date(2017, 11, 14),
        zone="America/Mexico_City",
        city="Mexico City",
        country="MX",
        status="held",
    )


def test_forum_changelist_newest_first_with_registered_and_waiting(staff_client, three_forums):
    page = staff_client.get(reverse("admin:forums_forum_changelist"))

    assert page.status_code == 200
    assert texts_of_class(page, "field-title") == [
        "Responsible Sourcing Forum Kuala Lumpur",
        "Bangkok",
        "Mexico City",
    ]
    assert texts_of_class(page, "field-registered") == ["2", "1", "0"]
    assert texts_of_class(page, "field-waiting") == ["1", "0", "0"]
    assert page.context["cl"].list_display[-2:] == ["registered", "waiting"]


def test_forum_changelist_sorts_by_registered(staff_client, three_forums):
    page = staff_client.get(reverse("admin:forums_forum_changelist"), {"o": "-8"})

    assert page.context["cl"].list_display[7] == "registered"
    assert texts_of_class(page, "field-registered") == ["2", "1", "0"]
    assert texts_of_class(page, "field-title") == [
        "Responsible Sourcing Forum Kuala Lumpur",
        "Bangkok",
        "Mexico City",
    ]


def test_forum_changelist_country_filter_offers_only_forums_countries(staff_client, three_forums):
    page = staff_client.get(reverse("admin:forums_forum_changelist"))

    cl = page.context["cl"]
    (country,) = [spec for spec in cl.filter_specs if spec.title == "country"]
    assert [str(choice["display"]) for choice in country.choices(cl)] == [
        "All",
        "Malaysia",
        "Mexico",
        "Thailand",
    ]
    filtered = staff_client.get(reverse("admin:forums_forum_changelist"), {"country": "TH"})
    assert texts_of_class(filtered, "field-title") == ["Bangkok"]


@pytest.mark.parametrize("count", [1, 3])
def test_forum_changelist_with_registrations_query_count(
    staff_client, make_forum, register, count, django_assert_num_queries
):
    for _ in range(count):
        forum = make_forum(capacity=1)
        register(forum)
        register(forum)

    with django_assert_num_queries(8):
        page = staff_client.get(reverse("admin:forums_forum_changelist"))

    assert texts_of_class(page, "field-registered") == ["1"] * count
    assert texts_of_class(page, "field-waiting") == ["1"] * count
