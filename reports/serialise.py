"""The reach figures as plain data (for JSON) and as rows (for CSV and XLSX exports)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from reports.selectors import Figures, Reach

HEADERS = [
    "breakdown",
    "key",
    "label",
    "forums",
    "companies",
    "people",
    "new_companies",
    "returning_companies",
]


def _lines(figures: tuple[Figures, ...]) -> dict[str, dict[str, int | str]]:
    return {
        f.key: {"label": f.label, "forums": f.forums, "companies": f.companies, "people": f.people}
        for f in figures
    }


def reach_as_dict(reach: Reach) -> dict:
    return {
        "as_of": reach.as_of.isoformat() if reach.as_of else None,
        "forums": reach.forums,
        "companies": reach.companies,
        "people": reach.people,
        "countries": reach.countries,
        "companies_at_two_or_more_forums": reach.returning_companies,
        "demo_forums": reach.demo_forums,
        "by_year": _lines(reach.by_year),
        "by_country": _lines(reach.by_country),
        "by_region": _lines(reach.by_region),
        "by_theme": _lines(reach.by_theme),
        "by_pillar": _lines(reach.by_pillar),
        "by_sponsor": _lines(reach.by_sponsor),
        "by_category": _lines(reach.by_category),
        "per_forum": {
            f.slug: {
                "title": f.title,
                "date": f.starts_at.date().isoformat(),
                "people": f.people,
                "companies": f.companies,
                "new_companies": f.new_companies,
                "returning_companies": f.returning_companies,
                "demo": f.is_demo,
            }
            for f in reach.per_forum
        },
    }


def reach_rows(reach: Reach) -> Iterator[list]:
    """One row per line of every breakdown, after the totals, for a spreadsheet."""
    yield ["total", "forums", _("Forums held"), reach.forums, "", ""]
    yield ["total", "companies", _("Companies reached"), "", reach.companies, ""]
    yield ["total", "people", _("People reached"), "", "", reach.people]
    yield ["total", "countries", _("Countries"), reach.countries, "", ""]
    for name, figures in [
        ("year", reach.by_year),
        ("country", reach.by_country),
        ("region", reach.by_region),
        ("theme", reach.by_theme),
        ("pillar", reach.by_pillar),
        ("sponsor", reach.by_sponsor),
        ("category", reach.by_category),
    ]:
        for f in figures:
            yield [name, f.key, f.label, f.forums, f.companies, f.people]
    for forum in reach.per_forum:
        yield [
            "forum",
            forum.slug,
            forum.title,
            1,
            forum.companies,
            forum.people,
            forum.new_companies,
            forum.returning_companies,
        ]
