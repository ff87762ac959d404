"""The home page and forum pages are kept in the shared cache for visitors who are not logged
in, per language, and rendered anew when what they show changes or the clock moves them on."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from forums.cache import ALL, Rendered, public_page
from forums.enums import ForumStatus
from forums.models import AgendaItem, Forum

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def header_links(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]*">([^<]+)</a></li>', html)


@pytest.mark.parametrize("url_name", ["home", "forum"])
def test_public_page_second_visit_comes_from_the_cache(
    client, make_forum, sponsor, url_name, django_assert_num_queries
):
    forum = make_forum(slug="kl")
    sponsor(forum)
    url = reverse(url_name, args=[forum.slug] if url_name == "forum" else [])
    first = page(client, url)

    with django_assert_num_queries(0):
        second = page(Client(), url)

    assert TOKEN.sub("", second) == TOKEN.sub("", first)
    assert len(TOKEN.findall(second)) == 1


def test_public_page_cache_turned_off_renders_every_time(
    client, make_forum, settings, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE = False
    forum = make_forum(slug="kl")
    url = reverse("forum", args=[forum.slug])
    page(client, url)

    with django_assert_num_queries(5):
        page(Client(), url)


@pytest.mark.parametrize(
    "redis_url, expected", [("", "False\n"), ("redis://127.0.0.1:6379/0", "True\n")]
)
def test_production_keeps_public_pages_only_in_a_shared_cache(redis_url, expected):
    # With a cache of its own in each process, a change would drop the page in one process only.
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"PUBLIC_PAGE_CACHE"}},
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "REDIS_URL": redis_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.PUBLIC_PAGE_CACHE)"],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.stdout, result.stderr) == (expected, "")


def test_public_page_from_the_cache_carries_each_visitors_own_csrf_token(make_forum):
    forum = make_forum(slug="kl")
    url = reverse("forum", args=[forum.slug])
    page(Client(), url)
    visitor = Client(enforce_csrf_checks=True)

    token = TOKEN.findall(page(visitor, url))[0]
    response = visitor.post(
        reverse("set_language"), {"language": "es", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"


def test_public_page_for_a_logged_in_user_is_their_own(client, make_forum, make_user):
    forum = make_forum(slug="kl")
    url = reverse("forum", args=[forum.slug])
    assert header_links(page(Client(), url)) == ["Forums", "Log in"]
    client.force_login(make_user("siti@supplier.example"))

    assert header_links(page(client, url)) == ["Forums", "My forums", "Your account", "Log out"]
    assert header_links(page(Client(), url)) == ["Forums", "Log in"]


def test_draft_seen_by_the_secretariat_is_never_shown_to_others(
    client, make_forum, secretariat_user
):
    forum = make_forum(slug="draft", status=ForumStatus.DRAFT)
    url = reverse("forum", args=[forum.slug])
    client.force_login(secretariat_user)
    assert page(client, url).count("Draft: only the secretariat can see this page.") == 1

    assert Client().get(url).status_code == 404


def test_public_page_is_kept_per_language(make_forum):
    forum = make_forum(slug="kl")
    url = reverse("forum", args=[forum.slug])
    english = page(Client(), url)
    spanish = page(Client(), url, headers={"accept-language": "es"})
    again = page(Client(), url)

    assert re.findall(r'<html lang="(\w+)">', english + spanish + again) == ["en", "es", "en"]
    assert re.findall(r'<a class="button">(.*?)</a>', spanish) == []
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", spanish)[0] == "Inscripción"


def test_public_page_shows_a_visitors_messages(make_forum):
    forum = make_forum(slug="kl")
    url = reverse("forum", args=[forum.slug])
    page(Client(), url)
    storage = CookieStorage(HttpRequest())
    storage.add(messages.SUCCESS, "Your registration has been cancelled.")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value

    html = page(visitor, url)

    assert re.findall(r'<li class="message success">(.*?)</li>', html) == [
        "Your registration has been cancelled."
    ]
    assert re.findall(r'<li class="message [a-z]+">(.*?)</li>', page(Client(), url)) == []


def test_home_with_filters_is_rendered_for_them(make_forum):
    make_forum(title="In Malaysia", country="MY")
    make_forum(title="In India", country="IN", city="Chennai")
    page(Client(), reverse("home"))

    filtered = page(Client(), reverse("home"), query_params={"country": "IN"})

    assert re.findall(r'<h3><a href="[^"]+">(.*?)</a></h3>', filtered) == ["In India"]
    assert re.findall(r'<h3><a href="[^"]+">(.*?)</a></h3>', page(Client(), reverse("home"))) == [
        "In Malaysia",
        "In India",
    ]


def test_forum_change_shows_on_its_page_and_the_home_page(
    make_forum, django_capture_on_commit_callbacks
):
    forum = make_forum(slug="kl", title="Old title")
    url = reverse("forum", args=[forum.slug])
    page(Client(), url)
    page(Client(), reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        forum.title = "New title"
        forum.save()

    assert re.findall(r"<h1>(.*?)</h1>", page(Client(), url)) == ["New title"]
    assert re.findall(r'<h3><a href="[^"]+">(.*?)</a></h3>', page(Client(), reverse("home"))) == [
        "New title"
    ]


def test_sponsor_and_speaker_added_show_on_the_pages(
    make_forum, sponsor, make_member, make_person, django_capture_on_commit_callbacks
):
    forum = make_forum(slug="kl")
    url = reverse("forum", args=[forum.slug])
    page(Client(), url)
    page(Client(), reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        sponsor(forum, make_member(name="Ferrero"))
        talk = AgendaItem.objects.create(
            forum=forum, starts_at=forum.starts_at + timedelta(hours=1), title="Opening"
        )
    with django_capture_on_commit_callbacks(execute=True):
        talk.speakers.add(make_person("Melizel", "Asuncion", None))

    html = page(Client(), url)
    assert re.findall(r"<dt>Sponsors</dt>\s*<dd>(.*?)</dd>", html) == ["Ferrero"]
    assert re.findall(r'<br><span class="muted">(.*?)</span>', html) == ["Melizel Asuncion"]
    assert re.findall(r'<p class="muted">Sponsors: (.*?)</p>', page(Client(), reverse("home"))) == [
        "Ferrero"
    ]


def test_speaker_renamed_shows_on_the_forum_page(
    make_forum, make_person, django_capture_on_commit_callbacks
):
    forum = make_forum(slug="kl")
    talk = AgendaItem.objects.create(
        forum=forum, starts_at=forum.starts_at + timedelta(hours=1), title="Opening"
    )
    speaker = make_person("Melizel", "Asuncion", None)
    talk.speakers.add(speaker)
    url = reverse("forum", args=[forum.slug])
    page(Client(), url)
    with django_capture_on_commit_callbacks(execute=True):
        speaker.first_name = "Mel"
        speaker.save()

    assert re.findall(r'<br><span class="muted">(.*?)</span>', page(Client(), url)) == [
        "Mel Asuncion"
    ]


def test_forum_page_changes_when_registration_opens(make_forum):
    opens = timezone.now() + timedelta(hours=2)
    forum = make_forum(slug="kl", registration_opens_at=opens)
    url = reverse("forum", args=[forum.slug])
    register = reverse("registrations:register", args=[forum.slug])
    assert f'href="{register}"' not in page(Client(), url)

    with time_machine.travel(opens + timedelta(seconds=1), tick=False):
        html = page(Client(), url)

    assert re.findall(r'<a class="button" href="([^"]+)">', html) == [register]


def home_sections(html: str) -> dict[str, list[str]]:
    upcoming, past = html.split('<h2 id="past">')
    cards = re.compile(r'<h3><a href="[^"]+">(.*?)</a></h3>')
    return {"upcoming": cards.findall(upcoming), "past": cards.findall(past)}


def test_home_moves_a_forum_to_the_past_when_it_ends(make_forum):
    forum = make_forum(title="Soon over", day=timezone.now().date() + timedelta(days=2))
    assert home_sections(page(Client(), reverse("home"))) == {"upcoming": ["Soon over"], "past": []}

    with time_machine.travel(forum.ends_at + timedelta(seconds=1), tick=False):
        html = page(Client(), reverse("home"))

    assert home_sections(html) == {"upcoming": [], "past": ["Soon over"]}


def test_page_rendered_while_a_change_commits_is_not_kept(db):
    """The versions are read before the page is rendered: a change that lands meanwhile makes
    the page rendered from the older rows useless at once."""
    factory = RequestFactory()

    def render(body: str, change: bool):
        def run(extra_context: dict) -> Rendered:
            if change:
                cache.set(ALL, "set by a change that committed meanwhile")
            return Rendered(HttpResponse(body))

        return run

    public_page(factory.get("/"), name="test", render=render("before", change=False))
    assert public_page(factory.get("/"), name="test", render=render("x", False)).content == (
        b"before"
    )
    cache.delete(ALL)
    public_page(factory.get("/"), name="test", render=render("older rows", change=True))

    assert public_page(factory.get("/"), name="test", render=render("newer", False)).content == (
        b"newer"
    )


def test_forum_deleted_is_no_longer_shown(make_forum, django_capture_on_commit_callbacks):
    forum = make_forum(slug="kl", title="Gone soon")
    page(Client(), reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        Forum.objects.filter(pk=forum.pk).delete()

    assert "Gone soon" not in page(Client(), reverse("home"))
