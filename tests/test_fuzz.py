"""Every URL pattern of the project, with every role that reaches it, sent input no person types:
NUL bytes, other Unicode digits, lone surrogates, bytes that are not UTF-8, over-long values,
numbers that overflow a column, and huge and deeply nested JSON, in each path argument, each
query parameter and each form field it knows (the names the page's forms carry, and every name
the project's views read). With DEBUG off, no answer may be a 500.

The path arguments, the roles and the URL list come from tests/url_walk.py; a pattern it cannot
fill fails the test."""

import re
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client

from tests.matrix import ROLES
from tests.url_walk import INT_MARKER, MARKER, plain, reaches, routes, site, url_for  # noqa: F401

GROUPS = sorted({route.group for route in routes()})

# Percent-encoded as they arrive on the wire.
BAD = [
    "%00",  # NUL
    "a%00b",
    "%C2%B2",  # ², a digit to str.isdigit() that int() refuses
    "%D9%A3",  # ٣, an Arabic-Indic three that int() accepts
    "%EF%BC%91",  # a full-width 1
    "%ED%A0%80",  # a lone surrogate, as some encoders write it
    "%FF%FE",  # not UTF-8
    "x" * 10_000,
    "9" * 30,  # overflows every integer column
    "-1",
    "",
]

# Every name the project's views read from a query string, a form or a JSON body.
NAMES = sorted(
    {
        "action", "apply", "as_of", "category", "check_in", "checkin", "choices", "code",
        "company_name", "confirm", "country", "device", "email", "first_name", "forum", "invite",
        "job_title", "keep", "key", "kind", "language", "last_name", "member", "next", "nonce",
        "override_reason", "phone", "post", "q", "registration", "reset", "scope", "seen_full",
        "slug", "source", "text", "theme", "title", "workshop", "year", "when", "o", "p",
    }
)  # fmt: skip

JSON_BODIES = [
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 100_000 + "1" + "}" * 100_000,
    '{"code": "' + "x" * 1_000_000 + '"}',
    '{"code": "\\u0000", "nonce": "\\ud800", "registration": "\\u00b2", "workshop": 1e400}',
    "not json",
]

_FIELD = re.compile(rb'name="([^"]{1,100})"')


def _field_names(response) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    names = {name.decode("utf-8", "replace") for name in _FIELD.findall(response.content)}
    return sorted(names - {"csrfmiddlewaretoken"})


def _requests(route, url: str, fields: list[str], site):  # noqa: F811
    """(method, path, body, content type) of every request to send to `url`."""
    for argument in route.arguments:
        marked = url_for(route, site, replace=argument)
        marker = INT_MARKER if INT_MARKER in marked else MARKER
        for value in BAD:
            yield "GET", marked.replace(marker, value), None, None
    names = sorted(set(NAMES) | set(fields))
    for value in BAD:
        query = "&".join(f"{quote(name)}={value}" for name in names)
        yield "GET", f"{url}?{query}", None, None
        yield "POST", url, query.encode("latin-1"), "application/x-www-form-urlencoded"
    for body in JSON_BODIES:
        yield "POST", url, body.encode("utf-8", "surrogatepass"), "application/json"


@pytest.mark.parametrize("group", GROUPS)
def test_no_input_answers_500(site, roles, settings, group):  # noqa: F811
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    errors = []
    for route in [r for r in routes() if r.group == group]:
        # Each route from the same data: junk POSTed to an admin delete page confirms the
        # deletion (any POST does), and the next route would find its object gone. A savepoint,
        # not an atomic block, so that the views' durable blocks still run as in production.
        savepoint = transaction.savepoint()
        try:
            url = url_for(route, site)
            for role in ROLES:
                first = plain(client, roles[role], url)
                if first.status_code == 500:
                    errors.append((url, role, "plain", _last_line(first)))
                if not reaches(first) and role != "anonymous":
                    continue
                fields = _field_names(first)
                for method, path, body, content_type in _requests(route, url, fields, site):
                    client.logout()
                    if roles[role] is not None:
                        client.force_login(roles[role])
                    if method == "GET":
                        response = client.get(path)
                    else:
                        response = client.generic("POST", path, body or b"", content_type)
                    if response.status_code == 500:
                        shown = (path if method == "GET" else f"{path} {(body or b'')[:60]!r}")[
                            :160
                        ]
                        errors.append((shown, role, method, _last_line(response)))
        finally:
            transaction.savepoint_rollback(savepoint)
    # One line per 500, so that a failure lists every one of them.
    assert errors == [], "\n".join(" | ".join(error) for error in errors)


def _last_line(response) -> str:
    info = getattr(response, "exc_info", None)
    if not info:
        return "500"
    return f"{info[0].__name__}: {str(info[1])[:120]}"


@pytest.mark.parametrize("member, found", [("%C2%B2", 404), ("%D9%A3", 404), ("", 200)])
def test_members_page_refuses_other_digits(client, roles, settings, member, found):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(roles["secretariat"])
    assert client.get(f"/reports/members/?member={member}").status_code == found
