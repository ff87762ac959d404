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


class RsjModule(models.TextChoices):
    """The four modules of the Responsible Sourcing Journey."""

    SETTING_TONE = "setting_tone", _("Setting the tone")
    DUE_DILIGENCE = (
        "due_diligence",
        _("Implementing due diligence, grievance mechanisms and remediation"),
    )
    MONITORING = "monitoring", _("Monitoring and reporting progress")
    STAKEHOLDERS = "stakeholders", _("Engaging stakeholders")

    @property
    def field_name(self) -> str:
        """The Registration field holding a company's stage in this module."""
        return f"rsj_{self.value}"


class MaturityStage(models.IntegerChoices):
    """Where a company stands in one module of the Responsible Sourcing Journey."""

    NOT_STARTED = 0, _("Not started")
    LAUNCHED = 1, _("Launched")
    ESTABLISHED = 2, _("Established")
    INTEGRATED = 3, _("Integrated")
    LEADERSHIP = 4, _("Leadership")


class ParticipantCategory(models.TextChoices):
    """What kind of participant someone came as, for the reach figures."""

    SUPPLIER = "supplier", _("Supplier")
    GROWER = "grower", _("Grower")
    TRADER = "trader", _("Trader")
    NGO = "ngo", _("NGO")
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")


class QuestionKind(models.TextChoices):
    """What a forum's own registration question asks for (registrations.models)."""

    TEXT = "text", _("Text")
    ONE_CHOICE = "one_choice", _("One choice")
    SEVERAL_CHOICES = "several_choices", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
