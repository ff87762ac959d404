"""A workshop slot starts with no answer on the registration form, and with the registrant's
choice ("none" included) on their own page; the country list carries its search box's label."""

import re

from registrations import services

from .test_views import manage_url, register_url


def _checked(html: str) -> dict[str, str]:
    """Slot field name → the value of its checked radio."""
    found = {}
    for tag in re.findall(r"<input[^>]*type=\"radio\"[^>]*>", html):
        name = re.search(r'name="(slot_\d+)"', tag)
        if name and " checked" in tag:
            found[name.group(1)] = re.search(r'value="([^"]*)"', tag).group(1)
    return found


def test_registration_form_checks_no_slot(client, forum):
    html = client.get(register_url(forum)).content.decode()
    assert 'name="slot_1"' in html and 'name="slot_2"' in html
    assert _checked(html) == {}
    assert 'data-country-filter="Type to find your country"' in html
    assert "registrations/country-filter" in html


def test_manage_page_checks_the_registrants_choices_none_included(client, forum, workshop):
    registration = services.registration_create(
        forum=forum,
        details=services.RegistrantDetails(
            first_name="Siti",
            last_name="Rahman",
            email="siti@supplier.example",
            company_name="Acme",
            country="MY",
        ),
        workshops=[workshop("A1")],
        proven=True,
    ).registration
    html = client.get(manage_url(registration)).content.decode()
    assert _checked(html) == {"slot_1": str(workshop("A1").pk), "slot_2": ""}
