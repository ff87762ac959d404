from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.manager import MultilingualManager

from forums.enums import Pillar
from forums.models import Forum, Organisation, Person, SeatCounted


class Workshop(SeatCounted):
    """A smaller interactive session of a forum, with its own seat limit. Workshops of one forum
    that overlap in time form a slot: a participant takes at most one per slot."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="workshops")
    code = models.CharField(
        _("code"), max_length=10, help_text=_("Short code unique within the forum, e.g. A1.")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=30, choices=Pillar.choices)
    room = models.CharField(_("room"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    seat_limit = models.PositiveIntegerField(_("seat limit"), validators=[MinValueValidator(1)])
    # Confirmed places, kept by the registration services under the forum's row lock.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    facilitators = models.ManyToManyField(
        Person, blank=True, related_name="facilitated_workshops", verbose_name=_("facilitators")
    )
    led_by = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="led_workshops",
        verbose_name=_("led by"),
        help_text=_("Partner organisations leading the workshop when no facilitator is named."),
    )

    # Multilingual already, so that modeltranslation keeps it (workshops/translation.py).
    objects = MultilingualManager()

    class Meta:
        ordering = ["forum", "starts_at", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "code"],
                name="workshop_code_unique_in_forum",
                violation_error_message=_("Another workshop of this forum has this code."),
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("seat_limit")),
                name="workshop_not_overbooked",
                violation_error_message=_("The workshop is full."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="workshop_ends_after_start",
                violation_error_message=_("A workshop must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def overlaps(self, other: "Workshop") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    @property
    def seats_left(self) -> int:
        return max(0, self.seat_limit - self.seats_taken)

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.seat_limit

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A workshop must end after it starts.")})
        if self.seat_limit is not None and self.seat_limit < self.seats_taken:
            raise ValidationError(
                {
                    "seat_limit": ngettext(
                        "%(taken)s person already holds a seat in %(code)s; the limit cannot be "
                        "lower than that. Move or cancel participants first.",
                        "%(taken)s people already hold a seat in %(code)s; the limit cannot be "
                        "lower than that. Move or cancel participants first.",
                        self.seats_taken,
                    )
                    % {"taken": self.seats_taken, "code": self.code}
                }
            )
        try:
            forum = self.forum
        except Forum.DoesNotExist:
            return
        if (
            self.starts_at
            and forum.starts_at
            and not (forum.starts_at <= self.starts_at and self.ends_at <= forum.ends_at)
        ):
            raise ValidationError(
                {"starts_at": _("A workshop must take place during its forum's day.")}
            )
