import pytest

from companies.names import normalise_company_name
from companies.selectors import prefilter
from tests.companies.test_names import DIFFERENT_PAIRS, MATCHING_PAIRS


@pytest.mark.parametrize("a, b", MATCHING_PAIRS)
def test_prefilter_keeps_every_same_or_unsure_pair(a, b):
    left, right = normalise_company_name(a), normalise_company_name(b)
    assert prefilter(left, [right, "unrelated trading"]) == [right]


def test_prefilter_drops_unrelated_names():
    choices = ["mekong rice mill", "azucar del pacifico", "golden hope plantations"]
    assert prefilter("kilang sawit maju", choices) == []
    assert prefilter("golden hope plantation", choices) == ["golden hope plantations"]


def test_prefilter_tables_are_not_empty():
    assert (len(MATCHING_PAIRS), len(DIFFERENT_PAIRS) > 0) == (46, True)
