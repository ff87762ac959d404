"""The members page and the report show the programme's reach from
reports.selectors.reach_headline: the members page as of today, the report as of the forum's day."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from reports import dashboards
from tests.attendance.pdf_reading import pdf_lines
from tests.feedback.results_fixture import figure


@dataclass(frozen=True)
class Reach:
    """Stands for reports.selectors.ReachHeadline."""

    forums: int
    companies: int
    people: int
    countries: int
    demo_forums: int = 0


def fake_reach(monkeypatch, asked):
    def reach_headline(*, as_of=None):
        asked.append(as_of)
        return Reach(forums=31, companies=3012, people=4105, countries=27)

    monkeypatch.setattr(dashboards, "reach_headline", reach_headline)


def test_members_page_shows_programme_totals(client, users, dashboard, monkeypatch):
    asked = []
    fake_reach(monkeypatch, asked)
    client.force_login(users["member"])
    html = client.get(reverse("reports:members")).content.decode()
    assert [figure(html, f"reach:{k}") for k in ["forums", "companies", "people", "countries"]] == [
        "31",
        "3012",
        "4105",
        "27",
    ]
    assert asked == [None]


def test_report_shows_reach_as_of_the_forums_day(client, users, dashboard, monkeypatch):
    asked = []
    fake_reach(monkeypatch, asked)
    client.force_login(users["secretariat"])
    content = client.get(reverse("reports:forum_report_pdf", args=[dashboard.forum.slug])).content
    lines = pdf_lines(content)
    start = lines.index("The programme's reach on 11 March 2036")
    assert lines[start + 1 : start + 9] == [
        "Forums held", "Companies reached", "People reached", "Countries",
        "31", "3012", "4105", "27",
    ]  # fmt: skip
    assert asked == [date(2036, 3, 11)]
