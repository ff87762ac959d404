"""The admin's index and navigation, in sections by what the secretariat does."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.admin_site import SECTIONS
from tests.html_forms import links


def sections(client) -> list[tuple[str, list[str]]]:
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    return [
        (str(app["name"]), [str(model["name"]) for model in app["models"]])
        for app in page.context["app_list"]
    ]


def test_admin_index_sections_for_a_superuser(client, users):
    client.force_login(users["secretariat"])

    assert sections(client) == [
        (
            "Forums",
            [
                "Forums",
                "Workshops",
                "Registrations",
                "Registration questions",
                "Check ins",
                "Door helpers",
                "Surveys",
            ],
        ),
        (
            "Organisations and people",
            [
                "Organisations",
                "Memberships",
                "People",
                "Users",
                "Email addresses",
                "Possible duplicates",
                "Company merges",
            ],
        ),
        ("Reports", ["Reach", "Members' forums"]),
        (
            "Settings",
            [
                "Branding",
                "Outgoing emails",
                "Audit entries",
                "Task Results",
                "Groups",
                "Authenticators",
            ],
        ),
    ]


def test_admin_index_sections_for_a_forum_manager(client, forum_manager):
    # Groups, authenticators and task results are for superusers, even when a forum manager
    # has been given the permission to see them.
    forum_manager.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_group", "view_authenticator", "view_dbtaskresult"]
        )
    )
    client.force_login(forum_manager)

    # The outbox and the audit log are read-only for a forum manager; users and e-mail
    # addresses are not theirs.
    assert sections(client) == [
        (
            "Forums",
            [
                "Forums",
                "Workshops",
                "Registrations",
                "Registration questions",
                "Check ins",
                "Door helpers",
                "Surveys",
            ],
        ),
        (
            "Organisations and people",
            ["Organisations", "Memberships", "People", "Possible duplicates", "Company merges"],
        ),
        ("Reports", ["Reach", "Members' forums"]),
        ("Settings", ["Branding", "Outgoing emails", "Audit entries"]),
    ]


def test_admin_index_report_reader_sees_only_reports(client, report_reader):
    client.force_login(report_reader)

    assert sections(client) == [("Reports", ["Reach", "Members' forums"])]


def test_admin_index_report_links_and_forum_desk_link(client, users):
    client.force_login(users["secretariat"])
    page = client.get(reverse("admin:index"))

    by_text = {link["text"]: link["href"] for link in links(page)}
    assert by_text["Reach"] == "/reports/reach/"
    assert by_text["Members' forums"] == "/reports/members/"
    assert by_text["Forum desk"] == "/desk/"


def test_admin_navigation_on_a_model_page_has_the_same_sections(client, users):
    client.force_login(users["secretariat"])
    page = client.get(reverse("admin:forums_forum_changelist"))

    assert [str(app["name"]) for app in page.context["available_apps"]] == [
        "Forums",
        "Organisations and people",
        "Reports",
        "Settings",
    ]


def test_admin_app_page_stays_the_apps_own(client, users):
    client.force_login(users["secretariat"])
    page = client.get(reverse("admin:app_list", args=["companies"]))

    assert [
        (str(app["name"]), [str(model["name"]) for model in app["models"]])
        for app in page.context["app_list"]
    ] == [("Companies", ["Company merges", "Possible duplicates"])]


def test_admin_sections_place_every_registered_model_once():
    registered = {f"{m._meta.app_label}.{m._meta.object_name}" for m in admin.site._registry}
    placed = [name for section in SECTIONS for name in section.models]

    assert sorted(placed) == sorted(registered)
    assert len({str(section.name) for section in SECTIONS}) == len(SECTIONS)


@pytest.mark.parametrize("language", ["es"])
def test_admin_index_section_names_in_spanish(client, users, language):
    client.force_login(users["secretariat"])
    client.cookies["django_language"] = language

    assert [name for name, _models in sections(client)] == [
        "Foros",
        "Organizaciones y personas",
        "Informes",
        "Configuración",
    ]


def test_admin_index_staff_without_reports_permission_has_no_reports_section(client, make_user):
    staff = make_user("clerk@forumdesk.example", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_forum"))
    client.force_login(staff)

    assert sections(client) == [("Forums", ["Forums"])]
