from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def holding_a_seat(cls) -> list[str]:
        # Whether a holder came is read from check-ins (attendance.selectors), not from here.
        return [cls.CONFIRMED]


class PlaceStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")


class RegistrationSource(models.TextChoices):
    WEB = "web", _("Registration form")
    IMPORT = "import", _("Imported list")
    SECRETARIAT = "secretariat", _("Added by the secretariat")
    WALK_IN = "walk_in", _("Walk-in")


class RegistrationEmailKind(models.TextChoices):
    """The e-mails sent to registrants, rendered by registrations.notifications (labels for the
    admin)."""

    CONFIRMATION = "confirmation", "Registration confirmed"
    WAITLISTED = "waitlisted", "On the waiting list"
    PROMOTED = "promoted", "A place is yours"
    CHANGED = "changed", "Registration changed"
    CANCELLED = "cancelled", "Registration cancelled"
    MANAGE_LINK = "manage_link", "Link to manage a registration"
    CONFIRM_REGISTRATION = "confirm_registration", "Confirm a held registration"
    PROGRAMME_CHANGED = "programme_changed", "Programme changed"
    REMINDER = "reminder", "Reminder before the forum"


class ParticipantCategory(models.TextChoices):
    """What kind of participant someone came as, for the reach figures."""

    SUPPLIER = "supplier", _("Supplier")
    GROWER = "grower", _("Grower")
    TRADER = "trader", _("Trader")
    NGO = "ngo", _("NGO")
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")
