"""The forum desk in Chromium, at a phone's size and a desktop's: the start page, a forum's page,
a registrant's page, and the survey's confirmation. Screenshots in var/screenshots/desk-*.png;
no serious or critical axe-core violation."""

from django.urls import reverse

from tests.browser.test_pages import after_the_day, text  # noqa: F401
from tests.reports.conftest import (  # noqa: F401
    dashboard,
    forum,
    immediate_tasks,
    make_details,
    register,
    workshop,
)


def test_desk_start_page(page, dashboard, users, log_in, shoot, axe):  # noqa: F811
    log_in(users["secretariat"])
    page.goto(reverse("desk:start"))
    assert text(page, "h1") == "Forum desk"
    assert text(page, ".desk-forums h3") == "Responsible Sourcing Forum Kuala Lumpur"
    shoot(page, "desk-start")
    axe(page)


def test_desk_forum_page(page, dashboard, users, log_in, shoot, axe):  # noqa: F811
    log_in(users["secretariat"])
    page.goto(reverse("desk:forum", args=[dashboard.forum.slug]))
    assert text(page, '[aria-current="step"] span:first-child') == "Registration open"
    shoot(page, "desk-forum")
    axe(page)


def test_desk_registration_page(page, dashboard, users, log_in, shoot, axe):  # noqa: F811
    log_in(users["secretariat"])
    page.goto(reverse("desk:registration", args=[dashboard.people["Siti"].pk]))
    assert text(page, "h1") == "Siti Tester"
    shoot(page, "desk-registration")
    axe(page)


def test_desk_survey_confirmation(page, after_the_day, users, log_in, shoot, axe):  # noqa: F811
    log_in(users["secretariat"])
    page.goto(reverse("desk:survey_action", args=[after_the_day.forum.slug, "create"]))
    assert text(page, "h1") == "Create the survey"
    shoot(page, "desk-survey-create")
    axe(page)
