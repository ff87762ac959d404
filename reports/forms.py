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
