"""What every public page's <head> carries: a meta description (the forum's own on its page)
and the site's icon, which is served."""

from datetime import date
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from forums.enums import ForumStatus


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.descriptions: list[str] = []
        self.icons: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and values.get("name") == "description":
            self.descriptions.append(values["content"])
        if tag == "link" and values.get("rel") == "icon":
            self.icons.append((values["type"], values["href"]))


def head(response) -> Head:
    assert response.status_code == 200
    parsed = Head()
    parsed.feed(response.content.decode())
    return parsed


@pytest.fixture
def kl(make_forum):
    return make_forum(
        title='Responsible Sourcing Forum "KL"',
        slug="kuala-lumpur-2017",
        day=date(2017, 10, 24),
        status=ForumStatus.HELD,
    )


def test_home_has_the_sites_description(client, db):
    assert head(client.get(reverse("home"))).descriptions == [
        "Supplier forums on responsible sourcing: programmes, workshops and registration."
    ]


def test_forum_page_describes_the_forum_on_its_local_day(client, kl):
    assert head(client.get(reverse("forum", args=[kl.slug]))).descriptions == [
        'Responsible Sourcing Forum "KL": a supplier forum on responsible sourcing in '
        "Kuala Lumpur, Malaysia, on 24 October 2017. Programme, workshops and registration."
    ]


def test_forum_page_description_in_spanish(client, kl, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    try:
        descriptions = head(client.get(reverse("forum", args=[kl.slug]))).descriptions
    finally:
        from django.utils import translation

        translation.activate(settings.LANGUAGE_CODE)
    assert descriptions == [
        'Responsible Sourcing Forum "KL": un foro de proveedores sobre abastecimiento '
        "responsable en Kuala Lumpur, Malasia, el 24 octubre 2017. Programa, talleres e "
        "inscripción."
    ]


def test_icons_are_linked_and_served(client, db, settings):
    # As in development; in production WhiteNoise serves the collected copies.
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    icons = head(client.get(reverse("home"))).icons
    assert [kind for kind, _ in icons] == ["image/svg+xml", "image/png"]
    served = {kind: b"".join(client.get(href).streaming_content) for kind, href in icons}
    assert served["image/svg+xml"] == Path(finders.find("favicon.svg")).read_bytes()
    assert served["image/svg+xml"].startswith(b"<svg ")
    assert b"script" not in served["image/svg+xml"]
    with Image.open(BytesIO(served["image/png"])) as image:
        assert (image.format, image.size) == ("PNG", (32, 32))
