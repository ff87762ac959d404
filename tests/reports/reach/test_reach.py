"""reach_totals against the hand-counted history of conftest.py."""

from datetime import date

import pytest

from companies.services import company_merge
from forums.enums import ForumStatus
from reports.selectors import reach_headline, reach_totals


def lines(breakdown):
    return {f.key: (f.forums, f.companies, f.people) for f in breakdown}


def test_reach_totals_distinct_across_forums_without_no_shows(history):
    reach = reach_totals()
    assert (reach.forums, reach.companies, reach.people, reach.countries) == (3, 4, 4, 3)
    assert reach.as_of is None


def test_reach_by_year_country_region_theme(history):
    reach = reach_totals()
    assert lines(reach.by_year) == {"2016": (1, 2, 2), "2017": (2, 3, 3)}
    assert lines(reach.by_country) == {"IN": (1, 2, 2), "MY": (1, 2, 2), "MX": (1, 1, 1)}
    assert {f.key: f.label for f in reach.by_country}["MY"] == "Malaysia"
    assert lines(reach.by_region) == {"asia": (2, 3, 3), "americas": (1, 1, 1)}
    assert lines(reach.by_theme) == {"Tea": (1, 2, 2), "Palm oil": (1, 2, 2), "Sugar": (1, 1, 1)}


def test_reach_by_pillar_sponsor_and_category(history):
    reach = reach_totals()
    assert lines(reach.by_pillar) == {"environment": (1, 1, 1)}
    assert lines(reach.by_sponsor) == {"Nestlé": (1, 1, 1)}
    assert lines(reach.by_category) == {
        "": (1, 2, 2),
        "supplier": (1, 1, 1),
        "grower": (1, 1, 1),
        "ngo": (1, 1, 1),
    }
    assert {f.key: f.label for f in reach.by_category}["ngo"] == "NGO"


def test_reach_new_and_returning_companies(history):
    reach = reach_totals()
    per_forum = {
        f.slug: (f.people, f.companies, f.new_companies, f.returning_companies)
        for f in reach.per_forum
    }
    assert per_forum == {"gurgaon": (2, 2, 2, 0), "kl": (2, 2, 1, 1), "mexico": (1, 1, 1, 0)}
    assert reach.returning_companies == 1


def test_reach_as_of_a_date(history):
    before_kl = reach_totals(as_of=date(2017, 10, 23))
    assert (before_kl.forums, before_kl.companies, before_kl.people, before_kl.countries) == (
        1,
        2,
        2,
        1,
    )
    on_kl_day = reach_totals(as_of=date(2017, 10, 24))
    assert (on_kl_day.forums, on_kl_day.companies, on_kl_day.people) == (2, 3, 3)
    assert on_kl_day.as_of == date(2017, 10, 24)
    assert [f.slug for f in on_kl_day.per_forum] == ["gurgaon", "kl"]


def test_reach_counts_a_forum_once_it_is_marked_held(history):
    forums, _, _ = history
    forums["kl"].status = ForumStatus.REGISTRATION_CLOSED
    forums["kl"].save()
    reach = reach_totals(as_of=date(2017, 12, 31))
    assert (reach.forums, reach.companies, reach.people) == (2, 3, 3)
    forums["kl"].status = ForumStatus.HELD
    forums["kl"].save()
    reach = reach_totals(as_of=date(2017, 12, 31))
    assert (reach.forums, reach.companies, reach.people) == (3, 4, 4)


def test_reach_after_a_company_merge(history):
    _, companies, _ = history
    company_merge(kept=companies["kilang"], merged=companies["dup"])
    reach = reach_totals()
    assert (reach.forums, reach.companies, reach.people) == (3, 3, 4)
    assert lines(reach.by_country)["MY"] == (1, 1, 2)
    kl = next(f for f in reach.per_forum if f.slug == "kl")
    assert (kl.companies, kl.new_companies, kl.returning_companies) == (1, 0, 1)


def test_reach_counts_a_registration_still_pointing_at_a_merged_record(history):
    _, companies, _ = history
    # As if the merge had not moved this registration: it still counts for the survivor.
    companies["dup"].merged_into = companies["kilang"]
    companies["dup"].save()
    reach = reach_totals()
    assert reach.companies == 3
    assert lines(reach.by_year)["2017"] == (2, 2, 3)


def test_reach_totals_query_count_does_not_grow(history, django_assert_num_queries):
    from reports.selectors import QUERIES
    from tests.reports.reach.conftest import more_history

    with django_assert_num_queries(5):
        small = reach_totals()
    assert QUERIES == 5
    more_history(20)
    with django_assert_num_queries(5):
        larger = reach_totals()
    assert (small.forums, larger.forums) == (3, 23)
    assert larger.companies == 4 + 21
    assert larger.returning_companies == 2


@pytest.mark.parametrize("as_of", [None, date(2017, 10, 23), date(2017, 10, 24)])
def test_reach_headline_is_the_totals_in_two_queries(history, as_of, django_assert_num_queries):
    with django_assert_num_queries(2):
        headline = reach_headline(as_of=as_of)

    totals = reach_totals(as_of=as_of)
    assert (headline.forums, headline.companies, headline.people, headline.countries) == (
        totals.forums,
        totals.companies,
        totals.people,
        totals.countries,
    )
    assert headline.as_of == as_of
