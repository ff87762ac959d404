"""The secretariat adds users in the admin, one role at a time."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from tests.html_forms import form_values


def add_user(staff_client, **values):
    url = reverse("admin:accounts_user_add")
    data = form_values(staff_client.get(url), "user_form")
    data.update({name: [str(value)] for name, value in values.items()})
    return staff_client.post(url, {**data, "_save": "Save"})


def errors(response) -> dict:
    return {
        name: list(messages) for name, messages in response.context["adminform"].form.errors.items()
    }


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        (Role.SUPPLIER, {}),
        (Role.MEMBER, {"organisation": "member"}),
        (Role.FACILITATOR, {}),
        (Role.SECRETARIAT, {"is_staff": "on"}),
    ],
)
def test_user_add_form_creates_each_role(staff_client, make_member, role, extra):
    member = make_member(name="Unilever")
    if extra.get("organisation") == "member":
        extra = {**extra, "organisation": member.pk}

    response = add_user(
        staff_client,
        email="New.Person@Example.com",
        password1="a long pass phrase",
        password2="a long pass phrase",
        role=role,
        **extra,
    )

    assert response.status_code == 302
    user = User.objects.get(email="New.Person@example.com")
    assert (user.role, user.organisation_id, user.is_staff) == (
        role,
        member.pk if role == Role.MEMBER else None,
        role == Role.SECRETARIAT,
    )
    assert user.check_password("a long pass phrase")


def test_user_add_form_member_without_organisation_says_so(staff_client):
    response = add_user(
        staff_client,
        email="rep@unilever.example",
        password1="a long pass phrase",
        password2="a long pass phrase",
        role=Role.MEMBER,
    )

    assert response.status_code == 200
    assert errors(response) == {
        "organisation": ["A member representative must be linked to a member."]
    }
    assert not User.objects.filter(email="rep@unilever.example").exists()


def test_user_add_form_secretariat_without_staff_status_says_so(staff_client):
    response = add_user(
        staff_client,
        email="desk@forumdesk.example",
        password1="a long pass phrase",
        password2="a long pass phrase",
        role=Role.SECRETARIAT,
    )

    assert response.status_code == 200
    assert errors(response) == {"is_staff": ["Secretariat accounts must have staff status."]}
    assert not User.objects.filter(email="desk@forumdesk.example").exists()


def test_user_change_page_shows_account_times_in_utc_saying_so(client, users):
    user = users["supplier"]
    User.objects.filter(pk=user.pk).update(
        date_joined=datetime(2026, 11, 24, 23, 5, tzinfo=UTC), last_login=None
    )
    client.force_login(users["secretariat"])

    html = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()

    readonly = dict(
        re.findall(
            r'<div class="flex-container">\s*<label>([^<]+):</label>\s*'
            r'<div class="readonly">([^<]*)</div>',
            html,
        )
    )
    assert readonly == {"Last login": "-", "Date joined": "2026-11-24 23:05 UTC"}
