"""Who may see what of forums. Views ask these; they never decide on their own."""

from typing import TYPE_CHECKING

from forums.models import Forum

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


def is_secretariat(user: "User | AnonymousUser") -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_view_forum(user: "User | AnonymousUser", forum: Forum) -> bool:
    # Drafts are visible to the secretariat only, so they can preview a page before publishing.
    return forum.is_public or is_secretariat(user)


def can_use_member_area(user: "User | AnonymousUser") -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (is_secretariat(user) or getattr(user, "is_member_representative", False))
    )
