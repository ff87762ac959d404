from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from attendance.services import AFTER_THE_DAY_REASON_MAX_LENGTH
from config.params import BadInput, read_id, read_text
from forums.models import Forum
from forums.text import TextValidator
from registrations.enums import RegistrationStatus
from registrations.forms import CountrySelect, WorkshopChoiceMixin
from registrations.models import Registration
from registrations.services import OVERRIDE_REASON_MAX_LENGTH
from workshops.models import Workshop
from workshops.selectors import Slot

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _text(label: "StrOrPromise", max_length: int, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, validators=[TextValidator()]
    )


class WalkInForm(WorkshopChoiceMixin, forms.Form):
    """The few details taken at the door, and a workshop per time slot. `override`: the
    secretariat's field for letting someone in beyond a full forum or workshop."""

    first_name = _text(_("First name"), 100)
    last_name = _text(_("Last name (if any)"), 100, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("Without an e-mail the person gets no confirmation, survey or certificate."),
        error_messages={"invalid": _("Enter an e-mail address such as name@company.com.")},
    )
    company_name = _text(_("Company"), 200)
    country = CountryField(blank=False).formfield(label=_("Country"), widget=CountrySelect)
    consent = forms.BooleanField(
        label=_("The person agrees that their data is processed to run this forum"),
        error_messages={"required": _("Ask the person and tick this box: it is required.")},
    )

    def __init__(self, *args, slots: list[Slot], zone, override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_slot_fields(slots, zone)
        # A walk-in never waits: a full workshop is only "full".
        for slot in slots:
            field = self.fields[f"slot_{slot.number}"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("No workshop in this slot"))] + [
                (
                    str(workshop.pk),
                    f"{workshop.code} · {workshop.title} ("
                    + str(
                        _("Full")
                        if workshop.is_full
                        else _("%(count)s seats left") % {"count": workshop.seats_left}
                    )
                    + ")",
                )
                for workshop in slot.workshops
            ]
        if override:
            self.fields["override_reason"] = forms.CharField(
                label=_("Override capacity: reason"),
                max_length=OVERRIDE_REASON_MAX_LENGTH,
                required=False,
                validators=[TextValidator()],
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Only when a place is full: say why this person may come in. The limit is "
                    "raised by one and your reason is recorded."
                ),
            )

    def clean(self):
        # Not the registration form's check for workshops that filled up: there is no waiting
        # list to join here, and a full workshop is refused by the service, by name.
        return forms.Form.clean(self)

    @property
    def any_full(self) -> bool:
        return any(workshop.is_full for slot in self.slots for workshop in slot.workshops)


# How a check-in sent to the endpoint may have been made: a badge read (camera, hand scanner)
# or a person picked from the search.
PAGE_SOURCES = (CheckInSource.SCAN, CheckInSource.SEARCH)


class CheckInRequestForm(forms.Form):
    """The check-in endpoint's JSON body (docs/checkin.md), given as the dict that
    config.params.read_json_object made of it. Each field takes the JSON value as it came (a
    number is not a text, a text not a number) and its error says what the field must be."""

    code = forms.Field(required=False)
    nonce = forms.Field(required=False)
    workshop = forms.Field(required=False)
    device = forms.Field(required=False)
    source = forms.Field(required=False)

    # A badge's code is 20 characters; a longer text is answered "malformed", up to this.
    CODE_MAX_LENGTH = 1000

    def __init__(self, payload: dict[str, Any], *, forum: Forum) -> None:
        super().__init__(data=payload)
        self.forum = forum

    def clean_code(self) -> str:
        try:
            return read_text(self.cleaned_data["code"], max_length=self.CODE_MAX_LENGTH)
        except BadInput:
            raise ValidationError(
                _("“code” is required: the text of the badge's QR code.")
            ) from None

    def clean_nonce(self) -> str:
        try:
            return read_text(self.cleaned_data["nonce"], max_length=64)
        except BadInput:
            raise ValidationError(
                _("“nonce” is required: a text of 1 to 64 characters, new per scan.")
            ) from None

    def clean_workshop(self) -> Workshop | None:
        value = self.cleaned_data["workshop"]
        if value is None:
            return None
        if not _is_number(value):
            raise ValidationError(_("“workshop” must be a workshop's id (a number), or absent."))
        pk = read_id(value)
        workshop = Workshop.objects.filter(forum=self.forum, pk=pk).first() if pk else None
        if workshop is None:
            raise ValidationError(_("This forum has no workshop with id %(id)s.") % {"id": value})
        return workshop

    def clean_device(self) -> str:
        value = self.cleaned_data["device"]
        try:
            return read_text(value, max_length=100, required=False)
        except BadInput:
            raise ValidationError(
                _("“device” must be a text of at most 100 characters, or absent.")
            ) from None

    def clean_source(self) -> str:
        value = self.cleaned_data["source"]
        if value is None:
            return CheckInSource.SCAN
        if value not in PAGE_SOURCES:
            raise ValidationError(_("“source” must be “scan” or “search”, or absent."))
        return str(value)

    def first_error(self) -> str:
        """The first field's message: what the endpoint answers in `error`."""
        return next(str(errors[0]) for errors in self.errors.values())


class UndoRequestForm(forms.Form):
    """The undo endpoint's JSON body: {"checkin": <id>}."""

    checkin = forms.Field(required=False)

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(data=payload)

    def clean_checkin(self) -> int:
        # Any JSON number that is a whole number; one out of every id's range is no one's (404).
        value = self.cleaned_data["checkin"]
        if not _is_number(value):
            raise ValidationError(_("“checkin” is required: the id of the check-in to undo."))
        return value


def _is_number(value: object) -> bool:
    """A JSON whole number: not a text of digits, not true or false."""
    return isinstance(value, int) and not isinstance(value, bool)


class AfterTheDayForm(forms.Form):
    """The secretariat's form for recording attendance after the day: who, and why."""

    registrations = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=Registration.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one person."),
            "invalid_choice": _("Choose people from the list."),
            "invalid_pk_value": _("Choose people from the list."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=AFTER_THE_DAY_REASON_MAX_LENGTH,
        validators=[TextValidator()],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: why this attendance is recorded now (kept with each check-in)."),
    )

    def __init__(self, *args, forum: Forum, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["registrations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # Confirmed registrations without a door check-in: the only ones this can change.
        field.queryset = (
            Registration.objects.filter(forum=forum, status=RegistrationStatus.CONFIRMED)
            .filter(
                ~Exists(
                    CheckIn.objects.filter(
                        registration=OuterRef("pk"), workshop__isnull=True, undone_at__isnull=True
                    )
                )
            )
            .select_related("person", "company")
            .order_by("person__last_name", "person__first_name", "pk")
        )
        field.label_from_instance = _person_and_company  # type: ignore[method-assign,assignment]


def _person_and_company(registration: Registration) -> str:
    company = registration.company
    return registration.person.full_name + (f" · {company.name}" if company else "")
