"""Who may check people in: the secretariat members who run forums (accounts.permissions) at
every forum, a door helper at its own forums."""

from typing import TYPE_CHECKING

from accounts.permissions import can_run_forums
from attendance.models import DoorHelper
from forums.models import Forum

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


def can_check_in(user: "User | AnonymousUser", forum: Forum) -> bool:
    if can_run_forums(user):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and DoorHelper.objects.filter(user=user, forum=forum).exists()
    )


def can_mark_held(user: "User | AnonymousUser") -> bool:
    """Marking a forum held (its no-shows counted) and reversing it: the secretariat only."""
    return can_run_forums(user)
