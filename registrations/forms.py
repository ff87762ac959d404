from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.template.defaultfilters import date as format_date
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_countries.widgets import LazySelect
from import_export.forms import ConfirmImportForm, ImportForm

from config.params import BadInput, read_text
from forums.models import Forum
from forums.text import TextValidator
from registrations.enums import MaturityStage, ParticipantCategory, QuestionKind, RsjModule
from registrations.maturity import STAGE_DESCRIPTIONS
from registrations.models import ANSWER_TEXT_MAX_LENGTH, RegistrationAnswer, RegistrationQuestion
from registrations.spreadsheets import SpreadsheetError, check_size
from workshops.selectors import Slot

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from registrations.services import RegistrantDetails

    # The mixin below is only ever mixed into a Form; this lets the checker follow super().
    _Form = forms.Form
else:
    _Form = object


# The workshops shown full travel back as ids separated by commas: a forum has a few dozen.
SEEN_FULL_MAX = 2_000


class SlotRadioSelect(forms.RadioSelect):
    """A slot's radios: none checked when nothing was chosen yet (Django would check the empty
    choice, "No workshop in this slot")."""

    def format_value(self, value):
        if value is None:
            return []
        return super().format_value(value)


class WorkshopChoiceMixin(_Form):
    """One radio group per time slot: a workshop, or none."""

    def add_slot_fields(
        self, slots: list[Slot], zone, initial: dict[int, int] | None = None
    ) -> None:
        self.slots = slots
        # A new registration starts with no answer in any slot (not "No workshop in this
        # slot"); a registration being changed starts from its choices, "none" included.
        changing = initial is not None
        initial = initial or {}
        self.held = set(initial.values())
        for slot in slots:
            choices: list[tuple[str, StrOrPromise]] = [("", _("No workshop in this slot"))]
            for workshop in slot.workshops:
                state: StrOrPromise
                if workshop.is_full:
                    state = _("Full – join the waiting list")
                else:
                    state = _("%(count)s seats left") % {"count": workshop.seats_left}
                choices.append((str(workshop.pk), f"{workshop.code} · {workshop.title} ({state})"))
            label = _("Workshop %(start)s–%(end)s") % {
                "start": format_date(localtime(slot.starts_at, zone), "H:i"),
                "end": format_date(localtime(slot.ends_at, zone), "H:i"),
            }
            self.fields[f"slot_{slot.number}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=SlotRadioSelect,
                initial=str(initial.get(slot.number, "")) if changing else None,
            )

    @property
    def full_ids(self) -> str:
        """The workshops shown as full, sent back with the form (see clean)."""
        return ",".join(str(w.pk) for slot in self.slots for w in slot.workshops if w.is_full)

    def clean(self):
        # A workshop that filled up after the page was shown: say so, rather than silently put
        # the person on its waiting list. Choosing it again (now marked full) is a clear yes.
        cleaned = super().clean()
        assert cleaned is not None  # the forms this joins return their cleaned_data
        try:
            shown = read_text(self.data.get("seen_full"), max_length=SEEN_FULL_MAX, required=False)
        except BadInput:
            shown = ""  # not what the page sent: as if no workshop had been shown full
        seen_full = set(shown.split(","))
        for slot in self.slots:
            value = cleaned.get(f"slot_{slot.number}")
            for workshop in slot.workshops:
                if (
                    str(workshop.pk) == value
                    and workshop.is_full
                    and value not in seen_full
                    and workshop.pk not in self.held
                ):
                    self.add_error(
                        f"slot_{slot.number}",
                        _(
                            "%(code)s · %(title)s filled up while you were choosing. Choose "
                            "another workshop, or choose it again to join its waiting list."
                        )
                        % {"code": workshop.code, "title": workshop.title},
                    )
        return cleaned

    def chosen_workshops(self) -> list:
        by_id = {str(w.pk): w for slot in self.slots for w in slot.workshops}
        return [
            by_id[self.cleaned_data[f"slot_{slot.number}"]]
            for slot in self.slots
            if self.cleaned_data.get(f"slot_{slot.number}")
        ]

    def slot_fields(self):
        return [self[f"slot_{slot.number}"] for slot in self.slots]


def _text(label, max_length: int, *, required: bool = True, **kwargs) -> forms.CharField:
    """A typed-text field: at most what its column holds, with something visible in it, and no
    characters that turn the direction of the text around it (see forums.text)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[TextValidator()],
        **kwargs,
    )


class CountrySelect(LazySelect):
    """The list of some 250 countries, the same for everyone but for the one chosen: its HTML
    takes longer to render than the rest of the registration form, so it is rendered once per
    language, choice and attributes, and kept in the process."""

    rendered: dict[tuple, str] = {}
    KEEP = 200  # entries; past that the memory starts again

    def render(self, name, value, attrs=None, renderer=None):
        value = "" if value is None else str(value)
        if value and not (len(value) == 2 and value.isascii() and value.isupper()):
            return super().render(name, value, attrs, renderer)  # not a country code: not kept
        key = (
            translation.get_language(),
            name,
            value,
            tuple(sorted({**self.attrs, **(attrs or {})}.items())),
            self.is_required,
        )
        html = self.rendered.get(key)
        if html is None:
            if len(self.rendered) >= self.KEEP:
                self.rendered.clear()
            html = self.rendered[key] = super().render(name, value, attrs, renderer)
        return html


class QuestionFieldsMixin(_Form):
    """The forum's own questions (those not hidden), one field each, named by the question's
    id. A choice is sent and checked by its id, so a label corrected meanwhile changes nothing."""

    questions: list[RegistrationQuestion]

    def add_question_fields(
        self,
        questions: list[RegistrationQuestion],
        answers: list[RegistrationAnswer] | None = None,
    ) -> None:
        """`questions` with their choices prefetched; `answers`, with theirs, fill the fields
        in (the manage page)."""
        self.questions = [
            q for q in questions if not q.hidden and (q.choices.all() or not q.has_choices)
        ]
        given = {answer.question_id: answer for answer in answers or []}
        for question in self.questions:
            answer = given.get(question.pk)
            field: forms.Field
            if question.kind == QuestionKind.TEXT:
                field = _text(
                    question.label,
                    ANSWER_TEXT_MAX_LENGTH,
                    required=question.required,
                    initial=answer.text if answer else "",
                )
            elif question.kind == QuestionKind.YES_NO:
                initial = (
                    "" if answer is None or answer.yes is None else ("yes" if answer.yes else "no")
                )
                field = forms.ChoiceField(
                    label=question.label,
                    choices=[("yes", _("Yes")), ("no", _("No"))],
                    required=question.required,
                    widget=forms.RadioSelect,
                    initial=initial,
                )
            else:
                choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
                chosen = [str(choice.pk) for choice in answer.choices.all()] if answer else []
                if question.kind == QuestionKind.ONE_CHOICE:
                    field = forms.ChoiceField(
                        label=question.label,
                        choices=choices,
                        required=question.required,
                        widget=forms.RadioSelect,
                        initial=chosen[0] if chosen else "",
                    )
                else:
                    field = forms.MultipleChoiceField(
                        label=question.label,
                        choices=choices,
                        required=question.required,
                        widget=forms.CheckboxSelectMultiple,
                        initial=chosen,
                    )
            if not question.required:
                field.label = format_lazy("{} {}", question.label, _("(optional)"))
            self.fields[self.question_field_name(question)] = field

    @staticmethod
    def question_field_name(question: RegistrationQuestion) -> str:
        return f"question_{question.pk}"

    def question_fields(self):
        return [self[self.question_field_name(question)] for question in self.questions]

    def answers(self) -> dict[str, str | list[str]]:
        """What was answered, by question id (see services.RegistrantDetails.answers); a
        question left unanswered is left out, which clears an earlier answer to it."""
        answered: dict[str, str | list[str]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.question_field_name(question))
            if value:
                answered[str(question.pk)] = value
        return answered


class DetailsForm(QuestionFieldsMixin, forms.Form):
    first_name = _text(_("First name"), 100)
    last_name = _text(_("Last name"), 100)
    job_title = _text(_("Job title"), 200)
    company_name = _text(_("Company"), 200)
    country = CountryField(blank=False).formfield(label=_("Country"), widget=CountrySelect)
    phone = _text(
        _("Phone (optional)"),
        40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    dietary_needs = _text(_("Dietary needs (optional)"), 300, required=False)
    accessibility_needs = _text(_("Accessibility needs (optional)"), 300, required=False)
    category = forms.ChoiceField(
        label=_("You come as (optional)"),
        choices=[("", _("Choose if you wish"))] + ParticipantCategory.choices,
        required=False,
    )

    def __init__(
        self,
        *args,
        questions: list[RegistrationQuestion] | None = None,
        answers: list[RegistrationAnswer] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.add_question_fields(questions or [], answers)
        autocomplete = {
            "first_name": "given-name",
            "last_name": "family-name",
            "job_title": "organization-title",
            "company_name": "organization",
            "country": "country",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        # static/registrations/country-filter.js puts a search box, labelled so, above it.
        self.fields["country"].widget.attrs["data-country-filter"] = _("Type to find your country")


class RegistrationForm(WorkshopChoiceMixin, DetailsForm):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address such as name@company.com.")},
    )
    consent = forms.BooleanField(
        label=_("I agree that my data is processed to run this forum (required)"),
        error_messages={
            "required": _("Please tick this box: we cannot register you without your consent.")
        },
    )
    field_order = ["first_name", "last_name", "email", "job_title", "company_name", "country"]

    def __init__(self, *args, slots: list[Slot], zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_slot_fields(slots, zone)
        self.add_maturity_fields()

    def add_maturity_fields(self) -> None:
        """The optional self-assessment: one radio group per module of the Responsible
        Sourcing Journey, each stage with the journey's one-line description."""
        for module in RsjModule:
            choices: list[tuple[str, StrOrPromise]] = [("", _("I prefer not to say"))]
            choices += [
                (
                    str(stage.value),
                    format_lazy("{} – {}", stage.label, STAGE_DESCRIPTIONS[module, stage]),
                )
                for stage in MaturityStage
            ]
            self.fields[module.field_name] = forms.TypedChoiceField(
                label=module.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial="",
            )

    def maturity_fields(self):
        return [self[module.field_name] for module in RsjModule]

    @property
    def maturity_errors(self) -> bool:
        return any(module.field_name in self.errors for module in RsjModule)

    def maturity(self) -> dict[str, int]:
        """The stages answered, by module."""
        return {
            module.value: self.cleaned_data[module.field_name]
            for module in RsjModule
            if self.cleaned_data.get(module.field_name) is not None
        }


class WorkshopChangeForm(WorkshopChoiceMixin, forms.Form):
    def __init__(self, *args, slots: list[Slot], zone, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.add_slot_fields(slots, zone, initial=current)


class ResendLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={"invalid": _("Enter an e-mail address such as name@company.com.")},
    )


class AttendanceImportForm(ImportForm):
    forum = forms.ModelChoiceField(
        queryset=Forum.objects.order_by("-starts_at"),
        help_text="Past forums take the list as history; upcoming ones apply seat limits.",
    )
    field_order = ["forum", "resource", "format", "import_file"]

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size, settings.MAX_UPLOAD_BYTES)
        except SpreadsheetError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class AttendanceConfirmForm(ConfirmImportForm):
    forum = forms.ModelChoiceField(queryset=Forum.objects.all(), widget=forms.HiddenInput)


def registrant_details(data: dict) -> "RegistrantDetails":
    """The RegistrantDetails of a cleaned DetailsForm (with its e-mail, where the form has one),
    in the language the page is shown in."""
    from registrations.services import RegistrantDetails

    return RegistrantDetails(
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data.get("email", ""),
        company_name=data["company_name"],
        country=data["country"],
        job_title=data["job_title"],
        phone=data["phone"],
        dietary_needs=data["dietary_needs"],
        accessibility_needs=data["accessibility_needs"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        category=data.get("category", ""),
    )
