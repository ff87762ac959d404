"""Who may check people in: the secretariat members who run forums (accounts.permissions) at
every forum, a door helper at its own forums until each one's check-in closes."""

from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.permissions import can_run_forums
from attendance.models import DoorHelper, checkin_window
from forums.models import Forum

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


def can_check_in(user: "User | AnonymousUser", forum: Forum) -> bool:
    if can_run_forums(user):
        return True
    return door_helper_grant_active(user, forum)


def door_helper_grant_active(user: "User | AnonymousUser", forum: Forum) -> bool:
    """`user` is a door helper of `forum` and the grant has not ended: it ends when the
    forum's check-in window closes (its day plus settings.CHECKIN_MARGIN_HOURS, in its zone)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and timezone.now() < checkin_window(forum).closes_at
        and DoorHelper.objects.filter(user=user, forum=forum).exists()
    )


def is_door_helper_elsewhere(user: "User | AnonymousUser", forum: Forum) -> bool:
    """`user` is a door helper of other forums only: this forum's check-in is another owner's,
    and answers 404 rather than 403."""
    return bool(
        user.is_authenticated
        and DoorHelper.objects.filter(user=user).exclude(forum=forum).exists()
        and not DoorHelper.objects.filter(user=user, forum=forum).exists()
    )


def can_record_after_the_day(user: "User | AnonymousUser") -> bool:
    """Recording attendance after a forum's check-in closed, with a reason: the secretariat
    only, never a door helper."""
    return can_run_forums(user)


def can_mark_held(user: "User | AnonymousUser") -> bool:
    """Marking a forum held (its no-shows counted) and reversing it: the secretariat only."""
    return can_run_forums(user)
