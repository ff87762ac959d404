"""The reach from the facts agrees with the reach counted directly from the registrations: a
seeded random history (forums held or not, people of several companies, some merged, check-ins
at the door and in workshops, some undone, categories and sponsors), every figure of
reach_totals compared with a plain Python count, as of several dates."""

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest

from attendance.models import CheckIn
from forums.enums import ForumStatus
from forums.models import Forum, Organisation, Person, Sponsorship
from registrations.models import Registration
from reports.regions import REGIONS
from reports.selectors import reach_totals
from workshops.models import Workshop

COUNTRIES = [("MY", "Asia/Kuala_Lumpur"), ("IN", "Asia/Kolkata"), ("MX", "America/Mexico_City")]
PILLARS = ["human_rights", "health_safety", "environment", "business_integrity"]
CATEGORIES = ["", "supplier", "grower", "ngo"]


def build(make_forum, make_member, rng):
    members = [make_member(name=name) for name in ["Nestlé", "Unilever"]]
    forums = []
    for i in range(6):
        country, zone = COUNTRIES[i % 3]
        forum = make_forum(
            day=date(2014 + i // 2, 3 + 4 * (i % 2), 10),
            country=country,
            zone=zone,
            theme=["Palm oil", "Tea", ""][i % 3],
            status=ForumStatus.REGISTRATION_CLOSED if i == 4 else ForumStatus.HELD,
        )
        sponsorship = Sponsorship.objects.create(
            forum=forum, organisation=members[i % 2], invitation_code=f"code-{i}"
        )
        workshop = Workshop.objects.create(
            forum=forum,
            code="A1",
            title="Workshop",
            pillar=PILLARS[i % 4],
            starts_at=forum.starts_at + timedelta(hours=4),
            ends_at=forum.starts_at + timedelta(hours=6),
            seat_limit=100,
        )
        forums.append((forum, sponsorship, workshop))
    companies = [
        Organisation.objects.create(name=f"Company {i}", kind="supplier") for i in range(8)
    ]
    people = [Person.objects.create(first_name=f"P{i}") for i in range(30)]
    for person in people:
        for forum, sponsorship, workshop in rng.sample(forums, rng.randint(1, 4)):
            registration = Registration.objects.create(
                forum=forum,
                person=person,
                company=rng.choice([*companies, None]),
                category=rng.choice(CATEGORIES),
                invited_by=sponsorship if rng.random() < 0.4 else None,
            )
            if rng.random() < 0.75:
                door = CheckIn.objects.create(
                    registration=registration,
                    checked_in_at=forum.starts_at,
                    nonce=f"door-{registration.pk}",
                    source="import",
                )
                if rng.random() < 0.1:
                    door.undone_at = forum.starts_at + timedelta(minutes=3)
                    door.save(update_fields=["undone_at"])
                if rng.random() < 0.5:
                    CheckIn.objects.create(
                        registration=registration,
                        workshop=workshop,
                        checked_in_at=forum.starts_at,
                        nonce=f"workshop-{registration.pk}",
                        source="import",
                    )
    # Two duplicate records merged into others, their registrations left where they were.
    for merged, kept in [(companies[6], companies[0]), (companies[7], companies[1])]:
        merged.merged_into = kept
        merged.save(update_fields=["merged_into"])


def counted(as_of):
    """Every figure of reach_totals, counted from the registrations in plain Python."""
    region_of = {code: key for key, (_, codes) in REGIONS.items() for code in codes}
    rows = []
    for registration in Registration.objects.select_related("forum", "company", "invited_by"):
        forum = registration.forum
        if forum.status not in (ForumStatus.HELD, ForumStatus.ARCHIVED):
            continue
        if as_of is not None and forum.starts_at.date() > as_of:
            continue
        live = CheckIn.objects.filter(registration=registration, undone_at__isnull=True)
        if not live.filter(workshop__isnull=True).exists():
            continue
        company = registration.company
        key = (company.merged_into_id or company.pk) if company else None
        groups = {
            ("year", str(forum.starts_at.astimezone(forum.zone).year)),
            ("country", str(forum.country)),
            ("region", region_of[str(forum.country)]),
            ("theme", forum.theme),
            ("category", registration.category),
        }
        if registration.invited_by:
            groups.add(("sponsor", registration.invited_by.organisation.name))
        groups |= {("pillar", w.pillar) for w in Workshop.objects.filter(checkins__in=live)}
        rows.append((forum, key, registration.person_id, groups))
    figures = defaultdict(lambda: (set(), set(), set()))
    for forum, key, person, groups in rows:
        for group in groups | {("total", "")}:
            forums, companies, people = figures[group]
            forums.add(forum.pk)
            people.add(person)
            if key is not None:
                companies.add(key)
    at = defaultdict(set)
    for forum, key, _, _ in rows:
        if key is not None:
            at[key].add(forum.pk)
    first = {}
    for forum, key, _, _ in sorted(rows, key=lambda row: (row[0].starts_at, row[0].pk)):
        if key is not None:
            first.setdefault(key, forum.pk)
    per_forum = {}
    for forum, key, person, _ in rows:
        companies, people, new = per_forum.setdefault(forum.slug, (set(), set(), set()))
        people.add(person)
        if key is not None:
            companies.add(key)
            if first[key] == forum.pk:
                new.add(key)
    return {
        "lines": {
            group: (len(forums), len(companies), len(people))
            for group, (forums, companies, people) in figures.items()
        },
        "per_forum": {
            slug: (len(people), len(companies), len(new))
            for slug, (companies, people, new) in per_forum.items()
        },
        "returning": sum(1 for forums in at.values() if len(forums) >= 2),
    }


def from_facts(as_of):
    reach = reach_totals(as_of=as_of)
    lines = {("total", ""): (reach.forums, reach.companies, reach.people)}
    for dimension, breakdown in [
        ("year", reach.by_year),
        ("country", reach.by_country),
        ("region", reach.by_region),
        ("theme", reach.by_theme),
        ("category", reach.by_category),
        ("sponsor", reach.by_sponsor),
        ("pillar", reach.by_pillar),
    ]:
        for line in breakdown:
            if line.people:  # held forums where nobody came are listed with no one
                lines[dimension, line.key] = (line.forums, line.companies, line.people)
    return {
        "lines": lines,
        "per_forum": {
            f.slug: (f.people, f.companies, f.new_companies) for f in reach.per_forum if f.people
        },
        "returning": reach.returning_companies,
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_facts_agree_with_counting(make_forum, make_member, seed):
    build(make_forum, make_member, random.Random(seed))
    for as_of in [None, date(2014, 12, 31), date(2015, 3, 10), date(2016, 1, 1)]:
        expected = counted(as_of)
        # The total of forums counts those held where nobody came too.
        held = [
            forum
            for forum in Forum.objects.filter(status=ForumStatus.HELD)
            if as_of is None or forum.starts_at.date() <= as_of
        ]
        totals = expected["lines"].get(("total", ""), (0, 0, 0))
        expected["lines"]["total", ""] = (len(held), *totals[1:])
        assert from_facts(as_of) == expected, as_of
