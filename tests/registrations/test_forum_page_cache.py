"""The forum page is kept in the cache for visitors who are not logged in; it never shows seats
that have since been taken or freed."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from audit.services import Actor
from forums.cache import _slug_key
from registrations import services
from registrations.models import Registration
from workshops.models import Workshop

from .test_views import form_data, register_url


def seats_shown(client, forum) -> tuple[list[str], list[tuple[str, str]]]:
    """The forum's places left, and each workshop card's code and badge, as the page shows."""
    html = client.get(reverse("forum", args=[forum.slug])).content.decode()
    places = re.findall(r"<p>(\d+ places? left\.)", html)
    cards = re.findall(
        r"<h4[^>]*>(\w+) · .*?</h4>.*?<span class=\"badge [a-z]+\">(.*?)</span>", html, re.S
    )
    return places, cards


def register_through_the_form(forum, workshops, email="siti@supplier.example"):
    """Another visitor (with cookies of their own) sends the registration form."""
    visitor = Client()
    slots = {f"slot_{number}": str(w.pk) for number, w in enumerate(workshops, start=1)}
    response = visitor.post(register_url(forum), form_data(email=email, **slots))
    assert response.status_code == 302


@pytest.fixture
def shown_and_kept(client, forum, django_assert_num_queries):
    """The page as first shown, and proof that the next visit comes from the cache."""
    first = seats_shown(client, forum)
    with django_assert_num_queries(0):
        assert seats_shown(client, forum) == first
    return first


def test_forum_page_after_a_registration_shows_the_seats_it_took(
    client, forum, workshop, shown_and_kept, django_capture_on_commit_callbacks
):
    assert shown_and_kept == (
        ["100 places left."],
        [
            ("A1", "20 seats left"),
            ("A2", "20 seats left"),
            ("B1", "20 seats left"),
            ("B2", "20 seats left"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        register_through_the_form(forum, [workshop("A1"), workshop("B2")])

    assert seats_shown(client, forum) == (
        ["99 places left."],
        [
            ("A1", "19 seats left"),
            ("A2", "20 seats left"),
            ("B1", "20 seats left"),
            ("B2", "19 seats left"),
        ],
    )


def test_forum_page_after_a_cancellation_shows_the_seats_it_freed(
    client, forum, workshop, register, django_capture_on_commit_callbacks
):
    registration = register(forum, workshops=[workshop("A1")]).registration
    assert seats_shown(client, forum)[1][0] == ("A1", "19 seats left")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(
            registration=Registration.objects.get(pk=registration.pk), by=Actor.registrant()
        )

    assert seats_shown(client, forum) == (
        ["100 places left."],
        [
            ("A1", "20 seats left"),
            ("A2", "20 seats left"),
            ("B1", "20 seats left"),
            ("B2", "20 seats left"),
        ],
    )


def test_forum_page_after_a_change_of_workshops_shows_the_seats_moved(
    client, forum, workshop, register, django_capture_on_commit_callbacks
):
    registration = register(forum, workshops=[workshop("A1")]).registration
    assert seats_shown(client, forum)[1][:2] == [("A1", "19 seats left"), ("A2", "20 seats left")]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_change_workshops(
            registration=Registration.objects.get(pk=registration.pk), workshops=[workshop("A2")]
        )

    assert seats_shown(client, forum)[1][:2] == [("A1", "20 seats left"), ("A2", "19 seats left")]


def test_forum_page_after_a_seat_limit_change_shows_the_new_limit(
    client, forum, workshop, django_capture_on_commit_callbacks
):
    seats_shown(client, forum)
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_set_seat_limit(workshop=workshop("B1"), seat_limit=25, by=Actor.system())

    assert seats_shown(client, forum)[1][2] == ("B1", "25 seats left")


def test_forum_page_of_a_full_forum_shows_the_waiting_list_once_the_last_place_goes(
    client, make_forum, django_capture_on_commit_callbacks
):
    forum = make_forum(capacity=1)
    assert seats_shown(client, forum)[0] == ["1 place left."]
    with django_capture_on_commit_callbacks(execute=True):
        register_through_the_form(forum, [])

    html = client.get(reverse("forum", args=[forum.slug])).content.decode()
    assert re.findall(r"<p>(The forum is full[^\n<]*)", html) == [
        "The forum is full: you can join the waiting list and will be moved in, by e-mail, "
        "when a place frees."
    ]


def test_forum_page_is_fresh_even_when_the_cache_lost_where_the_forum_lives(
    client, forum, workshop, shown_and_kept, django_capture_on_commit_callbacks
):
    # Evicted: a seat change then reads the forum's slug from the database.
    cache.delete(_slug_key(forum.pk))
    with django_capture_on_commit_callbacks(execute=True):
        register_through_the_form(forum, [workshop("A1")])

    assert seats_shown(client, forum)[0] == ["99 places left."]


def test_registration_for_one_forum_keeps_other_pages_in_the_cache(
    client, forum, make_forum, django_capture_on_commit_callbacks, django_assert_num_queries
):
    other = make_forum(slug="other-forum")
    seats_shown(client, other)
    client.get(reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        register_through_the_form(forum, [])

    with django_assert_num_queries(0):
        assert seats_shown(client, other)[0] == ["100 places left."]
        client.get(reverse("home"))


def test_forum_page_is_dropped_only_once_the_registration_commits(client, forum, workshop):
    # Dropped before the commit, the page could be rendered anew from the rows as they were and
    # kept. In a test whose transaction never commits, the page therefore stays as it was.
    first = seats_shown(client, forum)
    register_through_the_form(forum, [workshop("A1")])
    assert seats_shown(client, forum) == first
    assert Workshop.objects.get(pk=workshop("A1").pk).seats_taken == 1


def test_forum_page_at_a_new_slug_follows_seat_changes(
    client, make_forum, register, django_capture_on_commit_callbacks
):
    forum = make_forum(slug="old-slug", capacity=10)
    assert seats_shown(client, forum)[0] == ["10 places left."]
    with django_capture_on_commit_callbacks(execute=True):
        forum.slug = "new-slug"
        forum.save()
    assert seats_shown(client, forum)[0] == ["10 places left."]
    with django_capture_on_commit_callbacks(execute=True):
        register(forum, "siti@supplier.example")

    assert seats_shown(client, forum)[0] == ["9 places left."]
    assert client.get(reverse("forum", args=["old-slug"])).status_code == 404
