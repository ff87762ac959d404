"""What the privacy tools remember: who was erased (and when), and the day the retention sweep
last ran. Neither keeps anything that was erased."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forums.models import Person


class Erasure(models.Model):
    """That a person's personal data was erased. The Person row stays, blanked, so that the
    reach, attendance and feedback figures it counts in stay the same."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="erasure")
    erased_at = models.DateTimeField(_("erased at"))
    # Who asked: the person through their link, the secretariat, or the retention sweep
    # (audit.enums.ActorKind). The audit log says which account.
    actor_kind = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"Person {self.person_id} erased"


class RetentionSweepRun(models.Model):
    """A day the retention sweep ran. The unique day makes it run at most once a day, however
    many workers sweep."""

    day = models.DateField(unique=True)
    erased = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Retention sweep {self.day}"
