import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.models import User


def test_signup_with_email_requires_verification(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after commit
        response = client.post(
            reverse("account_signup"),
            {
                "email": "Priya@Example.com",
                "password1": "a long pass phrase",
                "password2": "a long pass phrase",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "priya@example.com"
    assert [m.to for m in mail.outbox] == [["priya@example.com"]]
    assert mail.outbox[0].subject == "[Forum Desk] Confirm your e-mail address"
    # Not verified yet: logging in sends the person back to verification.
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "priya@example.com", "password": "a long pass phrase"}
    )
    assert login["Location"] == reverse("account_email_verification_sent")


def test_staff_without_two_factor_is_sent_to_set_it_up(client, secretariat_user, settings):
    settings.STAFF_REQUIRE_MFA = True
    client.force_login(secretariat_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next=/admin/"


def test_staff_with_two_factor_reaches_admin(client, secretariat_user, settings):
    settings.STAFF_REQUIRE_MFA = True
    Authenticator.objects.create(user=secretariat_user, type=Authenticator.Type.TOTP, data={})
    client.force_login(secretariat_user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_create_secretariat_command_creates_then_resets(db, capsys):
    from django.core.management import call_command

    call_command("create_secretariat", "desk@example.org", "--password", "first-password-1")
    call_command("create_secretariat", "DESK@example.org", "--password", "second-password-2")
    user = User.objects.get()
    assert (user.is_staff, user.role) == (True, "secretariat")
    assert user.check_password("second-password-2")
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Secretariat account: desk@example.org  password: second-password-2"
    )


def test_create_secretariat_command_rejects_bad_email(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="'not-an-address' is not a valid e-mail address."):
        call_command("create_secretariat", "not-an-address")
    assert User.objects.count() == 0


def test_staff_without_two_factor_is_sent_to_set_it_up_from_a_site_page(
    client, secretariat_user, make_forum, settings
):
    settings.STAFF_REQUIRE_MFA = True
    forum = make_forum(slug="kl-2017")
    client.force_login(secretariat_user)
    response = client.get(
        reverse("reports:forum_overview", args=[forum.slug]), headers={"Accept": "text/html"}
    )
    assert response.status_code == 302
    assert response["Location"] == (f"{reverse('mfa_activate_totp')}?next=/reports/forums/kl-2017/")


def test_staff_without_two_factor_gets_403_from_a_json_endpoint(
    client, secretariat_user, make_forum, settings
):
    settings.STAFF_REQUIRE_MFA = True
    forum = make_forum(slug="kl-2017")
    client.force_login(secretariat_user)
    response = client.post(
        reverse("attendance:checkin_api", args=[forum.slug]),
        data={"code": "ABCD2345", "nonce": "n-1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": "Set up an authenticator app for your account before using this page.",
        "reason": "second_factor_required",
    }


def test_staff_with_two_factor_reaches_a_site_page(client, secretariat_user, make_forum, settings):
    settings.STAFF_REQUIRE_MFA = True
    Authenticator.objects.create(user=secretariat_user, type=Authenticator.Type.TOTP, data={})
    forum = make_forum(slug="kl-2017")
    client.force_login(secretariat_user)
    response = client.get(reverse("reports:forum_overview", args=[forum.slug]))
    assert response.status_code == 200
