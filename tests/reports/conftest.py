"""Fixtures for the dashboards: the registration fixtures' forum (workshops A1, A2, B1, B2 in
Kuala Lumpur), with hand-counted registrations by two sponsors.

| who     | country | company (kind)           | invited by | workshops     | came        | shares |
|---------|---------|--------------------------|------------|---------------|-------------|--------|
| Siti    | MY      | Acme Packaging (supplier)| Unilever   | A1, B2        | door and A1 | yes    |
| Budi    | ID      | Kilang Maju (NGO)        | Unilever   | A1, B2 (wait) | no          | no     |
| Somchai | TH      | Thai Mill (supplier)     | Mars       | A2            | door        | yes    |
| Aminah  | MY      | Acme Packaging (supplier)| —          | cancelled     | no          | no     |
| Lim     | MY      | Sawit Jaya (supplier)    | —          | B1            | no          | no     |

B2 has one seat. Registered on (days in Kuala Lumpur): Siti and Budi 10 Jan 2036; Somchai
11 Jan (at 01:30 there, still the 10th in UTC); Aminah and Lim 12 Jan."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from forums.enums import OrganisationKind
from forums.models import Sponsorship
from registrations.models import Registration
from tests.feedback.conftest import check_in
from tests.registrations.conftest import (  # noqa: F401
    forum,
    immediate_tasks,
    make_details,
    register,
    workshop,
)


@dataclass
class Dashboard:
    forum: object
    unilever: Sponsorship
    mars: Sponsorship
    people: dict[str, Registration]


ROWS = [
    # name, e-mail, country, company, invited by, workshops, door, at workshop, shares, registered
    (
        "Siti",
        "siti@acme.example",
        "MY",
        "Acme Packaging",
        "unilever",
        ["A1", "B2"],
        True,
        ["A1"],
        True,
        (2036, 1, 10, 3),
    ),
    (
        "Budi",
        "budi@kilang.example",
        "ID",
        "Kilang Maju",
        "unilever",
        ["A1", "B2"],
        False,
        [],
        False,
        (2036, 1, 10, 4),
    ),
    (
        "Somchai",
        "som@thaimill.example",
        "TH",
        "Thai Mill",
        "mars",
        ["A2"],
        True,
        [],
        True,
        (2036, 1, 10, 17, 30),
    ),
    (
        "Aminah",
        "aminah@acme.example",
        "MY",
        "Acme Packaging",
        None,
        [],
        False,
        [],
        False,
        (2036, 1, 12, 2),
    ),
    (
        "Lim",
        "lim@sawit.example",
        "MY",
        "Sawit Jaya",
        None,
        ["B1"],
        False,
        [],
        False,
        (2036, 1, 12, 5),
    ),
]


@pytest.fixture
def dashboard(forum, register, workshop, sponsor, users):  # noqa: F811
    workshop("B2").__class__.objects.filter(pk=workshop("B2").pk).update(seat_limit=1)
    sponsorships = {
        "unilever": sponsor(forum, users["member"].organisation),
        "mars": sponsor(forum, users["other_member"].organisation),
    }
    people = {}
    for name, email, country, company, by, codes, door, at, shares, when in ROWS:
        registration = register(
            forum,
            email=email,
            first_name=name,
            last_name="Tester",
            country=country,
            company_name=company,
            workshops=[workshop(code) for code in codes],
            invited_by=sponsorships[by] if by else None,
        ).registration
        Registration.objects.filter(pk=registration.pk).update(
            share_with_sponsors=shares, created_at=datetime(*when, tzinfo=UTC)
        )
        if door:
            check_in(registration)
        for code in at:
            check_in(registration, workshop(code))
        people[name] = registration
    people["Budi"].company.__class__.objects.filter(pk=people["Budi"].company_id).update(
        kind=OrganisationKind.NGO
    )
    from audit.services import Actor
    from registrations import services

    services.registration_cancel(registration=people["Aminah"], by=Actor.of(users["secretariat"]))
    return Dashboard(
        forum=forum, unilever=sponsorships["unilever"], mars=sponsorships["mars"], people=people
    )
