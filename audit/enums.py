from django.db import models


class ActorKind(models.TextChoices):
    """Who did something: a person with an account, the registrant through their own link, the
    site by itself (moving people off a waiting list), or an imported list."""

    STAFF = "staff", "Secretariat"
    REGISTRANT = "registrant", "The registrant"
    SYSTEM = "system", "The system"
    IMPORT = "import", "An import"
