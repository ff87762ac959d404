"""A small history with figures counted by hand.

Forums (all held unless said):
- gurgaon: 2016-09-26, IN, theme "Tea"
- kl: 2017-10-24, MY, theme "Palm oil"
- mexico: 2017-11-14, MX, theme "Sugar"
- future: 2018-03-01, MY, registration open (not held: never counts)

Companies: Kilang (MY), Tata (IN), Ingenio (MX), Dup (a duplicate record of Kilang).
People and where they came (door check-in), "no-show" = registered, no check-in:
- siti (Kilang): gurgaon, kl                  category supplier at kl
- ahmad (Dup): kl                             category grower
- raj (Tata): gurgaon; no-show at kl
- ana (Ingenio): mexico, invited by Nestlé    category ngo; workshop (environment)
- undone (Tata): kl, check-in undone          → not reached
- future person (Kilang): checked in at "future" (not held)

By hand, today: forums 3; people siti, ahmad, raj, ana = 4; companies Kilang, Dup, Tata,
Ingenio = 4 (3 once Dup is merged into Kilang); countries IN, MY, MX = 3.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from forums.enums import ForumStatus, OrganisationKind
from forums.models import Forum, Organisation, Person
from registrations.models import Registration
from workshops.models import Workshop


def attend(registration, *, workshop=None, undone=False):
    return CheckIn.objects.create(
        registration=registration,
        workshop=workshop,
        checked_in_at=registration.forum.starts_at,
        nonce=f"door-{registration.pk}-{workshop.pk if workshop else 0}",
        source=CheckInSource.IMPORT,
        undone_at=registration.forum.starts_at + timedelta(minutes=5) if undone else None,
    )


@pytest.fixture
def history(make_forum, sponsor, make_member):
    held = ForumStatus.HELD
    forums = {
        "gurgaon": make_forum(
            slug="gurgaon",
            day=date(2016, 9, 26),
            country="IN",
            theme="Tea",
            status=held,
            zone="Asia/Kolkata",
        ),
        "kl": make_forum(slug="kl", day=date(2017, 10, 24), status=ForumStatus.ARCHIVED),
        "mexico": make_forum(
            slug="mexico",
            day=date(2017, 11, 14),
            country="MX",
            theme="Sugar",
            status=held,
            zone="America/Mexico_City",
        ),
        "future": make_forum(slug="future", day=date(2030, 3, 1)),
    }
    nestle = sponsor(forums["mexico"], make_member(name="Nestlé"))

    def company(name, country):
        return Organisation.objects.create(
            name=name, kind=OrganisationKind.SUPPLIER, country=country
        )

    companies = {
        "kilang": company("Kilang Sawit Maju", "MY"),
        "tata": company("Tata Tea", "IN"),
        "ingenio": company("Ingenio San Antonio", "MX"),
        "dup": company("KILANG SAWIT MAJU SDN BHD", "MY"),
    }
    people = {
        name: Person.objects.create(first_name=name, email=f"{name}@example.com")
        for name in ["siti", "ahmad", "raj", "ana", "undone", "later"]
    }

    def register(person, forum, company, **kw):
        return Registration.objects.create(
            forum=forums[forum], person=people[person], company=companies[company], **kw
        )

    attend(register("siti", "gurgaon", "kilang"))
    attend(register("siti", "kl", "kilang", category="supplier"))
    attend(register("ahmad", "kl", "dup", category="grower"))
    attend(register("raj", "gurgaon", "tata"))
    register("raj", "kl", "tata")
    workshop = Workshop.objects.create(
        forum=forums["mexico"],
        code="B1",
        title="Shade",
        pillar="environment",
        starts_at=forums["mexico"].starts_at + timedelta(hours=4),
        ends_at=forums["mexico"].starts_at + timedelta(hours=6),
        seat_limit=40,
    )
    ana = register("ana", "mexico", "ingenio", category="ngo", invited_by=nestle)
    attend(ana)
    attend(ana, workshop=workshop)
    attend(register("undone", "kl", "tata"), undone=True)
    attend(register("later", "future", "kilang"))
    return forums, companies, people


def more_history(n):
    """n more held forums, each with two companies reached, one of whom a returning one."""
    returning = Organisation.objects.create(name="Returning Ltd", kind="supplier")
    for i in range(n):
        forum = Forum.objects.create(
            title=f"Extra {i}",
            slug=f"extra-{i}",
            city="Lima",
            country="PE",
            time_zone="America/Lima",
            starts_at=_day(i),
            ends_at=_day(i) + timedelta(hours=8),
            capacity=50,
            status=ForumStatus.HELD,
        )
        for company in [returning, Organisation.objects.create(name=f"New {i}", kind="supplier")]:
            person = Person.objects.create(first_name=f"P{i}{company.pk}")
            attend(Registration.objects.create(forum=forum, person=person, company=company))


def _day(i):
    return datetime(2015, 1, 1 + i, 14, tzinfo=UTC)
