""" """

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.text import TextValidator
from reports.models import NEWS_DRAFT_MAX_LENGTH


class NewsDraftForm(forms.Form):
    text = forms.CharField(
        label=_("Draft article"),
        max_length=NEWS_DRAFT_MAX_LENGTH,
        validators=[TextValidator()],
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true", "class": "news-draft"}),
        help_text=_(
            "Edit the text, then save it to keep your changes, or copy it into the website."
        ),
    )


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
