"""The secretariat's invitations: an e-mailed link to choose a password that works once, for
INVITATION_VALID_DAYS, confirms the address and logs the person in."""

import hashlib
import logging
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.services import invitation_send
from audit.models import AuditEntry
from audit.services import Actor
from tests.conftest import _user, _with_second_factor

ACCEPT = "/accounts/invitation/"
PASSWORD = "lantern-orchard-47"
LINK = re.compile(r"^http://testserver/accounts/invitation/([A-Za-z0-9_-]{43})/$", re.M)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"
    settings.INVITATION_VALID_DAYS = 7


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


@pytest.fixture
def facilitator(db):
    """An account as the secretariat makes it in the admin: no usable password, no address
    known to allauth."""
    return User.objects.create_user(
        email="lara.white@iom.example", role=Role.FACILITATOR, first_name="Lara"
    )


def _token(message) -> str:
    found = LINK.findall(message.body)
    assert len(found) == 1
    return found[0]


def _sent(function, *args, **kwargs):
    """Run a call and the sending it leaves for after commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def _invite(user, language="en") -> str:
    mail.outbox.clear()
    _sent(invitation_send, user=user, by=Actor.system(), language=language)
    assert len(mail.outbox) == 1
    return _token(mail.outbox[0])


def _set_password(client, token: str, password: str = PASSWORD):
    opened = client.get(f"/accounts/invitation/{token}/")
    assert (opened.status_code, opened["Location"]) == (302, ACCEPT)
    return client.post(ACCEPT, {"new_password1": password, "new_password2": password})


def test_invitation_end_to_end(client, facilitator, caplog):
    caplog.set_level(logging.DEBUG)
    _sent(call_command, "invite_user", "LARA.WHITE@iom.example")

    [message] = mail.outbox
    assert message.to == ["lara.white@iom.example"]
    assert message.subject == "[Forum Desk] Your account: choose a password"
    token = _token(message)
    expires = (timezone.now() + timedelta(days=7)).strftime("%-d %B %Y")
    assert f"The link works once, for 7 days: until {expires}" in message.body.replace("\n", " ")
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)

    opened = client.get(f"/accounts/invitation/{token}/")
    assert (opened.status_code, opened["Location"]) == (302, ACCEPT)
    assert opened["Referrer-Policy"] == "no-referrer"
    page = client.get(ACCEPT)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert token not in page.content.decode()
    assert re.search(r'data-field="email">([^<]+)<', page.content.decode())[1] == (
        "lara.white@iom.example"
    )

    done = client.post(ACCEPT, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert (done.status_code, done["Location"]) == (302, reverse("home"))
    facilitator.refresh_from_db()
    assert facilitator.check_password(PASSWORD)
    assert list(
        EmailAddress.objects.filter(user=facilitator).values_list("email", "verified", "primary")
    ) == [("lara.white@iom.example", True, True)]
    assert Invitation.objects.get().used_at is not None
    # Logged in, and past allauth's "verify your e-mail address".
    assert int(client.session["_auth_user_id"]) == facilitator.pk
    assert client.get(reverse("registrations:my_forums")).status_code == 200
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "lara.white@iom.example", "password": PASSWORD}
    )
    assert (login.status_code, login["Location"]) == (302, reverse("home"))
    assert [(e.action, e.actor_kind) for e in AuditEntry.objects.all()] == [
        ("account.invited", "system")
    ]
    # The token is in no log line, and stored nowhere but in the e-mail.
    assert [r for r in caplog.records if token in r.getMessage()] == []


def test_invitation_in_spanish(facilitator):
    _sent(call_command, "invite_user", facilitator.email, "--language", "es")
    [message] = mail.outbox
    assert message.subject == "[Forum Desk] Su cuenta: elija una contraseña"
    assert _token(message)


def test_used_link_is_refused(client, facilitator):
    token = _invite(facilitator)
    assert _set_password(client, token).status_code == 302
    client.logout()
    again = _set_password(client, token, "another-password-93")
    assert again.status_code == 410
    assert re.search(r'data-reason="(\w+)"', again.content.decode())[1] == "used"
    facilitator.refresh_from_db()
    assert facilitator.check_password(PASSWORD)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "after, status, reason",
    [(timedelta(days=7, seconds=-1), 302, None), (timedelta(days=7), 410, "expired")],
)
def test_link_expires_after_the_setting(client, facilitator, after, status, reason):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = _invite(facilitator)
        clock.shift(after)
        response = _set_password(client, token)
    assert response.status_code == status
    if reason:
        assert re.search(r'data-reason="(\w+)"', response.content.decode())[1] == reason
    facilitator.refresh_from_db()
    assert facilitator.check_password(PASSWORD) is (status == 302)


def test_expired_page_tells_whom_to_ask(client, facilitator, settings):
    settings.SECRETARIAT_EMAIL = "desk@forumdesk.example"
    token = _invite(facilitator)
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        client.get(f"/accounts/invitation/{token}/")
        page = client.get(ACCEPT)
    assert page.status_code == 410
    assert re.search(r'href="mailto:([^"]+)"', page.content.decode())[1] == (
        "desk@forumdesk.example"
    )


def test_a_new_invitation_replaces_the_old_link(client, facilitator):
    old = _invite(facilitator)
    new = _invite(facilitator)
    refused = _set_password(client, old)
    assert refused.status_code == 400
    assert re.search(r'data-reason="(\w+)"', refused.content.decode())[1] == "unknown"
    assert _set_password(client, new).status_code == 302


def test_someone_elses_link_sets_only_their_password(client, facilitator, db):
    supplier = _user("supplier@example.com")
    token = _invite(facilitator)
    client.force_login(supplier)
    assert _set_password(client, token).status_code == 302
    supplier.refresh_from_db()
    facilitator.refresh_from_db()
    assert (supplier.check_password(PASSWORD), facilitator.check_password(PASSWORD)) == (
        False,
        True,
    )
    assert int(client.session["_auth_user_id"]) == facilitator.pk


def test_made_up_token_is_refused(client, facilitator):
    _invite(facilitator)
    response = _set_password(client, "A" * 43)
    assert response.status_code == 400
    facilitator.refresh_from_db()
    assert facilitator.has_usable_password() is False


@pytest.mark.parametrize(
    "token", ["%00", "a%00b", "%C2%B2", "x" * 10_000, "A" * 42, "A" * 44, "A" * 42 + "%2B"]
)
def test_bad_token_answers_400_and_stores_nothing(client, facilitator, token):
    _invite(facilitator)
    response = client.get(f"/accounts/invitation/{token}/")
    assert response.status_code == 400
    assert "accounts_invitation_token" not in client.session
    assert Invitation.objects.get().used_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_accept_page_without_a_link_is_refused(client, db, method):
    response = getattr(client, method)(ACCEPT)
    assert response.status_code == 400
    assert re.search(r'data-reason="(\w+)"', response.content.decode())[1] == "missing"


def test_weak_password_is_refused_and_link_still_works(client, facilitator):
    token = _invite(facilitator)
    weak = _set_password(client, token, "12345678")
    assert weak.status_code == 200
    assert Invitation.objects.get().used_at is None
    assert (
        client.post(ACCEPT, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code
        == 302
    )


def test_account_with_authenticator_app_is_not_logged_in(client, facilitator):
    _with_second_factor(facilitator)
    response = _set_password(client, _invite(facilitator))
    assert (response.status_code, response["Location"]) == (302, reverse("account_login"))
    assert "_auth_user_id" not in client.session
    facilitator.refresh_from_db()
    assert facilitator.check_password(PASSWORD)


def test_inactive_account_link_stops_working(client, facilitator):
    token = _invite(facilitator)
    facilitator.is_active = False
    facilitator.save()
    assert _set_password(client, token).status_code == 400


def test_command_refuses_unknown_and_inactive_accounts_and_sends_nothing(facilitator):
    User.objects.create_user(email="gone@example.com", is_active=False)
    for emails in (["nobody@example.com"], [facilitator.email, "gone@example.com"]):
        with pytest.raises(CommandError):
            _sent(call_command, "invite_user", *emails)
    assert (len(mail.outbox), Invitation.objects.count()) == (0, 0)


@pytest.mark.parametrize("accounts", [1, 3])
def test_accept_page_queries(client, facilitator, accounts, django_assert_num_queries):
    for n in range(accounts - 1):
        _invite(User.objects.create_user(email=f"other{n}@example.com"))
    token = _invite(facilitator)
    client.get(f"/accounts/invitation/{token}/")
    with django_assert_num_queries(2):
        assert client.get(ACCEPT).status_code == 200
