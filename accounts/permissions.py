"""What a secretariat member may do, decided in one place that every app's permissions module
asks.

A secretariat account is a staff account; what it may do comes from Django permissions, given
through two groups (created by accounts/migrations/0002_secretariat_groups.py):
- "Forum managers" run forums: registrations, check-in, badges, surveys, imports, exports of
  personal data, the news draft. They hold RUN_FORUMS and READ_REPORTS.
- "Report readers" read reports and results (without respondents' names), nothing else. They
  hold READ_REPORTS.
A superuser holds every permission. Door helpers and facilitators are not staff: a door helper
is any account with a DoorHelper grant for a forum, a facilitator an account with that role;
neither holds these permissions, and neither needs a second factor.

Every staff permission needs the second factor where STAFF_REQUIRE_MFA is on: a staff account
that holds the permission but has no authenticator app gets SecondFactorRequired, which
accounts.middleware.StaffTwoFactorMiddleware answers (set it up, or 403 for JSON)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User

RUN_FORUMS = "accounts.run_forums"
READ_REPORTS = "accounts.read_reports"

FORUM_MANAGERS = "Forum managers"
REPORT_READERS = "Report readers"


class SecondFactorRequired(PermissionDenied):
    """A staff account without an authenticator app asked for a staff page while
    STAFF_REQUIRE_MFA is on. A PermissionDenied, so that anything that does not handle it
    answers 403."""


def has_second_factor(user: "User") -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def require_second_factor(user: "User | AnonymousUser") -> None:
    """Raises SecondFactorRequired for a staff account without an authenticator app, where
    STAFF_REQUIRE_MFA is on."""
    if (
        settings.STAFF_REQUIRE_MFA
        and user.is_authenticated
        and user.is_staff
        and not has_second_factor(user)
    ):
        raise SecondFactorRequired


def staff_may(user: "User | AnonymousUser", permission: str) -> bool:
    """Whether `user` is an active staff account holding `permission` (a superuser holds
    them all). Raises SecondFactorRequired when it holds it but lacks the second factor: asking
    whether a staff account may do something is where its second factor is demanded."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if not user.has_perm(permission):
        return False
    require_second_factor(user)
    return True


def can_run_forums(user: "User | AnonymousUser") -> bool:
    return staff_may(user, RUN_FORUMS)


def can_read_reports(user: "User | AnonymousUser") -> bool:
    return staff_may(user, READ_REPORTS)
