import zoneinfo
from datetime import MAXYEAR, MINYEAR, date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField
from modeltranslation.manager import MultilingualManager

from forums.enums import ForumStatus, OrganisationKind, RegistrationWindow, SponsorRole

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name; use one such as Asia/Kuala_Lumpur."),
            params={"value": value},
        )


class Organisation(models.Model):
    """A company or body: a member, a supplier, or a partner organisation."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        editable=False,
        help_text=_("Set when this record was found to be the same company as another."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="organisation_name_ci")]

    def __str__(self) -> str:
        return self.name

    def is_member_on(self, day: date) -> bool:
        return self.memberships.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=day), joined_on__lte=day
        ).exists()


class Membership(models.Model):
    """A period during which an organisation belongs to the association."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("A membership cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        end = self.left_on.isoformat() if self.left_on else "…"
        return f"{self.organisation} ({self.joined_on.isoformat()} – {end})"

    def clean(self) -> None:
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("A membership cannot end before it starts.")})
        if self.organisation_id and self.joined_on:
            overlapping = Membership.objects.filter(organisation_id=self.organisation_id).exclude(
                pk=self.pk
            )
            if self.left_on:
                overlapping = overlapping.filter(joined_on__lte=self.left_on)
            overlapping = overlapping.filter(
                Q(left_on__isnull=True) | Q(left_on__gte=self.joined_on)
            )
            if overlapping.exists():
                raise ValidationError(
                    _("%(organisation)s already has a membership covering these dates."),
                    params={"organisation": self.organisation},
                )


class PersonQuerySet(models.QuerySet):
    def with_email(self, email: str) -> "PersonQuerySet":
        """The person with this address in any letter case, found through the unique index on
        LOWER(email) (an `iexact` lookup compares UPPER() and scans the table on PostgreSQL)."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower())


class Person(models.Model):
    """Anyone the forums know by name: speakers, facilitators, participants. The same e-mail
    address (in any letter case) is the same person across forums."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), null=True, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(email__isnull=False),
                name="person_email_ci_unique",
                violation_error_message=_("A person with this e-mail address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        if self.email is not None:
            self.email = self.email.strip() or None
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SeatCounted(models.Model):
    """A model with a `seats_taken` counter that only registrations.seats changes, with guarded
    UPDATEs under the forum's lock.

    A plain save (an admin form, a service changing a title) never writes the counter: the value
    it read may be stale by the time it saves, and writing it back would undo someone else's
    seat. A save that has *changed* the counter is refused loudly rather than dropped."""

    # The counter as read from the database (set by from_db).
    _seats_taken_loaded: int | None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        loaded = getattr(self, "_seats_taken_loaded", None)
        update_fields = kwargs.get("update_fields")
        if (loaded is not None and self.__dict__.get("seats_taken") != loaded) or (
            update_fields is not None and "seats_taken" in update_fields
        ):
            raise ValueError(
                f"{type(self).__name__}.seats_taken is changed only by registrations.seats."
            )
        if update_fields is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "seats_taken"
            ]
        return super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._seats_taken_loaded = instance.__dict__.get("seats_taken")
        return instance

    def unsaved_copy(self):
        """A new, unsaved row with this one's values and an empty counter: seats belong to the
        registrations of the row they were taken in."""
        return type(self)(
            **{
                field.attname: getattr(self, field.attname)
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "seats_taken"
            }
        )


class ForumQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=ForumStatus.public())

    def local_years(self) -> list[int]:
        """The years the forums start in, each in its own zone, latest first (a forum at 09:00
        on New Year's Day in Auckland is still on 31 December in UTC)."""
        return sorted(
            {
                starts_at.astimezone(zoneinfo.ZoneInfo(zone)).year
                for starts_at, zone in self.order_by().values_list("starts_at", "time_zone")
            },
            reverse=True,
        )

    def in_local_year(self, year: int):
        """The forums that start in `year` in their own zone: one range per zone in use, from
        1 January to 1 January local time."""
        zones = list(self.order_by().values_list("time_zone", flat=True).distinct())
        if not MINYEAR <= year < MAXYEAR or not zones:
            return self.none()
        condition = Q()
        for key in zones:
            zone = zoneinfo.ZoneInfo(key)
            condition |= Q(
                time_zone=key,
                starts_at__gte=datetime(year, 1, 1, tzinfo=zone),
                starts_at__lt=datetime(year + 1, 1, 1, tzinfo=zone),
            )
        return self.filter(condition)


# The earliest a reminder may go out, in days before the forum.
REMINDER_DAYS_BEFORE_MAX = 60


class Forum(SeatCounted):
    """One supplier forum: a day in one city, shown in that city's time zone."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    venue_notes = models.TextField(
        _("venue notes"),
        blank=True,
        help_text=_("For participants: how to get there, entrance, parking, what to bring."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Asia/Kuala_Lumpur. Times below are in this zone."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    certificate_wording = models.CharField(
        _("certificate wording"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the certificate of attendance says the person did, between their name and the "
            "forum's title. Empty: \u201cattended\u201d."
        ),
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder days before"),
        default=2,
        validators=[MaxValueValidator(REMINDER_DAYS_BEFORE_MAX)],
        help_text=_(
            "Confirmed registrants get a reminder this many days before the forum starts, at "
            "the same time of day in the forum's zone. 0 sends no reminder."
        ),
    )
    # Confirmed seats, kept by the registration services under a row lock; the constraint below
    # makes overbooking impossible even if a code path forgot the lock.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ForumStatus.choices, default=ForumStatus.DRAFT
    )
    supporters = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="supported_forums",
        verbose_name=_("supporters"),
        help_text=_("Partner organisations that support the forum without being sponsors."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        editable=False,
        help_text=_("A synthetic forum made by the demo loader, not a real event."),
    )

    # Multilingual already, so that modeltranslation keeps this manager instead of making one
    # of its own at run time, which type checking cannot see (forums/translation.py).
    objects = MultilingualManager.from_queryset(ForumQuerySet)()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="forum_ends_after_start",
                violation_error_message=_("The forum must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")),
                name="forum_not_overbooked",
                violation_error_message=_("The forum is full."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="forum_registration_window_order",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum", kwargs={"slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local(self, moment: datetime | None) -> datetime | None:
        return moment.astimezone(self.zone) if moment else None

    @property
    def local_date(self) -> date:
        return self.starts_at.astimezone(self.zone).date()

    @property
    def is_public(self) -> bool:
        return self.status in ForumStatus.public()

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The forum must end after it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if (
            self.registration_closes_at
            and self.ends_at
            and self.registration_closes_at > self.ends_at
        ):
            errors["registration_closes_at"] = _("Registration must close before the forum ends.")
        if self.capacity is not None and self.capacity < self.seats_taken:
            errors["capacity"] = ngettext(
                "%(taken)s person already holds a seat; the capacity cannot be lower than that. "
                "Cancel registrations first.",
                "%(taken)s people already hold a seat; the capacity cannot be lower than that. "
                "Cancel registrations first.",
                self.seats_taken,
            ) % {"taken": self.seats_taken}
        if errors:
            raise ValidationError(errors)

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def registration_state(self, now: datetime | None = None) -> RegistrationWindow:
        """Open, not yet or closed, by status and the registration window."""
        now = now or timezone.now()
        if self.status != ForumStatus.REGISTRATION_OPEN:
            return (
                RegistrationWindow.NOT_YET
                if self.status in {ForumStatus.DRAFT, ForumStatus.PUBLISHED}
                else RegistrationWindow.CLOSED
            )
        if self.registration_opens_at and now < self.registration_opens_at:
            return RegistrationWindow.NOT_YET
        if self.registration_closes_at and now >= self.registration_closes_at:
            return RegistrationWindow.CLOSED
        if now >= self.ends_at:
            return RegistrationWindow.CLOSED
        return RegistrationWindow.OPEN


def new_invitation_code() -> str:
    return get_random_string(12, "abcdefghjkmnpqrstuvwxyz23456789")


class Sponsorship(models.Model):
    """A member sponsoring (or co-hosting) a forum. Each sponsorship carries the code of the
    invitation link the member sends to its suppliers."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="sponsorships")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sponsorships",
        verbose_name=_("member"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=SponsorRole.choices, default=SponsorRole.SPONSOR
    )
    invitation_code = models.CharField(
        _("invitation code"), max_length=20, unique=True, default=new_invitation_code
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "organisation"],
                name="sponsorship_unique_member_per_forum",
                violation_error_message=_("This member already sponsors this forum."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.forum}"

    @property
    def invitation_path(self) -> str:
        return f"{self.forum.get_absolute_url()}?invite={self.invitation_code}"

    def clean(self) -> None:
        # The forum may be unsaved (sponsors added on the admin page that creates it).
        try:
            forum = self.forum
        except Forum.DoesNotExist:
            return
        if forum.starts_at is None or not self.organisation_id:
            return
        day = forum.local_date
        if not self.organisation.is_member_on(day):
            periods = ", ".join(
                f"{m.joined_on.isoformat()} to {m.left_on.isoformat() if m.left_on else 'now'}"
                for m in self.organisation.memberships.all()
            )
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s was not a member on %(day)s, the date of the forum "
                        "(membership: %(periods)s). Only members can sponsor a forum."
                    )
                    % {
                        "organisation": self.organisation,
                        "day": day.isoformat(),
                        "periods": periods or _("none recorded"),
                    }
                }
            )


class AgendaItem(models.Model):
    """One entry of the plenary programme."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="agenda_items")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    speakers = models.ManyToManyField(
        Person, blank=True, related_name="talks", verbose_name=_("speakers")
    )
    presenting_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="talks",
        verbose_name=_("presented by"),
        help_text=_("Organisations presenting without a named speaker."),
    )

    objects = MultilingualManager()

    class Meta:
        ordering = ["forum", "starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An agenda item must end after it starts.")})


class Branding(models.Model):
    """How the association's paper looks: its logo and who signs certificates. One row (pk 1),
    made by the migration and edited in the admin. Images are kept as PNG bytes that
    forums.images re-encoded from the upload, so nothing of the uploaded file survives but its
    pixels; they are small (forums.images limits them) and every process reads the same row."""

    SINGLETON_PK = 1

    logo = models.BinaryField(_("logo (PNG)"), blank=True, default=b"")
    signatory_name = models.CharField(
        _("signatory's name"),
        max_length=120,
        blank=True,
        help_text=_("Printed under the signature line of certificates of attendance."),
    )
    signatory_title = models.CharField(
        _("signatory's title"), max_length=120, blank=True, help_text=_("e.g. Programme Director")
    )
    signature = models.BinaryField(_("signature (PNG)"), blank=True, default=b"")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("branding")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="branding_is_a_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Branding"))
