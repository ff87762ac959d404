"""allauth's e-mails go through the outbox: a mail server that is down does not break signup or
password reset, the message waits and is sent on a later attempt. They are signed with the
site's name from settings, in the visitor's language, with an HTML version in the site's look."""

import logging
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.core import mail
from django.test import RequestFactory
from django.urls import resolve, reverse

from accounts.models import User
from outbox.models import OutgoingEmail
from outbox.tasks import send_email

NOW = datetime(2036, 3, 1, 9, 0, tzinfo=UTC)
SIGNATURE = ["Forum secretariat, AIM-PROGRESS", "Forum Desk – https://forums.example.org"]
SIGNUP = {
    "email": "priya@example.com",
    "password1": "a long pass phrase",
    "password2": "a long pass phrase",
}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS_ENABLED = False


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run a call and the work it leaves for after commit (sending e-mail)."""

    def run(function, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def url_name(url):
    return resolve(urlsplit(url).path).url_name


def html_links(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return re.findall(r'href="([^"]+)"', html)


def html_paragraphs(message):
    ((html, _mimetype),) = message.alternatives
    return [re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p[^>]*>(.*?)</p>", html)]


# --- mail server down ------------------------------------------------------------------------


def test_signup_with_mail_server_down_answers_and_keeps_the_confirmation(
    client, db, settings, after_commit, caplog
):
    settings.EMAIL_BACKEND = "tests.mail_servers.MailServerDown"

    with time_machine.travel(NOW, tick=False), caplog.at_level(logging.INFO):
        response = after_commit(client.post, reverse("account_signup"), SIGNUP)

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("account_email_verification_sent"),
    )
    assert User.objects.get().email == "priya@example.com"
    outgoing = OutgoingEmail.objects.get()
    assert (
        outgoing.kind,
        outgoing.to,
        outgoing.about,
        outgoing.status,
        outgoing.attempts,
        outgoing.last_error,
        outgoing.next_attempt_at,
    ) == (
        "account_email_confirmation_signup",
        "priya@example.com",
        None,
        OutgoingEmail.Status.PENDING,
        1,
        "SMTPException: Connection refused by mail.example",
        NOW + timedelta(minutes=1),
    )
    assert mail.outbox == []
    assert "priya" not in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert send_email.call(outgoing.pk) is True

    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["priya@example.com"],
        "[Forum Desk] Confirm your e-mail address",
    )
    assert lines(message.body)[:2] == [
        "Hello,",
        "Thank you for signing up to Forum Desk. To confirm that priya@example.com is your "
        "e-mail address for Forum Desk, open this link:",
    ]
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (OutgoingEmail.Status.SENT, 2)


@pytest.mark.parametrize(
    ("address", "kind", "subject"),
    [
        ("priya@example.com", "account_password_reset_key", "[Forum Desk] Choose a new password"),
        (
            "nobody@example.com",
            "account_unknown_account",
            "[Forum Desk] No account with this address",
        ),
    ],
)
def test_password_reset_with_mail_server_down_answers_and_keeps_the_email(
    client, make_user, settings, after_commit, address, kind, subject
):
    make_user("priya@example.com")
    settings.EMAIL_BACKEND = "tests.mail_servers.MailServerDown"

    with time_machine.travel(NOW, tick=False):
        response = after_commit(client.post, reverse("account_reset_password"), {"email": address})

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("account_reset_password_done"),
    )
    outgoing = OutgoingEmail.objects.get()
    assert (outgoing.kind, outgoing.to, outgoing.status, outgoing.attempts) == (
        kind,
        address,
        OutgoingEmail.Status.PENDING,
        1,
    )
    assert outgoing.last_error == "SMTPException: Connection refused by mail.example"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert send_email.call(outgoing.pk) is True

    (message,) = mail.outbox
    assert (message.to, message.subject, lines(message.body)[0]) == ([address], subject, "Hello,")


# --- what each message says ------------------------------------------------------------------


def test_signup_confirmation_email_is_signed_with_the_site_name(client, db, after_commit):
    after_commit(client.post, reverse("account_signup"), SIGNUP)

    (message,) = mail.outbox
    assert message.subject == "[Forum Desk] Confirm your e-mail address"
    body = lines(message.body)
    assert body[:2] == [
        "Hello,",
        "Thank you for signing up to Forum Desk. To confirm that priya@example.com is your "
        "e-mail address for Forum Desk, open this link:",
    ]
    assert url_name(body[2]) == "account_confirm_email"
    assert body[3:] == [
        "If you did not ask for this, ignore this message: the address cannot be used until it "
        "is confirmed.",
        *SIGNATURE,
    ]
    assert html_links(message) == [body[2], "https://forums.example.org"]
    assert html_paragraphs(message)[:3] == [
        "Hello,",
        "Thank you for signing up to Forum Desk.",
        "To confirm that priya@example.com is your e-mail address for Forum Desk, open this link:",
    ]

    # The link confirms the address.
    client.post(urlsplit(body[2]).path)
    assert User.objects.get().emailaddress_set.get().verified is True


def test_signup_with_an_address_that_has_an_account_says_so(client, make_user, after_commit):
    make_user("priya@example.com")

    after_commit(client.post, reverse("account_signup"), SIGNUP)

    outgoing = OutgoingEmail.objects.get()
    assert (outgoing.kind, outgoing.status) == ("account_account_already_exists", "sent")
    (message,) = mail.outbox
    assert message.subject == "[Forum Desk] You already have an account"
    body = lines(message.body)
    assert body[:3] == [
        "Hello,",
        "Someone tried to sign up to Forum Desk with this address, priya@example.com, but there "
        "is already an account with it.",
        "If it was you and you have forgotten your password, choose a new one here:",
    ]
    assert url_name(body[3]) == "account_reset_password"
    assert body[4:] == [
        "If it was not you, ignore this message: your account is unchanged.",
        *SIGNATURE,
    ]


def test_password_reset_email_links_to_a_new_password(client, make_user, after_commit):
    make_user("priya@example.com")

    after_commit(client.post, reverse("account_reset_password"), {"email": "Priya@Example.com"})

    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["priya@example.com"],
        "[Forum Desk] Choose a new password",
    )
    body = lines(message.body)
    assert body[:2] == [
        "Hello,",
        "Someone asked to reset the password of your Forum Desk account. To choose a new "
        "password, open this link:",
    ]
    assert url_name(body[2]) == "account_reset_password_from_key"
    assert body[3:] == [
        "If you did not ask for this, ignore this message: your password stays as it is.",
        *SIGNATURE,
    ]
    assert html_links(message) == [body[2], "https://forums.example.org"]


def test_password_reset_for_an_unknown_address_offers_to_sign_up(client, db, after_commit):
    after_commit(client.post, reverse("account_reset_password"), {"email": "nobody@example.com"})

    (message,) = mail.outbox
    assert message.subject == "[Forum Desk] No account with this address"
    body = lines(message.body)
    assert body[:3] == [
        "Hello,",
        "Someone asked for access to a Forum Desk account with this address, nobody@example.com, "
        "but there is no account with it.",
        "If it was you, you may have signed up with another address, or you can sign up with "
        "this one here:",
    ]
    assert url_name(body[3]) == "account_signup"
    assert body[4:] == ["If it was not you, ignore this message.", *SIGNATURE]


def test_password_change_sends_a_notice(client, make_user, after_commit):
    user = make_user("priya@example.com")

    with time_machine.travel(NOW, tick=False):
        client.force_login(user)
        response = after_commit(
            client.post,
            reverse("account_change_password"),
            {
                "oldpassword": "correct horse battery",
                "password1": "another long phrase",
                "password2": "another long phrase",
            },
        )

    assert (response.status_code, response["Location"]) == (302, reverse("account_change_password"))
    assert OutgoingEmail.objects.get().kind == "account_password_changed"
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["priya@example.com"],
        "[Forum Desk] Your password was changed",
    )
    assert lines(message.body) == [
        "Hello,",
        "Your password was changed.",
        "If you did not make this change to your Forum Desk account, choose a new password now "
        "and tell the forum secretariat:",
        "https://forums.example.org/accounts/password/reset/",
        "The change was made from:",
        "IP address: 127.0.0.1",
        "Browser: unknown",
        "Time: 1 March 2036, 09:00 (UTC)",
        *SIGNATURE,
    ]
    assert html_links(message) == [
        "https://forums.example.org/accounts/password/reset/",
        "https://forums.example.org",
    ]


@pytest.mark.parametrize(
    ("template_prefix", "context", "kind", "subject", "notice"),
    [
        (
            "account/email/email_changed",
            {"from_email": "priya@example.com", "to_email": "priya@supplier.example"},
            "account_email_changed",
            "Your e-mail address was changed",
            "The e-mail address of your account was changed from priya@example.com to "
            "priya@supplier.example.",
        ),
        (
            "account/email/email_deleted",
            {"deleted_email": "old@example.com"},
            "account_email_deleted",
            "An e-mail address was removed",
            "The e-mail address old@example.com was removed from your account.",
        ),
        (
            "account/email/password_set",
            {},
            "account_password_set",
            "Your password was set",
            "A password was set for your account.",
        ),
        (
            "account/email/password_reset",
            {},
            "account_password_reset",
            "Your password was reset",
            "Your password was reset with the link sent to your e-mail address.",
        ),
        (
            "mfa/email/totp_activated",
            {},
            "mfa_totp_activated",
            "Two-factor authentication turned on",
            "Two-factor authentication with an authenticator app was turned on for your account.",
        ),
        (
            "mfa/email/totp_deactivated",
            {},
            "mfa_totp_deactivated",
            "Two-factor authentication turned off",
            "Two-factor authentication with an authenticator app was turned off for your account.",
        ),
        (
            "mfa/email/recovery_codes_generated",
            {},
            "mfa_recovery_codes_generated",
            "New recovery codes",
            "New recovery codes for two-factor authentication were made for your account; the "
            "earlier ones no longer work.",
        ),
    ],
)
def test_account_notice_names_the_change(
    make_user, after_commit, template_prefix, context, kind, subject, notice
):
    user = make_user("priya@example.com")
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="Firefox/140")

    with time_machine.travel(NOW, tick=False), request_context(request):
        after_commit(get_adapter(request).send_notification_mail, template_prefix, user, context)

    assert OutgoingEmail.objects.get().kind == kind
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["priya@example.com"], f"[Forum Desk] {subject}")
    body = lines(message.body)
    assert body[:2] == ["Hello,", notice]
    assert body[5:8] == [
        "IP address: 203.0.113.5",
        "Browser: Firefox/140",
        "Time: 1 March 2036, 09:00 (UTC)",
    ]
    assert html_paragraphs(message)[:2] == ["Hello,", notice]


def test_account_email_speaks_the_visitors_language(client, db, after_commit):
    after_commit(client.post, reverse("account_signup"), SIGNUP, HTTP_ACCEPT_LANGUAGE="es")

    (message,) = mail.outbox
    assert message.subject == "[Forum Desk] Confirme su dirección de correo electrónico"
    assert lines(message.body)[:2] == [
        "Hola:",
        "Gracias por registrarse en Forum Desk. Para confirmar que priya@example.com es su "
        "dirección de correo electrónico en Forum Desk, abra este enlace:",
    ]
    assert lines(message.body)[-2:] == ["Secretaría del foro, AIM-PROGRESS", SIGNATURE[1]]


def test_account_email_takes_the_site_name_from_settings(client, db, settings, after_commit):
    settings.SITE_NAME = "Sourcing Desk"

    after_commit(client.post, reverse("account_signup"), SIGNUP)

    (message,) = mail.outbox
    assert message.subject == "[Sourcing Desk] Confirm your e-mail address"
    assert lines(message.body)[1] == (
        "Thank you for signing up to Sourcing Desk. To confirm that priya@example.com is your "
        "e-mail address for Sourcing Desk, open this link:"
    )
    assert lines(message.body)[-1] == "Sourcing Desk – https://forums.example.org"
