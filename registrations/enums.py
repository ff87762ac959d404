from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not attend")

    @classmethod
    def holding_a_seat(cls) -> list[str]:
        return [cls.CONFIRMED, cls.ATTENDED, cls.NO_SHOW]


class PlaceStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")


class RegistrationSource(models.TextChoices):
    WEB = "web", _("Registration form")
    IMPORT = "import", _("Imported list")
    SECRETARIAT = "secretariat", _("Added by the secretariat")
    WALK_IN = "walk_in", _("Walk-in")
