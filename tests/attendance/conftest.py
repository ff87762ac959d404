"""Fixtures for check-in: the registration fixtures (a forum with four workshops, `register`),
a door helper for a forum, and a JSON poster for the check-in endpoint."""

import itertools
import json

import pytest
from django.urls import reverse

from accounts.models import User
from attendance.models import DoorHelper
from tests.registrations.conftest import (  # noqa: F401
    forum,
    immediate_tasks,
    make_details,
    register,
    workshop,
)


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
