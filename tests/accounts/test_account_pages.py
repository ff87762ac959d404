"""allauth's account and two-factor pages are the site's pages: they extend templates/base.html
(through templates/allauth/layouts/), speak English and Spanish, and pass basic accessibility
checks: the page's language named, one h1, every input labelled."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from tests.conftest import _user, _with_second_factor

PASSWORD = "correct horse battery"


class _Page(HTMLParser):
    """What the checks read from a page: its lang, its h1s, its form controls and labels."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.h1 = []
        self._in_h1 = False
        self.controls = []  # (tag, attributes)
        self.labelled_ids = set()
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        elif tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.labelled_ids.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if self._label_depth:
                attrs["_wrapped"] = "yes"
            self.controls.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        elif tag == "label":
            self._label_depth -= 1

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def _unlabelled(page: _Page) -> list[str]:
    missing = []
    for tag, attrs in page.controls:
        if attrs.get("type") in ("hidden", "submit", "button"):
            continue
        if attrs.get("_wrapped") or attrs.get("aria-label") or attrs.get("aria-labelledby"):
            continue
        if attrs.get("id") and attrs["id"] in page.labelled_ids:
            continue
        missing.append(attrs.get("name") or tag)
    return missing


def _check(response, language: str) -> str:
    """The page's h1, after checking it is the site's page in `language`, with one h1 and
    every control labelled."""
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    page = _Page()
    page.feed(response.content.decode())
    assert page.lang == language
    assert len(page.h1) == 1
    assert _unlabelled(page) == []
    # The site's header and footer, from base.html.
    assert 'class="site-header"' in response.content.decode()
    return " ".join(page.h1[0].split())


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


@pytest.fixture
def member(db):
    return _user("person@example.com")


def _reset_key_url(user) -> str:
    key = default_token_generator.make_token(user)
    return reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key}
    )


# (page, what to do first, the h1 in English, the h1 in Spanish)
PAGES = [
    ("account_login", None, "Sign In", "Iniciar sesión"),
    ("account_signup", None, "Sign Up", "Registrarse"),
    ("account_reset_password", None, "Password Reset", "Restablecer Contraseña"),
    ("account_reset_password_done", None, "Password Reset", "Restablecer Contraseña"),
    ("reset_from_key", None, "Change Password", "Cambiar la contraseña"),
    ("account_logout", "login", "Sign Out", "Cerrar sesión"),
    ("account_change_password", "login", "Change Password", "Cambiar la contraseña"),
    ("mfa_index", "login", "Two-Factor Authentication", "Autenticación de doble factor"),
    (
        "mfa_activate_totp",
        "reauthenticated",
        "Activate Authenticator App",
        "Activar la aplicación de autenticación",
    ),
    (
        "mfa_authenticate",
        "second_factor",
        "Two-Factor Authentication",
        "Autenticación de doble factor",
    ),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name, before, english, spanish", PAGES, ids=[p[0] for p in PAGES])
def test_account_page_is_the_sites_page(client, member, language, name, before, english, spanish):
    client.cookies.load({"django_language": language})
    if before == "login":
        client.force_login(member)
    if before == "reauthenticated":
        # The password typed again just now, as allauth asks before a change of factors.
        client.force_login(member)
        assert (
            client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code
            == 302
        )
    if before == "second_factor":
        _with_second_factor(member)
        started = client.post(
            reverse("account_login"), {"login": member.email, "password": PASSWORD}
        )
        assert started["Location"] == reverse(name)
    if name == "reset_from_key":
        opened = client.get(_reset_key_url(member))
        response = client.get(opened["Location"])
    else:
        response = client.get(reverse(name))
    assert _check(response, language) == (english if language == "en" else spanish)


def test_account_settings_pages_link_to_each_other(client, member):
    client.force_login(member)
    response = client.get(reverse("account_change_password"))
    nav = re.search(
        r'<nav aria-label="Account settings"[^>]*>(.*?)</nav>', response.content.decode(), re.S
    )
    assert re.findall(r'href="([^"]+)"', nav[1]) == [
        reverse("account_change_password"),
        reverse("account_email"),
        reverse("mfa_index"),
    ]
    assert re.findall(r'aria-current="page"[^>]*>([^<]+)<', nav[1]) == ["Password"]


def test_account_settings_navigation_in_spanish(client, member):
    client.cookies.load({"django_language": "es"})
    client.force_login(member)
    response = client.get(reverse("mfa_index"))
    nav = re.search(
        r'<nav aria-label="Ajustes de la cuenta"[^>]*>(.*?)</nav>', response.content.decode(), re.S
    )
    assert re.findall(r'aria-current="page"[^>]*>([^<]+)<', nav[1]) == [
        "Autenticación de doble factor"
    ]
