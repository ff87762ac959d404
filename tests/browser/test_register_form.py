"""The registration form in Chromium: no workshop slot starts chosen, and the country is found
by typing (static/registrations/country-filter.js)."""

from django.urls import reverse

from tests.reports.conftest import (  # noqa: F401
    dashboard,
    forum,
    immediate_tasks,
    make_details,
    register,
    workshop,
)


def test_country_is_found_by_typing_and_no_slot_starts_chosen(page, dashboard, shoot, axe):  # noqa: F811
    page.goto(reverse("registrations:register", args=[dashboard.forum.slug]))
    assert page.locator("fieldset input[type=radio][name^=slot_]:checked").count() == 0
    box = page.get_by_label("Type to find your country")
    box.fill("malays")
    options = page.locator("select[name=country] option").all_inner_texts()
    assert options[1:] == ["Malaysia"]
    assert page.locator("select[name=country]").input_value() == "MY"
    box.fill("")
    assert page.locator("select[name=country] option").count() > 200
    shoot(page, "register-country")
    axe(page)
