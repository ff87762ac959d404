"""Every URL of the project, asked for by every role: the answer carries the site's
Content-Security-Policy, whose scripts come only from the site itself, never inline. Pages that
must work under it are loaded in a browser by tests/browser/test_csp.py."""

import pytest
from django.test import Client

from tests.matrix import ROLES
from tests.url_walk import plain, routes, site, url_for  # noqa: F401 (site is a fixture)

GROUPS = sorted({route.group for route in routes()})

# django-csp writes the directives in no fixed order.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(response) -> dict[str, list[str]] | None:
    header = response.get("Content-Security-Policy")
    if header is None:
        return None
    parsed = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def test_policy_allows_scripts_only_from_the_site(client, db):
    policy = directives(client.get("/"))
    assert policy == POLICY
    # No inline script, no script-src-attr or -elem loosening it, no plugins.
    assert [name for name in policy if name.startswith("script-src")] == ["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["default-src"]


@pytest.mark.parametrize("group", GROUPS)
def test_every_answer_carries_the_policy(site, roles, settings, group):  # noqa: F811
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    wrong = []
    for route in [r for r in routes() if r.group == group]:
        url = url_for(route, site)
        for role in ROLES:
            response = plain(client, roles[role], url)
            if directives(response) != POLICY:
                wrong.append((url, role, response.status_code))
    assert wrong == []


def test_refusals_and_missing_pages_carry_the_policy(client, db):
    missing = client.get("/forums/no-such-forum/")
    refused = client.get("/forums/%00/")
    assert (missing.status_code, directives(missing)) == (404, POLICY)
    assert (refused.status_code, directives(refused)) == (400, POLICY)
