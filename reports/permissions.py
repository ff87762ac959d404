"""Who may see the reports: the programme's reach is the secretariat's."""

from typing import TYPE_CHECKING

from forums.permissions import is_secretariat

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def can_see_reach(user: "User | AnonymousUser") -> bool:
    return is_secretariat(user)
