"""The registration form's country list is rendered once per language and choice, and kept."""

import re

import pytest
from django.utils import translation
from django_countries.widgets import LazySelect

from registrations.forms import CountrySelect, DetailsForm


@pytest.fixture(autouse=True)
def _nothing_kept():
    CountrySelect.rendered.clear()
    yield
    CountrySelect.rendered.clear()


def as_rendered_each_time(form: DetailsForm) -> str:
    """The country field as django-countries' own widget renders it."""
    bound = form["country"]
    widget = LazySelect(attrs=form.fields["country"].widget.attrs, choices=bound.field.choices)
    widget.is_required = True
    return bound.as_widget(widget=widget)


def selected(html: str) -> list[str]:
    return re.findall(r'<option value="(\w*)" selected>', html)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("initial", [{}, {"country": "MY"}])
def test_country_select_kept_is_what_it_renders_each_time(language, initial):
    with translation.override(language):
        first = str(DetailsForm(initial=initial)["country"])
        kept = str(DetailsForm(initial=initial)["country"])
        expected = as_rendered_each_time(DetailsForm(initial=initial))

    assert kept == first == expected
    assert selected(kept) == [initial.get("country", "")]
    assert len(CountrySelect.rendered) == 1


def test_country_select_is_kept_per_language():
    with translation.override("es"):
        spanish = str(DetailsForm()["country"])
    english = str(DetailsForm()["country"])

    assert re.findall(r'<option value="DE">(.*?)</option>', spanish) == ["Alemania"]
    assert re.findall(r'<option value="DE">(.*?)</option>', english) == ["Germany"]


def test_country_select_with_an_invalid_choice_shows_the_error_and_is_not_kept():
    form = DetailsForm({"country": "<b>Atlantis</b>"})
    assert form.errors["country"] == [
        "Select a valid choice. <b>Atlantis</b> is not one of the available choices."
    ]

    html = str(form["country"])

    assert selected(html) == []
    assert re.findall(r"<select ([^>]*)>", html) == [
        'name="country" autocomplete="country" data-country-filter="Type to find your country" '
        'required aria-invalid="true" aria-describedby="id_country_error" id="id_country"'
    ]
    assert CountrySelect.rendered == {}
