"""Who may see or change registrations. A manage link stands for its registrant."""

from forums.permissions import is_secretariat
from registrations.enums import RegistrationStatus
from registrations.models import Registration


def can_manage_registrations(user) -> bool:
    return is_secretariat(user)


def can_change_registration(registration: Registration) -> bool:
    return registration.status in {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED}
