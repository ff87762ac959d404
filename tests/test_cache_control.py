"""Every URL of the project, asked for by every role: the answer carries
`Cache-Control: private, no-store` unless the URL is on config/cache_control.py's public list and
the visitor is not logged in (those answers carry no personal data)."""

import pytest
from django.test import Client

from config.cache_control import PRIVATE, PUBLIC_URL_NAMES
from tests.matrix import ROLES
from tests.url_walk import plain, routes, site, url_for  # noqa: F401 (site is a fixture)

GROUPS = sorted({route.group for route in routes()})


@pytest.mark.parametrize("group", GROUPS)
def test_every_answer_is_private_unless_public(site, roles, settings, group):  # noqa: F811
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    wrong = []
    for route in [r for r in routes() if r.group == group]:
        url = url_for(route, site)
        for role in ROLES:
            response = plain(client, roles[role], url)
            public = route.name in PUBLIC_URL_NAMES and role == "anonymous"
            if public and response.status_code == 200:
                if "no-store" in response.get("Cache-Control", ""):
                    wrong.append((url, role, response.get("Cache-Control")))
            elif response.get("Cache-Control") != PRIVATE:
                wrong.append((url, role, response.get("Cache-Control")))
    assert wrong == []


def test_public_list_is_kept_only_for_anonymous_visitors(client, roles, make_forum):
    forum = make_forum(slug="kl-2017")
    assert client.get(f"/forums/{forum.slug}/calendar.ics").get("Cache-Control") is None
    client.force_login(roles["supplier"])
    assert client.get(f"/forums/{forum.slug}/calendar.ics")["Cache-Control"] == PRIVATE
