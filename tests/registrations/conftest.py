"""Fixtures for workshops and registration: an open forum with two time slots of two workshops,
registrant details, and background tasks that run at once (so e-mails land in mail.outbox)."""

import itertools
import zoneinfo
from datetime import date, timedelta

import pytest
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend

from registrations import services
from workshops.models import Workshop

KL = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
# A Tuesday, far enough ahead that registration is open whenever the tests run.
FORUM_DAY = date(2036, 3, 11)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run background tasks inside the call that enqueues them.

    django_tasks keeps its backends in `task_backends`; its `setting_changed` receiver
    (django_tasks/signals.py) rebuilds them when TASKS changes, which the `settings` fixture
    triggers. Checked here, so a test can never fall back to the database queue silently."""
    settings.TASKS = IMMEDIATE_TASKS
    assert isinstance(task_backends["default"], ImmediateBackend)
    yield
    # `settings` restores TASKS after this fixture; its receiver then rebuilds the backends.


@pytest.fixture
def forum(make_forum):
    """Open for registration, 100 seats; slot 1 (11:00–12:30) holds A1 and A2, slot 2
    (14:00–15:30) holds B1 and B2, 20 seats each; times in Kuala Lumpur."""
    forum = make_forum(
        title="Responsible Sourcing Forum Kuala Lumpur",
        slug="kl-2036",
        day=FORUM_DAY,
        zone="Asia/Kuala_Lumpur",
        venue="Hotel Istana",
        capacity=100,
    )
    add_workshops(forum)
    return forum


def add_workshops(forum, seat_limit=20):
    day = forum.starts_at.astimezone(forum.zone)
    specs = [
        ("A1", "Migrant labour", "human_rights", 11),
        ("A2", "Health and safety on site", "health_safety", 11),
        ("B1", "Water stewardship", "environment", 14),
        ("B2", "Anti-bribery", "business_integrity", 14),
    ]
    for code, title, pillar, hour in specs:
        starts = day.replace(hour=hour, minute=0)
        Workshop.objects.create(
            forum=forum,
            code=code,
            title=title,
            pillar=pillar,
            room=f"Room {code}",
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            seat_limit=seat_limit,
        )


@pytest.fixture
def workshop(forum):
    """The forum's workshops by code: workshop("A1")."""

    def get(code):
        return Workshop.objects.get(forum=forum, code=code)

    return get


@pytest.fixture
def make_details():
    """RegistrantDetails with distinct names and e-mail addresses unless given."""
    counter = itertools.count(1)

    def make(email=None, **overrides):
        number = next(counter)
        values = {
            "first_name": f"Siti{number}",
            "last_name": "Rahman",
            "email": email or f"person{number}@supplier.example",
            "company_name": "Acme Packaging Sdn Bhd",
            "country": "MY",
            "job_title": "Sustainability manager",
            **overrides,
        }
        return services.RegistrantDetails(**values)

    return make


@pytest.fixture
def register(make_details):
    """Register someone with the services, as someone who has proved they read the address
    (a confirmation link, or a verified account), unless `proven=False`; returns the Outcome."""

    def run(forum, email=None, workshops=(), now=None, invited_by=None, proven=True, **details):
        return services.registration_create(
            forum=forum,
            details=make_details(email, **details),
            workshops=list(workshops),
            invited_by=invited_by,
            proven=proven,
            now=now,
        )

    return run
