"""The secretariat's company pages: possible duplicates with their merge buttons, and the merge
log, whose times are in UTC with the zone named."""

import functools
import re
from datetime import UTC, datetime

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from companies.admin import PossibleDuplicateAdmin
from companies.models import CompanyMerge, PossibleDuplicate
from companies.services import company_for_name, company_merge
from tests.html_forms import buttons, form_values, texts_of_class


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def admin_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def unsure_pair(db):
    """Two records that may be one company; the pair awaits the secretariat's decision."""
    first = company_for_name(name="Kilang Sawit Maju", country="MY")
    second = company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    return first, second


def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page_csrf_secrets(response) -> set[str]:
    """The CSRF secret behind each token on the page (tokens are masked anew on every use)."""
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert tokens
    return {_unmask_cipher_token(token) for token in tokens}


def test_possible_duplicate_pages_carry_their_own_users_csrf_token(
    secretariat_user, make_user, unsure_pair, monkeypatch
):
    other_user = make_user(
        "desk@forumdesk.example", role="secretariat", is_staff=True, is_superuser=True
    )
    first_client, other_client = csrf_client(secretariat_user), csrf_client(other_user)
    url = reverse("admin:companies_possibleduplicate_changelist")
    other_client.get(url)  # each browser has its own CSRF cookie
    first_client.get(url)
    pages = {}
    first_name = PossibleDuplicateAdmin.first_name

    @functools.wraps(first_name)
    def other_request_meanwhile(self, pair):
        # A second staff member's request is served while the first one's page is rendered,
        # as on a threaded server.
        if not pages:
            pages["other"] = None
            pages["other"] = other_client.get(url)
        return first_name(self, pair)

    monkeypatch.setattr(PossibleDuplicateAdmin, "first_name", other_request_meanwhile)
    pages["first"] = first_client.get(url)

    assert page_csrf_secrets(pages["first"]) == {first_client.cookies["csrftoken"].value}
    assert page_csrf_secrets(pages["other"]) == {other_client.cookies["csrftoken"].value}


def test_possible_duplicate_merge_button_merges_with_the_pages_own_form(
    secretariat_user, unsure_pair
):
    first, second = unsure_pair
    client = csrf_client(secretariat_user)
    page = client.get(reverse("admin:companies_possibleduplicate_changelist"))
    merge_buttons = [b for b in buttons(page) if "formaction" in b]
    pair = PossibleDuplicate.objects.get()
    assert [(b["formaction"], b["text"]) for b in merge_buttons] == [
        (
            reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "first"]),
            "Keep “Kilang Sawit Maju”",
        ),
        (
            reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "second"]),
            "Keep “Kilang Sawit Maju Trading”",
        ),
    ]

    # A browser sends the changelist's form, with its CSRF token and the pressed button's name
    # and value, to the button's address.
    pressed = merge_buttons[1]
    assert (pressed["name"], pressed["value"]) == ("keep", "second")
    response = client.post(
        pressed["formaction"],
        {**form_values(page, "changelist-form"), pressed["name"]: pressed["value"]},
    )

    assert response.status_code == 302
    merge = CompanyMerge.objects.get()
    assert (merge.kept, merge.merged, merge.by) == (second, first, secretariat_user)
    pair.refresh_from_db()
    assert pair.status == PossibleDuplicate.Status.MERGED


@pytest.mark.parametrize("data", [{}, {"keep": "first"}], ids=["no button", "other button"])
def test_possible_duplicate_merge_without_its_button_merges_nothing(
    staff_client, unsure_pair, data
):
    pair = PossibleDuplicate.objects.get()
    url = reverse("admin:companies_possibleduplicate_merge", args=[pair.pk, "second"])

    response = staff_client.post(url, data, follow=True)

    assert response.redirect_chain == [
        (reverse("admin:companies_possibleduplicate_changelist"), 302)
    ]
    assert admin_messages(response) == [
        "Nothing was merged: press the “Keep …” button of the company to keep."
    ]
    assert CompanyMerge.objects.count() == 0
    pair.refresh_from_db()
    assert pair.status == PossibleDuplicate.Status.OPEN


def test_possible_duplicate_dismiss_action_says_how_many(staff_client, unsure_pair):
    pair = PossibleDuplicate.objects.get()

    response = staff_client.post(
        reverse("admin:companies_possibleduplicate_changelist"),
        {"action": "dismiss", "_selected_action": [pair.pk]},
        follow=True,
    )

    assert admin_messages(response) == ["1 pair marked as different companies."]
    pair.refresh_from_db()
    assert pair.status == PossibleDuplicate.Status.DISMISSED


def test_company_merge_pages_name_utc(staff_client, secretariat_user):
    kept = company_for_name(name="Kilang Sawit Maju", country="MY")
    merged = company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    merge = company_merge(kept=kept, merged=merged, by=secretariat_user)
    CompanyMerge.objects.filter(pk=merge.pk).update(
        created_at=utc(2036, 2, 1, 0, 12), undone_at=utc(2036, 2, 2, 9, 0)
    )

    listed = staff_client.get(reverse("admin:companies_companymerge_changelist"))
    page = staff_client.get(reverse("admin:companies_companymerge_change", args=[merge.pk]))

    assert texts_of_class(listed, "field-utc_created_at") == ["2036-02-01 00:12 UTC"]
    assert texts_of_class(listed, "field-utc_undone_at") == ["2036-02-02 09:00 UTC"]
    assert texts_of_class(page, "field-utc_created_at") == ["Created at: 2036-02-01 00:12 UTC"]
    assert texts_of_class(page, "field-utc_undone_at") == ["Undone at: 2036-02-02 09:00 UTC"]


def test_organisation_admin_is_registered_once_as_the_company_admin():
    from django.contrib import admin

    from companies.admin import CompanyAdmin
    from config.admin_inputs import StrictInputs
    from forums.models import Organisation

    # As registered: CompanyAdmin, with the site's strict reading of inputs mixed in.
    assert type(admin.site._registry[Organisation]).__bases__ == (StrictInputs, CompanyAdmin)


def test_organisation_added_in_the_admin_is_matched_by_its_name(staff_client):
    from companies.models import CompanyName
    from companies.selectors import company_find
    from forums.models import Organisation

    response = staff_client.post(
        reverse("admin:forums_organisation_add"),
        {
            "name": "Golden Hope Plantations Berhad",
            "kind": "supplier",
            "country": "MY",
            "website": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert list(CompanyName.objects.values_list("organisation", "name")) == [
        (organisation.pk, "Golden Hope Plantations Berhad")
    ]
    assert company_find(name="GOLDEN HOPE PLANTATIONS BHD").organisation == organisation
