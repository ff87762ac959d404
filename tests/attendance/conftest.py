"""Fixtures for check-in: the registration fixtures (a forum with four workshops, `register`),
a door helper for a forum, a JSON poster for the check-in endpoint, and the clock moved to the
forum's day (check-in is open on the forum's day only: attendance.models.checkin_window)."""

import itertools
import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from attendance.models import DoorHelper
from tests.registrations.conftest import (  # noqa: F401
    forum,
    immediate_tasks,
    make_details,
    workshop,
)
from tests.registrations.conftest import register as register_now  # noqa: F401


@pytest.fixture
def register(register_now):  # noqa: F811
    """The registration fixtures' `register`; with the clock moved to a forum's day (when its
    registration has closed), registering as two days before it, while it was open."""

    def run(forum, *args, now=None, **kwargs):  # noqa: F811
        if now is None and timezone.now() >= forum.registration_closes_at:
            now = forum.starts_at - timedelta(days=2)
        return register_now(forum, *args, now=now, **kwargs)

    return run


def forum_day(at_forum, hour=10):
    """`hour` o'clock on `at_forum`'s day, in its zone."""
    return at_forum.starts_at.astimezone(at_forum.zone).replace(hour=hour, minute=0)


@pytest.fixture
def on_the_day(forum):  # noqa: F811
    """The clock at 10:00 on the forum's day in Kuala Lumpur, and running: check-in is open."""
    with time_machine.travel(forum_day(forum), tick=True):
        yield


@pytest.fixture
def secretariat(db):
    return User.objects.create_user(
        email="desk@forumdesk.example", password="x", is_staff=True, is_superuser=True
    )


@pytest.fixture
def door_helper(forum):  # noqa: F811
    user = User.objects.create_user(email="door@forumdesk.example", password="x")
    DoorHelper.objects.create(user=user, forum=forum)
    return user


@pytest.fixture
def nonces():
    counter = itertools.count(1)
    return lambda: f"nonce-{next(counter)}"


@pytest.fixture
def post_checkin(client):
    def post(at_forum, body):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return client.post(
            reverse("attendance:checkin_api", args=[at_forum.slug]),
            data=data,
            content_type="application/json",
        )

    return post
