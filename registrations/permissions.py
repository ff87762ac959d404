"""Who may see or change registrations. A manage link stands for its registrant."""

from typing import TYPE_CHECKING

from accounts.permissions import can_run_forums
from registrations.enums import RegistrationStatus
from registrations.models import Registration

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The stubs' name for settings.AUTH_USER_MODEL, which the mypy plugin resolves.
    from django.contrib.auth.models import _User as User


def can_manage_registrations(user: "User | AnonymousUser") -> bool:
    return can_run_forums(user)


def can_change_registration(registration: Registration) -> bool:
    return registration.status in {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED}
