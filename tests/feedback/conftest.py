"""Fixtures for feedback: the registration fixtures (a forum with four workshops, `register`),
check-ins, and a survey of the forum."""

import itertools

import pytest
from django.utils import timezone

from attendance.models import CheckIn
from audit.services import Actor
from feedback import services
from forums.models import Person
from tests.registrations.conftest import (  # noqa: F401
    forum,
    immediate_tasks,
    make_details,
    register,
    workshop,
)

_nonces = itertools.count(1)


def check_in(registration, at=None, undone=False):
    return CheckIn.objects.create(
        registration=registration,
        workshop=at,
        checked_in_at=timezone.now(),
        nonce=f"nonce-{next(_nonces)}",
        source="scan",
        undone_at=timezone.now() if undone else None,
    )


@pytest.fixture
def staff(secretariat_user):
    return Actor.of(secretariat_user)


@pytest.fixture
def survey(forum, staff):  # noqa: F811
    return services.survey_create(forum=forum, by=staff)


@pytest.fixture
def facilitators(workshop):  # noqa: F811
    """Lara White leads A1; Patrick McKeller and Khai Chua lead B1."""
    lara = Person.objects.create(first_name="Lara", last_name="White")
    patrick = Person.objects.create(first_name="Patrick", last_name="McKeller")
    khai = Person.objects.create(first_name="Khai", last_name="Chua")
    workshop("A1").facilitators.add(lara)
    workshop("B1").facilitators.add(patrick, khai)
    return {"lara": lara, "patrick": patrick, "khai": khai}


@pytest.fixture
def attendee(forum, register, workshop, facilitators):  # noqa: F811
    """Someone registered for A1 and B1 and checked in at the door and at both."""

    def make(email=None, language="en", workshops=("A1", "B1")):
        registration = register(
            forum, email=email, workshops=[workshop(c) for c in workshops], language=language
        ).registration
        check_in(registration)
        for code in workshops:
            check_in(registration, workshop(code))
        return registration

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call and let its after-commit work happen (background tasks, e-mails)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
