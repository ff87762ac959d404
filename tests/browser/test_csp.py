"""The pages with the most script work under the site's Content-Security-Policy: Chromium
reports no violation (neither as a `securitypolicyviolation` event nor on the console) while
they load and are used. The forum is the dashboards' Kuala Lumpur forum."""

import pytest
import time_machine
from django.urls import reverse

from attendance.models import DoorHelper
from tests.attendance.conftest import forum_day
from tests.browser.test_pages import text
from tests.reports.conftest import (  # noqa: F401
    dashboard,
    forum,
    immediate_tasks,
    make_details,
    register,
    workshop,
)

# Runs before any script of each page (the browser injects it; the policy does not apply).
LISTEN = """
if (!window.__cspViolations) {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", function (event) {
    window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
  }, true);
}
"""


@pytest.fixture
def violations(page):
    """`violations()`: what the policy refused on the current page, as events and as console
    messages, since the test began."""
    console = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            console.append(message.text)

    page.add_init_script(LISTEN)
    page.on("console", on_console)
    yield lambda: page.evaluate("window.__cspViolations || []") + console
    page.remove_listener("console", on_console)


def test_checkin_page_works_under_the_policy(page, violations, dashboard, users, log_in):  # noqa: F811
    DoorHelper.objects.create(user=users["door_helper"], forum=dashboard.forum)
    with time_machine.travel(forum_day(dashboard.forum), tick=True):
        log_in(users["door_helper"])
        page.goto(reverse("attendance:checkin", args=[dashboard.forum.slug]))
        # Its script ran: it read its JSON configuration and counted.
        assert (text(page, "#count-checked-in"), text(page, "#count-registered")) == ("2", "4")
        page.locator("#checkin-query").fill("Lim")
        page.locator("#checkin-results li").first.wait_for()
        assert violations() == []


def test_desk_forum_page_works_under_the_policy(page, violations, dashboard, users, log_in):  # noqa: F811
    log_in(users["secretariat"])
    page.goto(reverse("desk:forum", args=[dashboard.forum.slug]))
    assert text(page, '[aria-current="step"] span:first-child') == "Registration open"
    assert violations() == []


def test_registration_form_works_under_the_policy(page, violations, dashboard):  # noqa: F811
    page.goto(reverse("registrations:register", args=[dashboard.forum.slug]))
    # The country filter's script ran: it put its search box above the list.
    assert page.locator("input.country-filter").count() == 1
    assert violations() == []


def test_admin_change_page_works_under_the_policy(page, violations, dashboard, users, log_in):  # noqa: F811
    log_in(users["secretariat"])
    page.goto(reverse("admin:forums_forum_change", args=[dashboard.forum.pk]))
    assert page.locator("#forum_form").count() == 1
    assert violations() == []


def test_an_inline_script_is_refused_and_reported(page, violations, dashboard):  # noqa: F811
    # The negative control: the listening sees a violation when there is one.
    page.goto(reverse("forum", args=[dashboard.forum.slug]))
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran === true") is False
    assert page.evaluate("window.__cspViolations") == ["script-src-elem inline"]


def test_invitation_link_is_selected_on_focus(page, violations, dashboard, users, log_in):  # noqa: F811
    # What the members area's onfocus= did, now from static/forums/select-on-focus.js.
    log_in(users["secretariat"])
    page.goto(reverse("member_area"))
    link = page.locator("input[data-select-on-focus]").first
    link.focus()
    selected = link.evaluate("input => input.value.slice(input.selectionStart, input.selectionEnd)")
    assert selected == link.input_value()
    assert selected.startswith("http")
    assert violations() == []
