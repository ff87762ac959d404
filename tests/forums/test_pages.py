import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.enums import ForumStatus
from forums.models import AgendaItem
from workshops.models import Workshop


@pytest.fixture
def kl_forum(make_forum, make_member, sponsor, make_person, make_organisation):
    forum = make_forum(
        title="Responsible Sourcing Forum Kuala Lumpur",
        slug="kuala-lumpur-2017",
        day=date(2017, 10, 24),
        status=ForumStatus.HELD,
        venue="Hotel Istana",
    )
    for name in ["Ferrero", "Nestlé"]:
        sponsor(forum, make_member(name=name), role="co_host")
    forum.supporters.add(make_organisation(name="CSR Asia", kind="consultancy"))
    verite = make_organisation(name="Verité", kind="ngo")
    talk = AgendaItem.objects.create(
        forum=forum,
        starts_at=forum.starts_at + timedelta(hours=2),
        ends_at=forum.starts_at + timedelta(hours=3),
        title="Local context and forced labour",
    )
    talk.speakers.add(make_person("Melizel", "Asuncion", None, organisation=verite))
    return forum


def test_forum_page_shows_local_time_zone_sponsors_and_speakers(client, kl_forum):
    response = client.get(reverse("forum", args=["kuala-lumpur-2017"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tuesday 24 October 2017, 09:00" in html
    assert "17:00" in html
    assert "local time, Asia/Kuala_Lumpur, +08" in html
    assert "Ferrero (co-host), Nestlé (co-host)" in html
    assert "CSR Asia" in html
    assert "11:00–12:00" in html
    assert "Melizel Asuncion (Verité)" in html
    # A forum that has been held offers no calendar entry and no registration.
    assert reverse("forums:calendar", args=["kuala-lumpur-2017"]) not in html
    assert re.findall(r'<p class="held">(.*?)</p>', html) == ["Held on 24 October 2017."]
    assert "Registration" not in re.findall(r"<h2[^>]*>(.*?)</h2>", html)


def test_forum_page_of_a_past_forum_lists_workshops_without_choices(client, make_forum):
    forum = make_forum(slug="held", day=date(2017, 10, 24), status=ForumStatus.HELD)
    starts = forum.starts_at.astimezone(forum.zone).replace(hour=14)
    Workshop.objects.create(
        forum=forum,
        code="W1",
        title="Migrant labour management",
        pillar="human_rights",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        seat_limit=30,
    )

    html = client.get(reverse("forum", args=[forum.slug])).content.decode()

    assert re.findall(r"<h3>(.*?)</h3>", html) == ["14:00–15:30"]
    assert "seats left" not in html
    assert "choose one" not in html
    assert "Registration for this forum has closed." not in html


def test_forum_page_of_an_upcoming_forum_offers_the_calendar(client, make_forum):
    forum = make_forum(slug="soon")
    html = client.get(reverse("forum", args=[forum.slug])).content.decode()
    assert re.findall(r'<a class="button secondary" href="([^"]+)">Add to calendar</a>', html) == [
        reverse("forums:calendar", args=["soon"])
    ]
    assert '<p class="held">' not in html


@pytest.mark.parametrize("status", [ForumStatus.DRAFT])
def test_forum_page_draft_is_not_public(client, make_forum, status):
    forum = make_forum(status=status, slug="secret-draft")
    response = client.get(reverse("forum", args=[forum.slug]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forum_page_draft_is_visible_to_secretariat_with_banner(
    client, make_forum, secretariat_user
):
    forum = make_forum(status=ForumStatus.DRAFT, slug="secret-draft")
    client.force_login(secretariat_user)
    response = client.get(reverse("forum", args=[forum.slug]))
    assert response.status_code == 200
    assert "Draft: only the secretariat can see this page." in response.content.decode()


@pytest.mark.parametrize("status", ForumStatus.public())
def test_forum_page_published_and_later_statuses_are_public(client, make_forum, status):
    forum = make_forum(status=status)
    assert client.get(reverse("forum", args=[forum.slug])).status_code == 200


def test_forum_page_unknown_slug_answers_404(client, db):
    response = client.get("/forums/no-such-forum/")
    assert response.status_code == 404


def test_home_lists_upcoming_soonest_first_then_past_latest_first(client, make_forum):
    today = timezone.now().date()
    make_forum(title="Past 2016", day=date(2016, 3, 1), status=ForumStatus.HELD)
    make_forum(title="Past 2017", day=date(2017, 3, 1), status=ForumStatus.ARCHIVED)
    make_forum(title="Later", day=today + timedelta(days=90))
    make_forum(title="Sooner", day=today + timedelta(days=10), status=ForumStatus.PUBLISHED)
    make_forum(title="Hidden draft", day=today + timedelta(days=20), status=ForumStatus.DRAFT)
    response = client.get(reverse("home"))
    assert [f.title for f in response.context["upcoming"]] == ["Sooner", "Later"]
    assert [f.title for f in response.context["past"]] == ["Past 2017", "Past 2016"]
    assert "Hidden draft" not in response.content.decode()


def test_home_filters_by_country_year_and_theme(client, make_forum):
    make_forum(title="KL", day=date(2017, 10, 24), country="MY", theme="Palm oil", status="held")
    make_forum(title="Mexico", day=date(2017, 11, 14), country="MX", theme="Sugar", status="held")
    make_forum(title="Gurgaon", day=date(2018, 9, 26), country="IN", theme="Sugar", status="held")

    def titles(**query):
        response = client.get(reverse("home"), query)
        return sorted(f.title for f in response.context["past"])

    assert titles(country="MX") == ["Mexico"]
    assert titles(year="2017") == ["KL", "Mexico"]
    assert titles(theme="Sugar") == ["Gurgaon", "Mexico"]
    assert titles(theme="Sugar", year="2018") == ["Gurgaon"]


def test_home_invalid_filter_values_show_everything_and_the_error(client, make_forum):
    make_forum(title="KL", day=date(2017, 10, 24), status="held")
    response = client.get(reverse("home"), {"year": "nineteen", "country": "ZZ"})
    assert response.status_code == 200
    assert [f.title for f in response.context["past"]] == ["KL"]
    assert response.context["form"].errors["year"] == [
        "Select a valid choice. nineteen is not one of the available choices."
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_does_not_grow_with_forums(
    client, make_forum, sponsor, count, django_assert_num_queries
):
    for index in range(count):
        sponsor(make_forum(title=f"Upcoming {index}"))
        sponsor(make_forum(title=f"Past {index}", day=date(2017, 1, 1 + index), status="held"))
    with django_assert_num_queries(7):
        response = client.get(reverse("home"))
    assert len(response.context["upcoming"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_forum_page_query_count_does_not_grow_with_items(
    client, make_forum, sponsor, make_person, make_organisation, count, django_assert_num_queries
):
    forum = make_forum()
    for index in range(count):
        sponsor(forum)
        forum.supporters.add(make_organisation(name=f"Supporter {index}"))
        talk = AgendaItem.objects.create(
            forum=forum, starts_at=forum.starts_at + timedelta(minutes=index), title=f"Talk {index}"
        )
        talk.speakers.add(
            make_person(f"Speaker{index}", "X", f"s{index}@x.org", organisation=make_organisation())
        )
        talk.presenting_organisations.add(make_organisation(name=f"Presenter {index}"))
        workshop = Workshop.objects.create(
            forum=forum,
            code=f"A{index}",
            title=f"Workshop {index}",
            pillar="environment",
            starts_at=forum.starts_at + timedelta(hours=5),
            ends_at=forum.starts_at + timedelta(hours=6),
            seat_limit=10,
        )
        workshop.facilitators.add(make_person(f"Facilitator{index}", "Y", f"f{index}@x.org"))
        workshop.led_by.add(make_organisation(name=f"Leader {index}"))
    with django_assert_num_queries(9):
        response = client.get(reverse("forum", args=[forum.slug]))
    html = response.content.decode()
    assert html.count("Speaker") == count
    assert html.count("Facilitator") == count
    assert html.count("10 seats left") == count


def test_home_year_is_the_year_in_the_forums_own_zone(client, make_forum):
    # 09:00 on New Year's Day in Auckland is 20:00 on 31 December 2017 in UTC.
    make_forum(
        title="Auckland",
        slug="auckland",
        day=date(2018, 1, 1),
        zone="Pacific/Auckland",
        status=ForumStatus.HELD,
        city="Auckland",
        country="NZ",
    )
    make_forum(title="KL", slug="kl", day=date(2017, 10, 24), status=ForumStatus.HELD)

    response = client.get(reverse("home"), {"year": "2018"})

    assert [forum.title for forum in response.context["past"]] == ["Auckland"]
    assert response.context["form"].fields["year"].choices == [
        ("", "All years"),
        (2018, "2018"),
        (2017, "2017"),
    ]
    assert [f.title for f in client.get(reverse("home"), {"year": "2017"}).context["past"]] == [
        "KL"
    ]
