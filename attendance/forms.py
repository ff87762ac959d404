from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from forums.text import TextValidator
from registrations.forms import CountrySelect, WorkshopChoiceMixin
from registrations.services import OVERRIDE_REASON_MAX_LENGTH
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
