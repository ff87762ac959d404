"""Who may see the reports of this app: the news draft and the maturity report are for the
secretariat only (everyone else gets 404, so the pages do not tell which forums have them)."""

from typing import TYPE_CHECKING

from forums.permissions import is_secretariat

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


def can_edit_news(user: "User | AnonymousUser") -> bool:
    return is_secretariat(user)


def can_view_maturity(user: "User | AnonymousUser") -> bool:
    return is_secretariat(user)
