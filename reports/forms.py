from django import forms
from django.utils.translation import gettext_lazy as _


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The figures as they stood at the end of this day. Leave empty for today."),
        error_messages={
            "invalid": _("Enter a date as YYYY-MM-DD, for example 2017-10-24."),
        },
    )
