"""Every page × every role → the status it must answer. New pages add rows here."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.services import Actor, audit_record
from forums.enums import ForumStatus
from forums.models import Branding, Forum
from tests.matrix import assert_statuses, row, split
from tests.matrix_checks import (
    database_state,
    in_site_table,
    project_url_names,
    rows_missing,
    url_names_of,
)

MATRIX = [
    # For a load balancer: answers "ok" without touching the database.
    row("healthz", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("healthz POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("home", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("home POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("calendar_feed", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("calendar_feed POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("forum_public", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("forum_public POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("forum_public_ics", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("forum_public_ics POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("forum_draft", 404, 404, 404, 404, 404, 404, 404, 200, 302),
    row("forum_draft POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("forum_draft_ics", 404, 404, 404, 404, 404, 404, 404, 200, 302),
    row("forum_draft_ics POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("member_area", 302, 403, 403, 403, 200, 200, 403, 200, 302),
    row("member_area POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Without a language it sends the browser home and sets nothing.
    row("set_language", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("set_language POST", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    # An invitation link, for anyone who has it: the token goes into the session and the browser
    # on to the page without it, which refuses a link it cannot use (here a made-up one) with
    # 400, and a session that opened no link too.
    row("invitation", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("invitation POST", 405, 405, 405, 405, 405, 405, 405, 405, 405),
    row("invitation_accept", 400, 400, 400, 400, 400, 400, 400, 400, 400),
    row("invitation_accept POST", 400, 400, 400, 400, 400, 400, 400, 400, 400),
    # Django's admin sends everyone who is not staff to its login page, which answers 403 to a
    # logged-in non-staff user (test below). Its pages that only show something (index, lists,
    # history) answer a POST as they answer a GET; on a list a POST is how actions are sent, and
    # without an action and a selection it changes nothing.
    row("admin_index", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_index POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_app_list", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_app_list POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # Anonymous people go to allauth's login; staff already logged in go on to the admin, and an
    # empty login form comes back with its errors.
    row("admin_login", 302, 403, 403, 403, 403, 403, 403, 302, 302),
    row("admin_login POST", 302, 403, 403, 403, 403, 403, 403, 200, 302),
    # Logging out is a POST without data (Django 5); a GET is refused.
    row("admin_logout", 302, 302, 302, 302, 302, 302, 302, 405, 302),
    row("admin_logout POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_password_change", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_password_change POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_password_change_done", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_password_change_done POST", 302, 302, 302, 302, 302, 302, 302, 405, 302),
    row("admin_autocomplete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_autocomplete POST", 302, 302, 302, 302, 302, 302, 302, 405, 302),
    row("admin_jsi18n", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_jsi18n POST", 302, 302, 302, 302, 302, 302, 302, 405, 302),
    row("admin_view_on_site", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("admin_view_on_site POST", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("admin_unknown_page", 302, 302, 302, 302, 302, 302, 302, 404, 302),
    row("admin_unknown_page POST", 302, 302, 302, 302, 302, 302, 302, 404, 302),
    # A change or add form posted empty comes back with its errors; a delete page posted
    # without its confirmation asks again.
    row("admin_forums", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forums POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forum", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forum POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forum_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forum_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forum_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forum_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forum_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_forum_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisations", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisations POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisation", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisation POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisation_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisation_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisation_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisation_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisation_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_organisation_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_memberships", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_memberships POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_membership", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_membership POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_membership_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_membership_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_membership_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_membership_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_membership_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_membership_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_people", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_people POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_person", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_person POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_person_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_person_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_person_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_person_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_person_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_person_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_users", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_users POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # Sending invitations asks first: a POST without its confirmation shows that page again.
    row("admin_user_invite", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_invite POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_password", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_user_password POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # The audit log is a record: it can be read, never added to, changed or deleted by hand.
    row("admin_audit_entries", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_audit_entries POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_audit_entry", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_audit_entry POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_audit_entry_add", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_audit_entry_add POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_audit_entry_delete", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_audit_entry_delete POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_audit_entry_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_audit_entry_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # What Django, allauth and django-tasks register themselves.
    row("admin_groups", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_groups POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_group", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_group POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # The one branding row: its list opens it; it is neither added nor deleted.
    row("admin_brandings", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("admin_brandings POST", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    row("admin_branding", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # Without its Save button, a POST shows the form again and saves nothing.
    row("admin_branding POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_branding_add", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_branding_add POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_branding_delete", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_branding_delete POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_branding_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_branding_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_group_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_group_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_group_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_group_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_group_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_group_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_addresses", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_addresses POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_address", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_address POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_address_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_address_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_address_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_address_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_address_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_email_address_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticators", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticators POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticator", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticator POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticator_add", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticator_add POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticator_delete", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticator_delete POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticator_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_authenticator_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    # Task results can be looked at, not written.
    row("admin_task_results", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_task_results POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_task_result", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_task_result POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_task_result_add", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_task_result_add POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_task_result_delete", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_task_result_delete POST", 302, 302, 302, 302, 302, 302, 302, 403, 302),
    row("admin_task_result_history", 302, 302, 302, 302, 302, 302, 302, 200, 302),
    row("admin_task_result_history POST", 302, 302, 302, 302, 302, 302, 302, 200, 302),
]


def admin_urls(key: str, model: str, obj, plural: str = "") -> dict[str, str]:
    """A model admin's list, add, change, delete and history pages."""
    return {
        f"admin_{plural or key + 's'}": reverse(f"admin:{model}_changelist"),
        f"admin_{key}_add": reverse(f"admin:{model}_add"),
        f"admin_{key}": reverse(f"admin:{model}_change", args=[obj.pk]),
        f"admin_{key}_delete": reverse(f"admin:{model}_delete", args=[obj.pk]),
        f"admin_{key}_history": reverse(f"admin:{model}_history", args=[obj.pk]),
    }


@pytest.fixture
def urls(make_forum, sponsor, users, make_person):
    public = make_forum(slug="public-forum")
    sponsor(public, users["member"].organisation)
    draft = make_forum(slug="draft-forum", status=ForumStatus.DRAFT)
    person = make_person()
    task_result = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="outbox.tasks.send_email",
        backend_name="default",
        enqueued_at=timezone.now(),
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    authenticator = Authenticator.objects.create(
        user=users["secretariat"], type=Authenticator.Type.RECOVERY_CODES, data={}
    )
    return {
        "healthz": reverse("healthz"),
        "home": reverse("home"),
        "calendar_feed": reverse("calendar_feed"),
        "forum_public": reverse("forum", args=[public.slug]),
        "forum_public_ics": reverse("forums:calendar", args=[public.slug]),
        "forum_draft": reverse("forum", args=[draft.slug]),
        "forum_draft_ics": reverse("forums:calendar", args=[draft.slug]),
        "member_area": reverse("member_area"),
        "set_language": reverse("set_language"),
        "admin_index": reverse("admin:index"),
        "admin_app_list": reverse("admin:app_list", args=["forums"]),
        "admin_login": reverse("admin:login"),
        "admin_logout": reverse("admin:logout"),
        "admin_password_change": reverse("admin:password_change"),
        "admin_password_change_done": reverse("admin:password_change_done"),
        "admin_autocomplete": reverse("admin:autocomplete")
        + "?app_label=registrations&model_name=registration&field_name=company&term=Un",
        "admin_jsi18n": reverse("admin:jsi18n"),
        "admin_view_on_site": reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(Forum).pk, public.pk]
        ),
        "admin_unknown_page": "/admin/no-such-page/",
        **admin_urls("forum", "forums_forum", public),
        **admin_urls("organisation", "forums_organisation", users["member"].organisation),
        **admin_urls(
            "membership", "forums_membership", users["member"].organisation.memberships.get()
        ),
        **admin_urls("person", "forums_person", person, plural="people"),
        **admin_urls(
            "audit_entry",
            "audit_auditentry",
            audit_record(by=Actor.system(), action="forum.capacity_changed", subject=public),
            plural="audit_entries",
        ),
        **admin_urls("user", "accounts_user", users["supplier"]),
        "invitation": reverse("accounts:invitation", args=["A" * 43]),
        "invitation_accept": reverse("accounts:invitation_accept"),
        "admin_user_invite": reverse("admin:accounts_user_invite", args=[users["supplier"].pk]),
        "admin_user_password": reverse(
            "admin:auth_user_password_change", args=[users["supplier"].pk]
        ),
        **admin_urls("group", "auth_group", Group.objects.create(name="Door helpers")),
        **admin_urls(
            "branding",
            "forums_branding",
            Branding.objects.get_or_create(pk=Branding.SINGLETON_PK)[0],
        ),
        **admin_urls(
            "email_address",
            "account_emailaddress",
            EmailAddress.objects.get(email="supplier@example.com"),
            plural="email_addresses",
        ),
        **admin_urls("authenticator", "mfa_authenticator", authenticator),
        **admin_urls("task_result", "django_tasks_database_dbtaskresult", task_result),
    }


def test_every_url_has_get_and_post_rows(urls):
    project = {name for name in project_url_names() if in_site_table(name)}
    assert sorted(project - url_names_of(urls)) == []
    assert rows_missing(MATRIX, urls) == []


@pytest.mark.parametrize("name, expected", MATRIX, ids=[name for name, _ in MATRIX])
def test_permission_matrix(client, roles, urls, name, expected):
    url_name, method = split(name)
    before = database_state()
    assert_statuses(client, roles, urls[url_name], expected, method=method)
    # Nothing is written by a request without data, whoever sends it.
    assert database_state() == before


def test_member_area_lists_only_own_forums(client, users, make_forum, sponsor):
    own = make_forum(title="Own forum")
    sponsor(own, users["member"].organisation)
    other = make_forum(title="Someone else's forum")
    sponsor(other, users["other_member"].organisation)
    client.force_login(users["member"])
    response = client.get(reverse("member_area"))
    assert [f.title for f in response.context["forums"]] == ["Own forum"]
    assert "Someone else" not in response.content.decode()


def test_admin_login_goes_through_allauth(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_refuses_logged_in_non_staff(client, users):
    client.force_login(users["member"])
    response = client.get(reverse("admin:forums_forum_changelist"), follow=True)
    assert response.status_code == 403
