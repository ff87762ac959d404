"""The company pages × every role → the status each must answer (rows in the style of
tests/test_permissions.py). Only the secretariat reaches them."""

import pytest
from django.urls import reverse

from companies.models import PossibleDuplicate
from companies.services import company_for_name, company_merge
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_company_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    row("admin_possible_duplicates", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_company_merges", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # Non-staff go to the admin's login. For the secretariat: a list posted without an action
    # and a selection shows the list; a form posted empty comes back with its errors; a delete
    # page posted without its confirmation asks again. Merges are never added by hand nor
    # deleted (undo instead).
    row("admin_possible_duplicates POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_possible_duplicate", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_possible_duplicate POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_possible_duplicate_add", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_possible_duplicate_add POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_possible_duplicate_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_possible_duplicate_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_possible_duplicate_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_possible_duplicate_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # Merging takes a press of a "Keep" button on the list; the address alone, opened or posted
    # empty, leads back to the list and merges nothing.
    row("admin_possible_duplicate_merge", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("admin_possible_duplicate_merge POST", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("admin_company_merges POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # A merge is a record: looked at, undone from the list, never edited.
    row("admin_company_merge", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_company_merge POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_company_merge_add", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_company_merge_add POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_company_merge_delete", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_company_merge_delete POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_company_merge_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_company_merge_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
]


@pytest.fixture
def urls(users):
    company_for_name(name="Kilang Sawit Maju", country="MY")
    company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    pair = PossibleDuplicate.objects.get()
    merge = company_merge(
        kept=company_for_name(name="Borneo Oils Bhd", country="MY"),
        merged=company_for_name(name="Sabah Rubber Sdn Bhd", country="MY"),
        by=users["secretariat"],
    )
    return {
        "admin_possible_duplicates": reverse("admin:companies_possibleduplicate_changelist"),
        "admin_company_merges": reverse("admin:companies_companymerge_changelist"),
        **admin_pages("possible_duplicate", "companies_possibleduplicate", pair),
        "admin_possible_duplicate_merge": reverse(
            "admin:companies_possibleduplicate_merge", args=[pair.pk, "first"]
        ),
        **admin_pages("company_merge", "companies_companymerge", merge),
    }


def admin_pages(key: str, model: str, obj) -> dict[str, str]:
    """A model admin's add, change, delete and history pages (lists have rows of their own)."""
    return {
        f"admin_{key}_add": reverse(f"admin:{model}_add"),
        f"admin_{key}": reverse(f"admin:{model}_change", args=[obj.pk]),
        f"admin_{key}_delete": reverse(f"admin:{model}_delete", args=[obj.pk]),
        f"admin_{key}_history": reverse(f"admin:{model}_history", args=[obj.pk]),
    }


def test_every_company_url_has_get_and_post_rows(urls):
    project = {name for name in project_url_names() if in_company_table(name)}
    assert sorted(project - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix_companies(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    # Nothing is written by a request without data, whoever sends it.
    assert database_state() == before
