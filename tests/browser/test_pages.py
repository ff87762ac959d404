"""The pages people use on a phone and at a desk, in Chromium: each is screenshotted at 390 and
1280 pixels wide (var/screenshots/) and must have no serious or critical axe-core violation.
The forum is the dashboards' Kuala Lumpur forum (tests/reports/conftest.py): five registrants,
two checked in at the door, one cancelled."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from attendance.models import DoorHelper, checkin_window
from attendance.services import checkins_record_after_the_day, forum_mark_held
from audit.services import Actor
from registrations.tokens import manage_token
from tests.attendance.conftest import forum_day
from tests.reports.conftest import (  # noqa: F401
    dashboard,
    forum,
    immediate_tasks,
    make_details,
    register,
    workshop,
)


@pytest.fixture
def after_the_day(dashboard, users):  # noqa: F811
    """The clock a day after check-in closed (and running); the forum marked held, and Lim,
    who was not checked in, recorded as there "On the paper list"."""
    with time_machine.travel(checkin_window(dashboard.forum).closes_at + timedelta(days=1)):
        by = Actor.of(users["secretariat"])
        checkins_record_after_the_day(
            forum=dashboard.forum,
            registrations=[dashboard.people["Lim"]],
            reason="On the paper list",
            by=by,
        )
        forum_mark_held(forum=dashboard.forum, by=by)
        yield dashboard


def text(page, selector):
    return " ".join(page.locator(selector).inner_text().split())


def test_public_forum_page_and_registration_form(page, dashboard, shoot, axe):  # noqa: F811
    page.goto(reverse("forum", args=[dashboard.forum.slug]))
    assert text(page, "h1") == "Responsible Sourcing Forum Kuala Lumpur"
    shoot(page, "forum")
    axe(page)

    page.goto(reverse("registrations:register", args=[dashboard.forum.slug]))
    assert page.locator("form input[name=email]").count() == 1
    shoot(page, "register")
    axe(page)


def test_registrants_manage_page(page, dashboard, shoot, axe):  # noqa: F811
    page.goto(reverse("registrations:manage", args=[manage_token(dashboard.people["Siti"])]))
    assert text(page, "h1") == "Registration of Siti Tester"
    shoot(page, "manage")
    axe(page)


def test_checkin_page_for_a_door_helper_on_the_day(page, dashboard, users, log_in, shoot, axe):  # noqa: F811
    helper = users["door_helper"]
    DoorHelper.objects.create(user=helper, forum=dashboard.forum)
    with time_machine.travel(forum_day(dashboard.forum), tick=True):
        log_in(helper)
        page.goto(reverse("attendance:checkin", args=[dashboard.forum.slug]))
        # Checked in: Siti and Somchai; registered: the four who did not cancel.
        assert (text(page, "#count-checked-in"), text(page, "#count-registered")) == ("2", "4")
        page.locator("#checkin-query").fill("Lim")
        page.locator("#checkin-results li").first.wait_for()
        assert page.locator("#checkin-results li").count() == 1
        shoot(page, "checkin")
        axe(page)


def test_after_the_day_page_for_the_secretariat(page, after_the_day, users, log_in, shoot, axe):
    log_in(users["secretariat"])
    page.goto(reverse("attendance:after_the_day", args=[after_the_day.forum.slug]))
    assert text(page, "h1") == "Record attendance after the day"
    assert text(page, "#recorded tbody td.reason") == "On the paper list"
    shoot(page, "after-the-day")
    axe(page)


def test_forum_overview_of_a_held_forum(page, after_the_day, users, log_in, shoot, axe):
    log_in(users["secretariat"])
    page.goto(reverse("reports:forum_overview", args=[after_the_day.forum.slug]))
    # Siti and Somchai at the door, Lim recorded after the day; Aminah cancelled.
    figures = [text(page, f'[data-figure="{name}"]') for name in ("registered", "checked_in")]
    assert figures == ["4", "3"]
    shoot(page, "forum-overview")
    axe(page)


def test_reach_page(page, after_the_day, users, log_in, shoot, axe):
    log_in(users["secretariat"])
    page.goto(reverse("reports:reach"))
    # Siti (Acme Packaging), Somchai (Thai Mill) and Lim (Sawit Jaya), at one forum.
    names = ("forums", "companies", "people")
    assert [text(page, f'[data-figure="total:{name}"]') for name in names] == ["1", "3", "3"]
    shoot(page, "reach")
    axe(page)
