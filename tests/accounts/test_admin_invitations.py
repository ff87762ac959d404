"""Sending invitations from the admin: the list's action and the button on an account's page, each
through a page that says who will be e-mailed."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Invitation, User

LIST = "admin:accounts_user_changelist"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def _accounts(n: int, active: bool = True) -> list[User]:
    return [
        User.objects.create_user(
            email=f"person{i}{'' if active else '-gone'}@example.com",
            role=Role.FACILITATOR,
            is_active=active,
        )
        for i in range(n)
    ]


def _listed(response, css: str) -> list[str]:
    return re.findall(rf'class="{css}" data-account="(\d+)"', response.content.decode())


def _action(staff_client, users, **extra):
    data = {"action": "send_invitation", "_selected_action": [u.pk for u in users], **extra}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return staff_client.post(reverse(LIST), data)


def test_action_asks_first_then_sends(staff_client):
    active = _accounts(2)
    [inactive] = _accounts(1, active=False)
    confirm = _action(staff_client, [*active, inactive])
    assert confirm.status_code == 200
    assert _listed(confirm, "invited-account") == [str(u.pk) for u in active]
    assert _listed(confirm, "skipped-account") == [str(inactive.pk)]
    assert (len(mail.outbox), Invitation.objects.count()) == (0, 0)

    sent = _action(staff_client, [*active, inactive], confirm="yes", language="es")
    assert (sent.status_code, sent["Location"]) == (302, reverse(LIST))
    assert sorted(m.to[0] for m in mail.outbox) == ["person0@example.com", "person1@example.com"]
    assert {m.subject for m in mail.outbox} == {"[Forum Desk] Su cuenta: elija una contraseña"}
    assert sorted(Invitation.objects.values_list("user__email", flat=True)) == [
        "person0@example.com",
        "person1@example.com",
    ]


def test_action_with_a_bad_language_sends_nothing(staff_client):
    users = _accounts(1)
    response = _action(staff_client, users, confirm="yes", language="xx")
    assert response.status_code == 200
    assert (len(mail.outbox), Invitation.objects.count()) == (0, 0)


def test_change_page_button_asks_then_sends(staff_client):
    [user] = _accounts(1)
    change = staff_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    invite = reverse("admin:accounts_user_invite", args=[user.pk])
    assert re.search(r'href="([^"]+)" class="invite-link"', change.content.decode())[1] == invite

    confirm = staff_client.get(invite)
    assert _listed(confirm, "invited-account") == [str(user.pk)]
    assert staff_client.post(invite).status_code == 200  # no confirmation: nothing sent
    assert len(mail.outbox) == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = staff_client.post(invite, {"confirm": "yes", "language": "en"})
    assert sent["Location"] == reverse("admin:accounts_user_change", args=[user.pk])
    assert [m.to for m in mail.outbox] == [["person0@example.com"]]


def test_inactive_account_has_no_button_and_cannot_be_invited(staff_client):
    [user] = _accounts(1, active=False)
    change = staff_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert 'class="invite-link"' not in change.content.decode()
    invite = reverse("admin:accounts_user_invite", args=[user.pk])
    response = staff_client.post(invite, {"confirm": "yes", "language": "en"})
    assert response.status_code == 200
    assert _listed(response, "skipped-account") == [str(user.pk)]
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("object_id", ["987654321", "%C2%B2", "%D9%A3", "x" * 300])
def test_invite_page_of_no_account_answers_404(staff_client, object_id):
    response = staff_client.get(f"/admin/accounts/user/{object_id}/invite/")
    assert response.status_code == 404


@pytest.mark.parametrize("accounts", [1, 3])
def test_action_confirmation_queries(staff_client, accounts, django_assert_num_queries):
    users = _accounts(accounts)
    with django_assert_num_queries(5):
        assert _action(staff_client, users).status_code == 200
