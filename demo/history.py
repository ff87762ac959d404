"""Synthetic earlier forums for the demo: the programme's history before the 2017 seed forums,
so that the reach as of the Kuala Lumpur forum is what the seeds say ("over 30 such sessions
globally, reaching over 3,000 companies"). Every such forum is flagged `is_demo` and shown as
demo data.

Written with bulk inserts (a few thousand rows), deterministic, and keyed by slug and e-mail
address: a forum that exists already is left as it is."""

import random
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from demo.assessments import registrant_assessment
from demo.seeds import FORUMS, supplier_names
from forums.enums import ForumStatus, OrganisationKind
from forums.models import Forum, Organisation, Person
from registrations import seats
from registrations.enums import ParticipantCategory, RegistrationSource, RegistrationStatus
from registrations.models import Registration

# city, ISO country, time zone, theme, legal form of the companies there
CITIES = [
    ("Jakarta", "ID", "Asia/Jakarta", "Palm oil", "PT {name}"),
    ("Bangkok", "TH", "Asia/Bangkok", "Sugar", "{name} Co Ltd"),
    ("Ho Chi Minh City", "VN", "Asia/Ho_Chi_Minh", "Packaging", "{name} JSC"),
    ("Shanghai", "CN", "Asia/Shanghai", "Packaging", "{name} Co Ltd"),
    ("São Paulo", "BR", "America/Sao_Paulo", "Sugar", "{name} Ltda"),
    ("Nairobi", "KE", "Africa/Nairobi", "Tea", "{name} Ltd"),
    ("Accra", "GH", "Africa/Accra", "Cocoa", "{name} Ltd"),
    ("Istanbul", "TR", "Europe/Istanbul", "Hazelnuts", "{name} A.S."),
]
YEARS = range(2009, 2017)  # four forums a year for eight years: 32, before the seeds'
FORUMS_PER_YEAR = 4
PARTICIPANTS = 150
COMPANIES = 135  # per forum, some with two participants
# Of each forum's companies, these many were at an earlier forum: with them, the companies
# reached by the day of the Kuala Lumpur forum number "more than 3,000".
RETURNING = 36
ATTENDED_SHARE = 0.85
# Malaysian palm oil suppliers came to the Jakarta forums too: some of the companies on the
# Kuala Lumpur 2017 list had been reached, and had assessed themselves, before it.
VISITORS = {"Jakarta": "kuala-lumpur-2017"}
VISITING = 8  # companies per forum
STEMS = [
    "Sunrise", "Green Valley", "Golden Leaf", "Blue River", "Harvest", "Evergreen", "Highland",
    "Coastal", "Pioneer", "Unity", "Royal", "Summit", "Silver Bay", "Crescent", "Eastern",
]  # fmt: skip
TRADES = [
    "Agro", "Packaging", "Foods", "Plantations", "Trading", "Mills", "Farms", "Logistics",
    "Refinery", "Growers", "Cooperative", "Ingredients", "Polymers", "Textiles", "Spices",
]  # fmt: skip
CATEGORIES = [
    ParticipantCategory.SUPPLIER,
    ParticipantCategory.SUPPLIER,
    ParticipantCategory.SUPPLIER,
    ParticipantCategory.GROWER,
    ParticipantCategory.TRADER,
    ParticipantCategory.NGO,
]


@dataclass
class HistorySummary:
    forums: int = 0
    companies: int = 0
    people: int = 0
    registrations: int = 0


def _slug(city: str, year: int, number: int) -> str:
    city_part = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in city.lower())
    return f"demo-{city_part}-{year}-{number}"


@transaction.atomic
def demo_history_load() -> HistorySummary:
    """Create the synthetic earlier forums that are missing (held, flagged `is_demo`), each
    with its companies, people, registrations (about three in five with a self-assessment, see
    demo.assessments) and door check-ins (source import) for about 85% of its participants,
    some of them from companies seen at an earlier forum, and at the Jakarta forums some from
    the Kuala Lumpur 2017 list's companies (found by name, or created). Leaves every existing
    forum as it is; sends nothing."""
    summary = HistorySummary()
    company_number = 0
    for year in YEARS:
        for number in range(FORUMS_PER_YEAR):
            index = (year - YEARS.start) * FORUMS_PER_YEAR + number
            city, country, zone, theme, _ = CITIES[index % len(CITIES)]
            slug = _slug(city, year, number + 1)
            rng = random.Random(slug)
            day = date(year, 3 + 2 * number, 10 + rng.randrange(15))
            new_companies = COMPANIES - (RETURNING if index else 0)
            first_new = company_number
            company_number += new_companies
            if Forum.objects.filter(slug=slug).exists():
                continue
            starts = datetime.combine(day, time(8, 30), tzinfo=zoneinfo.ZoneInfo(zone))
            forum = Forum(
                title=f"Supplier Forum {city} {year}",
                slug=slug,
                city=city,
                country=country,
                time_zone=zone,
                starts_at=starts,
                ends_at=starts.replace(hour=17),
                theme=theme,
                summary="Demo data: a synthetic forum, not a real event.",
                capacity=PARTICIPANTS + 20,
                registration_opens_at=None,
                registration_closes_at=None,
                status=ForumStatus.ARCHIVED,
                is_demo=True,
            )
            Forum.objects.bulk_create([forum])
            summary.forums += 1
            visitors = _visitors(city, slug)
            _participants(forum, day, rng, first_new, new_companies, visitors, summary)
            # History as it happened: the seat counters are what the registrations hold.
            seats.recount(seats.lock_forum(forum.pk))
    return summary


def _company_name(number: int) -> str:
    """A company's name, with the legal form of the city of the forum it first came to."""
    home = 0 if number < COMPANIES else 1 + (number - COMPANIES) // (COMPANIES - RETURNING)
    legal_form = CITIES[home % len(CITIES)][4]
    stem = STEMS[number % len(STEMS)]
    trade = TRADES[(number // len(STEMS)) % len(TRADES)]
    return legal_form.format(name=f"{stem} {trade} {number + 1:04d}")


def _visitors(city: str, slug: str) -> dict[str, str]:
    """Companies from a seed forum's list who came to this forum: name → country."""
    if city not in VISITORS:
        return {}
    seed = next(seed for seed in FORUMS if seed.slug == VISITORS[city])
    names = random.Random(f"{slug} visitors").sample(supplier_names(seed), VISITING)
    return dict.fromkeys(names, seed.country)


def _participants(
    forum: Forum,
    day: date,
    rng: random.Random,
    first_new: int,
    new_companies: int,
    visitors: dict[str, str],
    summary: HistorySummary,
) -> None:
    numbers = list(range(first_new, first_new + new_companies))
    if first_new:
        numbers += rng.sample(range(first_new), min(RETURNING, first_new))
    countries = {_company_name(number): forum.country for number in numbers} | visitors
    names = list(countries)
    existing = {
        o.name: o
        for o in Organisation.objects.filter(name__in=names, kind=OrganisationKind.SUPPLIER)
    }
    missing = [
        Organisation(name=name, kind=OrganisationKind.SUPPLIER, country=countries[name])
        for name in names
        if name not in existing
    ]
    for organisation in Organisation.objects.bulk_create(missing):
        existing[organisation.name] = organisation
    summary.companies += len(missing)
    people = [
        Person(
            first_name=f"Participant {seat + 1}",
            last_name=forum.city,
            email=f"participant{seat + 1}.{forum.slug}@demo.example",
            organisation=existing[names[seat % len(names)]],
            country=countries[names[seat % len(names)]],
        )
        for seat in range(PARTICIPANTS)
    ]
    people = Person.objects.bulk_create(people)
    summary.people += len(people)
    registrations = Registration.objects.bulk_create(
        Registration(
            forum=forum,
            person=person,
            company=person.organisation,
            status=RegistrationStatus.CONFIRMED,
            source=RegistrationSource.IMPORT,
            category=CATEGORIES[seat % len(CATEGORIES)],
            **registrant_assessment(
                f"participant{seat + 1}.{forum.slug}@demo.example", names[seat % len(names)], day
            ),
        )
        for seat, person in enumerate(people)
    )
    summary.registrations += len(registrations)
    CheckIn.objects.bulk_create(
        CheckIn(
            registration=registration,
            checked_in_at=forum.starts_at,
            nonce=f"demo-{forum.slug}-{registration.pk}",
            source=CheckInSource.IMPORT,
        )
        for registration in registrations
        if rng.random() < ATTENDED_SHARE
    )
