from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import Forum


class ForumFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (country.code, country.name) for country in options["countries"]
        ]
        self.fields["year"].choices = [("", _("All years"))] + [
            (year, str(year)) for year in options["years"]
        ]
        self.fields["theme"].choices = [("", _("All themes"))] + [
            (theme, theme) for theme in options["themes"]
        ]


class DuplicateForumForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start (forum's local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    title = forms.CharField(label=_("New title"), max_length=200, required=False)
    slug = forms.SlugField(label=_("New slug"), max_length=80, required=False)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Forum.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another forum already uses this slug."))
        return slug
