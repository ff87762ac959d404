"""What a secretariat member may do (accounts/permissions.py): a table of the secretariat's pages
× the secretariat's kinds of account, beside the site's tables that hold every role.

- "manager": the group Forum managers (runs forums), not a superuser;
- "reader": the group Report readers (reads reports and results), not a superuser;
- "staff_only": a staff account in no group: staff status alone opens nothing of the site's
  own pages (the admin then shows it nothing either).
Each has its authenticator app and STAFF_REQUIRE_MFA is on. Pages a role may not see answer 404,
as to any other account."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import SecondFactorRequired, can_read_reports, can_run_forums
from feedback.permissions import ResultsAccess, results_access
from forums.enums import ForumStatus
from registrations.models import Registration
from tests.conftest import _user, _with_second_factor
from tests.feedback.results_fixture import build_results_fixture
from tests.matrix_checks import database_state

KINDS = ["manager", "reader", "staff_only"]


def row(name: str, manager: int, reader: int, staff_only: int) -> tuple[str, dict[str, int]]:
    return name, {"manager": manager, "reader": reader, "staff_only": staff_only}


TABLE = [
    # Reports and results: read by both kinds.
    row("overview", 200, 200, 404),
    row("report_pdf", 200, 200, 404),
    row("members", 200, 200, 404),
    row("maturity", 200, 200, 404),
    row("reach", 200, 200, 404),
    # Figures only, no names.
    row("reach_export", 200, 200, 404),
    row("results", 200, 200, 404),
    row("member_area", 200, 200, 403),
    # Personal data, and the pages that run a forum: the forum managers' only.
    row("results_export", 200, 404, 404),
    row("news", 200, 404, 404),
    row("news POST", 200, 404, 404),
    row("draft_forum", 200, 404, 404),
    # The door's pages answer 403 to every account that may not work a door (as in
    # tests/test_permissions_registrations.py).
    row("checkin", 200, 403, 403),
    row("checkin_codes", 200, 403, 403),
    row("checkin_search", 200, 403, 403),
    row("checkin_list", 200, 403, 403),
    row("badge", 200, 403, 403),
    row("walk_in", 200, 403, 403),
    row("pdf_runs", 200, 403, 403),
    # The desk: the forum managers' start page and forum pages.
    row("desk", 200, 404, 404),
    row("desk_forum", 200, 404, 404),
    # The admin: staff status opens its index; each model needs its own permission, which the
    # group Forum managers gives for the apps that run a forum.
    row("admin_index", 200, 200, 200),
    row("admin_registrations", 200, 403, 403),
    # Importing attendance lists runs forums: the import page and its templates.
    row("admin_import", 200, 403, 403),
    row("admin_import POST", 200, 403, 403),
    row("admin_import_template", 200, 403, 403),
    row("admin_questions", 200, 403, 403),
    row("admin_users", 403, 403, 403),
    # Inviting someone changes their account: it needs the permission to change accounts.
    row("admin_user_invite", 403, 403, 403),
    row("admin_user_invite POST", 403, 403, 403),
]


@pytest.fixture
def accounts(db, forum_manager, report_reader):
    return {
        "manager": forum_manager,
        "reader": report_reader,
        "staff_only": _with_second_factor(
            _user("staff-only@forumdesk.example", role=Role.SECRETARIAT, is_staff=True)
        ),
    }


@pytest.fixture
def urls(make_forum, staff_require_mfa, accounts):
    kl = build_results_fixture(make_forum)
    kl.forum.status = ForumStatus.HELD
    kl.forum.save()
    slug = kl.forum.slug
    draft = make_forum(slug="draft-forum", status=ForumStatus.DRAFT)
    ref = Registration.objects.filter(forum=kl.forum).first().checkin_code
    return {
        "overview": reverse("reports:forum_overview", args=[slug]),
        "report_pdf": reverse("reports:forum_report_pdf", args=[slug]),
        "members": reverse("reports:members"),
        "maturity": reverse("reports:maturity", args=[slug]),
        "reach": reverse("reports:reach"),
        "reach_export": reverse("reports:reach_export", args=["csv"]),
        "results": reverse("feedback:results", args=[slug]),
        "member_area": reverse("member_area"),
        "results_export": reverse("feedback:results_export", args=[slug, "csv"]),
        "news": reverse("reports:news", args=[slug]),
        "draft_forum": reverse("forum", args=[draft.slug]),
        "checkin": reverse("attendance:checkin", args=[slug]),
        "checkin_codes": reverse("attendance:checkin_codes", args=[slug]),
        "checkin_search": reverse("attendance:checkin_search", args=[slug]) + "?q=Tan",
        "checkin_list": reverse("attendance:checkin_list", args=[slug]),
        "badge": reverse("attendance:badge", args=[slug, ref]),
        "walk_in": reverse("attendance:walk_in", args=[slug]),
        "pdf_runs": reverse("attendance:pdf_runs", args=[slug]),
        "desk": reverse("desk:start"),
        "desk_forum": reverse("desk:forum", args=[slug]),
        "admin_index": reverse("admin:index"),
        "admin_registrations": reverse("admin:registrations_registration_changelist"),
        "admin_import": reverse("admin:registrations_registration_import"),
        "admin_import_template": reverse(
            "admin:registrations_registration_import_template", args=["xlsx"]
        ),
        "admin_questions": reverse("admin:registrations_registrationquestion_changelist"),
        "admin_users": reverse("admin:accounts_user_changelist"),
        "admin_user_invite": reverse(
            "admin:accounts_user_invite", args=[accounts["staff_only"].pk]
        ),
    }


@pytest.mark.parametrize("name, expected", TABLE, ids=[name for name, _ in TABLE])
def test_secretariat_kinds_table(client, accounts, urls, name, expected):
    url_name, _, method = name.partition(" ")
    before = database_state()
    seen = {}
    for kind in KINDS:
        client.force_login(accounts[kind])
        seen[kind] = getattr(client, (method or "GET").lower())(urls[url_name]).status_code
    assert seen == expected
    assert database_state() == before


def test_report_reader_reads_results_without_names_or_export(report_reader, make_forum, settings):
    kl = build_results_fixture(make_forum)
    assert results_access(report_reader, kl.forum) == ResultsAccess(
        workshop_ids=None, names=False, export=False
    )


def test_forum_manager_reads_results_with_names_and_export(forum_manager, make_forum):
    kl = build_results_fixture(make_forum)
    assert results_access(forum_manager, kl.forum) == ResultsAccess(
        workshop_ids=None, names=True, export=True
    )


@pytest.mark.parametrize(
    "superuser, groups, expected",
    [
        (True, [], (True, True)),
        (False, ["Forum managers"], (True, True)),
        (False, ["Report readers"], (False, True)),
        (False, [], (False, False)),
    ],
)
def test_secretariat_permissions_follow_groups(db, superuser, groups, expected):
    user = _user("desk@forumdesk.example", role=Role.SECRETARIAT, is_staff=True)
    user.is_superuser = superuser
    user.save()
    user.groups.set(Group.objects.filter(name__in=groups))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the instance
    assert (can_run_forums(user), can_read_reports(user)) == expected


@pytest.mark.parametrize("has_app, expected", [(False, "refused"), (True, "allowed")])
def test_staff_permission_asks_for_the_second_factor(forum_manager, settings, has_app, expected):
    settings.STAFF_REQUIRE_MFA = True
    if not has_app:
        forum_manager.authenticator_set.all().delete()
    try:
        outcome = "allowed" if can_run_forums(forum_manager) else "no"
    except SecondFactorRequired:
        outcome = "refused"
    assert outcome == expected


def test_staff_permission_without_the_setting_needs_no_second_factor(forum_manager, settings):
    settings.STAFF_REQUIRE_MFA = False
    forum_manager.authenticator_set.all().delete()
    assert can_run_forums(forum_manager) is True


def test_create_secretariat_account_runs_forums(db, settings):
    from django.core.management import call_command

    settings.STAFF_REQUIRE_MFA = False
    call_command("create_secretariat", "desk@example.org", "--password", "first-password-1")
    user = User.objects.get(email="desk@example.org")
    assert (can_run_forums(user), can_read_reports(user)) == (True, True)
    assert list(user.groups.values_list("name", flat=True)) == ["Forum managers"]
