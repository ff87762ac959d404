import zoneinfo
from datetime import datetime
from typing import TYPE_CHECKING, cast

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from forums.images import image_reencoded
from forums.models import Branding, Forum

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def zone_label(zone: zoneinfo.ZoneInfo, moment: datetime | None = None) -> str:
    """The zone's name with its abbreviation at that moment (or now): "Asia/Kuala_Lumpur (+08)",
    "Europe/Madrid (CEST)"."""
    local = (moment or timezone.now()).astimezone(zone)
    return f"{zone.key} ({local.tzname()})"


def local_time_label(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """A moment as the forum's people see it: "2017-10-24 08:30 Asia/Kuala_Lumpur (+08)"."""
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} {zone_label(zone, moment)}"


def zone_note(zone: zoneinfo.ZoneInfo | None, value=None) -> str:
    """The zone that times are typed in (its abbreviation at `value`, a moment, if given), or
    that they are in the forum's zone, in a span of class "time-zone"."""
    text: StrOrPromise
    if zone is None:
        text = _("in the forum's time zone")
    else:
        text = zone_label(zone, value if isinstance(value, datetime) else None)
    return format_html('<span class="time-zone help">{}</span>', text)


class ForumZoneSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, showing a moment in a forum's zone (not the server's).
    Each input is named for screen readers ("Starts at (date)", "Starts at (time,
    Asia/Bangkok)"): the field's <label> cannot point at two inputs. The zone is named beside
    them too unless `note` is false, where the page names it once for all its times. The date
    pickers' own note on the difference from the browser's time is hidden
    (static/forums/admin/forum_zone.css): these times are the forum's, not the browser's.
    Without a zone (a form whose forum is not chosen yet) they say the forum's zone applies."""

    class Media:
        css = {"all": ["forums/admin/forum_zone.css"]}

    def __init__(self, zone: zoneinfo.ZoneInfo | None = None, attrs=None, *, note: bool = True):
        self.zone = zone
        self.note = note
        super().__init__(attrs)

    def name_inputs(self, label) -> None:
        """Gives the date and the time input their accessible names, from the field's label."""
        date_input, time_input = self.widgets
        date_input.attrs["aria-label"] = format_lazy(_("{label} (date)"), label=label)
        if self.zone is None:
            time_name = format_lazy(_("{label} (time, in the forum's time zone)"), label=label)
        else:
            time_name = format_lazy(_("{label} (time, {zone})"), label=label, zone=self.zone.key)
        time_input.attrs["aria-label"] = time_name

    def decompress(self, value):
        if self.zone is None:
            return super().decompress(value)
        with timezone.override(self.zone):
            return super().decompress(value)

    def render(self, name, value, attrs=None, renderer=None):
        widget = super().render(name, value, attrs, renderer)
        if not self.note:
            return widget
        return format_html("{} {}", widget, zone_note(self.zone, value))


class ForumZoneSplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time typed in a forum's zone. The zone is the field's own, so what is read
    and what is shown do not depend on the time zone active when the form is rendered."""

    def __init__(self, *, zone: zoneinfo.ZoneInfo | None = None, note: bool = True, **kwargs):
        self.zone = zone
        kwargs["widget"] = ForumZoneSplitDateTime(zone, note=note)
        super().__init__(**kwargs)
        # The field's own copy of the widget, now that the label is known.
        cast(ForumZoneSplitDateTime, self.widget).name_inputs(self.label)

    def compress(self, data_list):
        if self.zone is None:
            return super().compress(data_list)
        with timezone.override(self.zone):
            return super().compress(data_list)


class ForumFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("All countries"))] + [
            (country.code, country.name) for country in options["countries"]
        ]
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", _("All years"))] + [
            (year, str(year)) for year in options["years"]
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", _("All themes"))] + [
            (theme, theme) for theme in options["themes"]
        ]


class ForumZoneDateTimeField(forms.DateTimeField):
    """One date-time input read and shown in a forum's zone, named in its help text."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *, zone: zoneinfo.ZoneInfo, **kwargs):
        self.zone = zone
        super().__init__(**kwargs)

    def prepare_value(self, value):
        with timezone.override(self.zone):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(self.zone):
            return super().to_python(value)


class DuplicateForumForm(forms.Form):
    """Where a forum's copy goes: its start, typed in the forum's zone (the agenda and workshops
    move with it), and optionally a new title and slug."""

    title = forms.CharField(label=_("New title"), max_length=200, required=False)
    slug = forms.SlugField(label=_("New slug"), max_length=80, required=False)

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "starts_at": ForumZoneDateTimeField(
                zone=forum.zone,
                label=_("New start (forum's local time)"),
                initial=forum.starts_at,
                help_text=zone_note(forum.zone, forum.starts_at),
            ),
            **self.fields,
        }

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Forum.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another forum already uses this slug."))
        return slug


class BrandingForm(forms.ModelForm):
    """The association's logo and certificate signatory. Images are uploaded as files and kept
    only as forums.images re-encodes them; a new upload replaces the old image."""

    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 2 MB. Printed on certificates, badges and reports."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    signature_upload = forms.FileField(
        label=_("Signature"),
        required=False,
        help_text=_("PNG or JPEG, at most 2 MB, ideally on a transparent or white background."),
    )
    remove_signature = forms.BooleanField(label=_("Remove the signature"), required=False)

    class Meta:
        model = Branding
        fields = ["signatory_name", "signatory_title"]

    def clean_logo_upload(self) -> bytes | None:
        upload = self.cleaned_data.get("logo_upload")
        return image_reencoded(upload) if upload else None

    def clean_signature_upload(self) -> bytes | None:
        upload = self.cleaned_data.get("signature_upload")
        return image_reencoded(upload) if upload else None

    def save(self, commit: bool = True) -> Branding:
        branding = super().save(commit=False)
        for image, remove in (("logo", "remove_logo"), ("signature", "remove_signature")):
            uploaded = self.cleaned_data.get(f"{image}_upload")
            if uploaded:
                setattr(branding, image, uploaded)
            elif self.cleaned_data.get(remove):
                setattr(branding, image, b"")
        if commit:
            branding.save()
        return branding
