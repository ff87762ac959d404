from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUPPLIER = "supplier", _("Supplier representative")
    MEMBER = "member", _("Member representative")
    FACILITATOR = "facilitator", _("Facilitator")
    SECRETARIAT = "secretariat", _("Secretariat")
