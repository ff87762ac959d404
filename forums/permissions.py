"""Who may see what of forums. Views ask these; they never decide on their own."""

from typing import TYPE_CHECKING

from accounts.permissions import can_read_reports, can_run_forums
from forums.models import Forum

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


def is_secretariat(user: "User | AnonymousUser") -> bool:
    """A secretariat member who runs forums (accounts.permissions.RUN_FORUMS); a staff account
    without its second factor gets SecondFactorRequired."""
    return can_run_forums(user)


def can_view_forum(user: "User | AnonymousUser", forum: Forum) -> bool:
    # Drafts are visible to those who run forums only, so they can preview a page before
    # publishing.
    return forum.is_public or is_secretariat(user)


def can_use_member_area(user: "User | AnonymousUser") -> bool:
    if getattr(user, "is_member_representative", False):
        return True
    return can_read_reports(user)
