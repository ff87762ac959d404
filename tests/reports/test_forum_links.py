"""The forum's news draft and maturity report are linked from its overview and from its admin
page, for the secretariat, once the forum is held: before that both pages answer 404, so the
links are not there."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from forums.enums import ForumStatus
from tests.html_forms import VOID, texts_of_class


class _LinksInClass(HTMLParser):
    """The href of each <a> inside the first element with `css_class`."""

    def __init__(self, css_class):
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.done = False
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID or self.done:
            return
        if self.depth:
            self.depth += 1
            if tag == "a":
                self.hrefs.append(dict(attrs)["href"])
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1
            self.done = self.depth == 0


def links_in(response, css_class: str) -> list[str]:
    assert response.status_code == 200
    parser = _LinksInClass(css_class)
    parser.feed(response.content.decode())
    return parser.hrefs


def texts_of_id(response, element_id: str) -> list[str]:
    """The text of the element with this id (none or one), spaces collapsed."""
    html = response.content.decode()
    marker = f'id="{element_id}">'
    if marker not in html:
        return []
    start = html.index(marker) + len(marker)
    return [" ".join(html[start : html.index("</", start)].split())]


@pytest.fixture
def forum_in(make_forum):
    def make(status):
        return make_forum(slug="lima-2026", status=status)

    return make


def _reports(slug):
    return {
        name: reverse(f"reports:{name}", args=[slug])
        for name in ["forum_overview", "forum_report_pdf", "news", "maturity"]
    }


@pytest.mark.parametrize("status", [ForumStatus.HELD, ForumStatus.ARCHIVED])
def test_overview_links_a_held_forums_news_draft_and_maturity(client, users, forum_in, status):
    forum = forum_in(status)
    urls = _reports(forum.slug)
    client.force_login(users["secretariat"])
    page = client.get(urls["forum_overview"])
    assert links_in(page, "downloads") == [urls["forum_report_pdf"], urls["news"], urls["maturity"]]
    assert texts_of_id(page, "after-the-forum") == []
    assert client.get(urls["news"]).status_code == 200
    assert client.get(urls["maturity"]).status_code == 200


@pytest.mark.parametrize("status", [ForumStatus.REGISTRATION_OPEN, ForumStatus.REGISTRATION_CLOSED])
def test_overview_of_a_forum_not_held_links_neither(client, users, forum_in, status):
    forum = forum_in(status)
    urls = _reports(forum.slug)
    client.force_login(users["secretariat"])
    page = client.get(urls["forum_overview"])
    assert links_in(page, "downloads") == [urls["forum_report_pdf"]]
    assert texts_of_id(page, "after-the-forum") == [
        "The news draft and the responsible sourcing maturity of the companies reached open once"
        " the forum is marked held."
    ]
    assert client.get(urls["news"]).status_code == 404
    assert client.get(urls["maturity"]).status_code == 404


def _admin_page(client, users, forum):
    client.force_login(users["secretariat"])
    return client.get(reverse("admin:forums_forum_change", args=[forum.pk]))


@pytest.mark.parametrize("status", [ForumStatus.HELD, ForumStatus.ARCHIVED])
def test_forum_admin_links_a_held_forums_news_draft_and_maturity(client, users, forum_in, status):
    forum = forum_in(status)
    urls = _reports(forum.slug)
    page = _admin_page(client, users, forum)
    assert links_in(page, "field-reports_links") == [
        urls["forum_overview"],
        urls["news"],
        urls["maturity"],
    ]


def test_forum_admin_of_a_forum_not_held_links_the_overview_only(client, users, forum_in):
    forum = forum_in(ForumStatus.REGISTRATION_OPEN)
    page = _admin_page(client, users, forum)
    assert links_in(page, "field-reports_links") == [_reports(forum.slug)["forum_overview"]]
    assert texts_of_class(page, "field-reports_links") == [
        "Reports: Forum overview: registrations, seats, check-in and feedback"
        "News draft and responsible sourcing maturity: once the forum is marked held."
    ]
