from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class InvitationSendForm(forms.Form):
    """The confirmation before invitations go out: which language they are written in."""

    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )
