"""A company name gets the same answer whether it is typed in the form (one name) or arrives in
an import (a list): each list below is resolved name by name with `company_resolve`, then, in a
fresh copy of the same database, all at once with `company_resolve_many`, and everything
written is compared."""

import pytest
from django.db import transaction

from companies.models import CompanyName, PossibleDuplicate
from companies.services import CompanyEntry, company_resolve, company_resolve_many
from forums.models import Organisation
from tests.companies.test_names import ALL_PAIRS

# The domain table of test_names (test_compare_names_domain_rules), as e-mail addresses.
DOMAIN_PAIRS = [
    ("Kilang Sawit Maju", "Kilang Sawit Maju Trading", "ksm.example", "ksm.example"),
    ("Golden Hope Plantations", "Golden Hoppe Plantatoins", "gh.example", "gh.example"),
    ("Cargill", "Cargil", "cargill.example", "cargill.example"),
    ("Golden Hope Plantations", "Golden Harvest Plantations", "sime.example", "sime.example"),
    ("Sime Darby Plantation", "Sime Darby Property", "sime.example", "sime.example"),
    ("Sugar Mill 1", "Sugar Mill 2", "mill.example", "mill.example"),
    ("Nestlé India", "Nestlé Malaysia", "nestle.example", "nestle.example"),
    ("Wilmar International Trading", "Wilmar Internacional Traders", "wilmar.example",
     "wilmar.example"),
    ("Sinar Mas Agro Resources", "Sinar Mas Agri Resource", "smart.example", "smart.example"),
    ("Sugar Mill", "Sugar Mill 2", "mill.example", "mill.example"),
    ("Nestle", "Nestel", "nestle.example", "nestle.example"),
    ("Kilang Sawit Maju", "Kilang Sawit Maju Trading", "gmail.com", "gmail.com"),
    ("Kilang Sawit Maju", "Kilang Sawit Maju Trading", "yahoo.co.in", "yahoo.co.in"),
    ("Kilang Sawit Maju", "Kilang Sawit Maju Trading", "ksm.example", None),
    ("Kilang Sawit Maju", "Kilang Sawit Maju Trading", "ksm.example", "other.example"),
    ("Kilang Sawit Maju Sdn Bhd", "Kilang Sawit Maju", "ksm.example", "other.example"),
]  # fmt: skip

# The names of test_companies, in the order its tests use them.
COMPANY_TEST_NAMES = [
    "Kilang Sawit Maju Sdn Bhd",
    "KILANG SAWIT MAJU SDN. BHD.",
    "Kilang Sawit Maju",
    "Golden Hope Plantations Berhad",
    "Golden Harvest Plantations Berhad",
    "Golden Hope Platnations Bhd",
    "Kilang Sawit Maju Trading",
    "KILANG SAWIT MAJU TRADING SDN BHD",
    "Golden Agri Resources",
    "Golden Palm Oil Mills",
    "KSM Palm Oil Mills Sdn Bhd",
    "KSM Palm Oil Bhd",
    "Shree Packaging Pvt Ltd",
    "Shree Packaging Exports",
]


def _entry(name: str, domain: str | None = None) -> CompanyEntry:
    return CompanyEntry(name=name, country="MY", email=f"ana@{domain}" if domain else "")


def _pair_entries(a, b, domain_a=None, domain_b=None):
    return [_entry(a, domain_a), _entry(b, domain_b)]


def _everything_written(results, known: set[int]) -> dict:
    """What a resolution wrote, with new organisations named by their name (their ids differ
    from one run to the other on PostgreSQL)."""

    def label(organisation):
        if organisation.pk in known:
            return f"#{organisation.pk}"
        return f"new: {organisation.name}"

    organisations = Organisation.objects.exclude(pk__in=known).select_related("merged_into")
    return {
        "results": [(label(o), created) for o, created in results],
        "organisations": sorted((label(o), o.kind, o.country.code) for o in organisations),
        "names": sorted(
            (label(n.organisation), n.name, n.normalised, n.domain)
            for n in CompanyName.objects.select_related("organisation")
        ),
        "pairs": sorted(
            (label(p.first), label(p.second), p.score, p.reason, p.status)
            for p in PossibleDuplicate.objects.select_related("first", "second")
        ),
    }


def _resolved(entries: list[CompanyEntry], *, one_by_one: bool) -> dict:
    """Resolve the entries in a transaction that is rolled back, so both paths start from the
    same database."""
    known = set(Organisation.objects.values_list("pk", flat=True))
    with transaction.atomic():
        if one_by_one:
            results = [
                company_resolve(name=e.name, country=e.country, email=e.email) for e in entries
            ]
        else:
            results = company_resolve_many(entries=entries)
        written = _everything_written(results, known)
        transaction.set_rollback(True)
    return written


def _assert_same_answers(entries):
    one_by_one = _resolved(entries, one_by_one=True)
    at_once = _resolved(entries, one_by_one=False)
    assert at_once == one_by_one


@pytest.mark.parametrize(("a", "b", "verdict"), ALL_PAIRS)
def test_matching_paths_agree_on_each_pair_of_the_name_tests(db, a, b, verdict):
    _assert_same_answers(_pair_entries(a, b))
    _assert_same_answers(_pair_entries(b, a))


@pytest.mark.parametrize(("a", "b", "domain_a", "domain_b"), DOMAIN_PAIRS)
def test_matching_paths_agree_on_each_pair_with_e_mail_domains(db, a, b, domain_a, domain_b):
    _assert_same_answers(_pair_entries(a, b, domain_a, domain_b))
    _assert_same_answers(_pair_entries(b, a, domain_b, domain_a))


def test_matching_paths_agree_on_all_names_of_the_name_tests_in_one_list(db):
    names = [name for a, b, _ in ALL_PAIRS for name in (a, b)]
    _assert_same_answers([_entry(name) for name in names])
    _assert_same_answers([_entry(name) for name in reversed(names)])


def test_matching_paths_agree_when_the_first_names_are_already_known(db):
    for a, _, _ in ALL_PAIRS:
        company_resolve(name=a, country="MY")
    _assert_same_answers([_entry(b) for _, b, _ in ALL_PAIRS])


def test_matching_paths_agree_on_the_names_of_the_company_tests(db):
    _assert_same_answers([_entry(name) for name in COMPANY_TEST_NAMES])
    company_resolve(name="Shree Packaging Pvt Ltd", country="IN")
    company_resolve(name="Golden Hope Plantations Berhad", country="MY")
    _assert_same_answers([_entry(name) for name in COMPANY_TEST_NAMES])


def test_matching_paths_agree_with_a_merged_company(db):
    from companies.services import company_merge

    kept, _ = company_resolve(name="Kilang Sawit Maju", country="MY")
    merged, _ = company_resolve(name="Kilang Sawit Maju Trading", country="MY")
    company_merge(kept=kept, merged=merged)
    _assert_same_answers([_entry(name) for name in COMPANY_TEST_NAMES])


def test_matching_paths_agree_on_a_typo_of_a_spelling_learnt_earlier_in_the_list(db):
    company_resolve(name="Golden Hope Plantations Berhad", country="MY")
    # The second is one letter from the first (an alias once matched), two from the record.
    entries = [_entry("Golden Hope Platnations Bhd"), _entry("Golden Hope Platnatoins Bhd")]

    _assert_same_answers(entries)
    assert [created for _, created in company_resolve_many(entries=entries)] == [False, False]
