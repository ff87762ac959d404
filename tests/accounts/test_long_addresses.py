"""Account forms refuse an address longer than the database holds (a server error on PostgreSQL
otherwise); CI runs this on both databases."""

import pytest
from django.urls import reverse

from accounts.models import User
from outbox.models import OutgoingEmail

LONG = "a" * 250 + "@x.example"  # 260 characters
MESSAGE = "Enter an e-mail address of at most 254 characters (it has 260)."


def test_signup_with_an_overlong_address_is_refused_on_the_form(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": LONG,
            "password1": "correct horse battery 9",
            "password2": "correct horse battery 9",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [MESSAGE]
    assert User.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_password_reset_with_an_overlong_address_is_refused_on_the_form(client, db):
    response = client.post(reverse("account_reset_password"), {"email": LONG})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [MESSAGE]
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.parametrize("email", ["😀@x.example", "a\u202e@x.example"])
def test_signup_with_an_unusual_address_is_refused_as_invalid(client, db, email):
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "correct horse battery 9",
            "password2": "correct horse battery 9",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert User.objects.count() == 0
