"""The reach counts a forum in the year it starts in its own zone, not in UTC, on both sides of
New Year: Kuala Lumpur (UTC+8) at 00:30 on 1 January 2018 is still 31 December 2017 in UTC;
Mexico City (UTC-6) at 20:00 on 31 December 2017 is already 1 January 2018 in UTC."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from forums.enums import ForumStatus
from forums.models import Organisation, Person
from registrations.models import Registration
from reports.selectors import reach_totals
from tests.feedback.results_fixture import figures
from tests.reports.reach.conftest import attend

KL = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
MEXICO = zoneinfo.ZoneInfo("America/Mexico_City")


def held_at(make_forum, starts_at, *, slug, zone, country, people):
    """A held forum starting at `starts_at`, where `people` people of one company came."""
    forum = make_forum(slug=slug, zone=zone, country=country, status=ForumStatus.HELD)
    forum.starts_at = starts_at
    forum.ends_at = starts_at + timedelta(hours=3)
    forum.save()
    company = Organisation.objects.create(name=f"Mill of {slug}", kind="supplier")
    for n in range(people):
        person = Person.objects.create(first_name=f"{slug}{n}", email=f"{slug}{n}@example.com")
        attend(Registration.objects.create(forum=forum, person=person, company=company))
    return forum


# (zone, country, start in that zone, the year it counts in, the year UTC would give)
SIDES = {
    "kl-new-years-day": (
        "Asia/Kuala_Lumpur",
        "MY",
        datetime(2018, 1, 1, 0, 30, tzinfo=KL),
        "2018",
        2017,
    ),
    "mexico-new-years-eve": (
        "America/Mexico_City",
        "MX",
        datetime(2017, 12, 31, 20, 0, tzinfo=MEXICO),
        "2017",
        2018,
    ),
}


@pytest.mark.parametrize("side", SIDES)
def test_reach_year_is_the_year_in_the_forums_own_zone(make_forum, staff_client, side):
    zone, country, starts_at, year, utc_year = SIDES[side]
    assert starts_at.astimezone(UTC).year == utc_year
    held_at(make_forum, starts_at, slug=side, zone=zone, country=country, people=2)

    by_year = {f.key: (f.forums, f.companies, f.people) for f in reach_totals().by_year}
    assert by_year == {year: (1, 1, 2)}
    # The page, where the secretariat reads it.
    shown = figures(staff_client.get(reverse("reports:reach")).content.decode())
    assert {name: texts for name, texts in shown.items() if name.startswith("year:")} == {
        f"year:{year}:forums": ["1"],
        f"year:{year}:companies": ["1"],
        f"year:{year}:people": ["2"],
    }
