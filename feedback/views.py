"""The answering page, reached through the personal link of an invitation. Anyone holding the
link stands for the person invited, whoever is logged in."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from feedback import selectors, services
from feedback.enums import SurveyStatus
from feedback.forms import AnswerForm
from feedback.models import SurveyInvitation


def _problem(request: HttpRequest, reason: str, invitation: SurveyInvitation | None = None):
    """A page that says why the survey cannot be answered through this link."""
    return render(
        request,
        "feedback/problem.html",
        {
            "reason": reason,
            "survey": invitation.survey if invitation else None,
            "forum": invitation.survey.forum if invitation else None,
        },
        status=404 if reason == "invalid" else 200,
    )


def _use_registrant_language(request: HttpRequest, invitation: SurveyInvitation) -> None:
    """The registrant's language, unless this browser chose one with the language switch."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    language = invitation.registration.language
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _state(invitation: SurveyInvitation) -> str | None:
    """Why the survey cannot be answered now, or None."""
    survey = invitation.survey
    if survey.status == SurveyStatus.DRAFT:
        return services.NOT_OPEN
    if not selectors.survey_accepting_answers(survey):
        return services.CLOSED
    if not selectors.registration_attended(invitation.registration):
        return services.NOT_ATTENDED
    if survey.anonymous and invitation.responded_at is not None:
        return services.ALREADY_ANSWERED
    return None


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, secret: str) -> HttpResponse:
    invitation = selectors.invitation_from_secret(secret)
    if invitation is None:
        return _problem(request, "invalid")
    _use_registrant_language(request, invitation)
    state = _state(invitation)
    if state is not None:
        return _problem(request, state, invitation)
    survey = invitation.survey
    items = selectors.respondent_items(survey, invitation.registration)
    response = None if survey.anonymous else selectors.response_of(invitation)
    current = selectors.response_answers(response) if response is not None else None
    form = AnswerForm(
        request.POST if request.method == "POST" else None, items=items, current=current
    )
    if form.is_valid():
        try:
            services.response_submit(
                invitation=invitation,
                values=form.values(),
                language=translation.get_language() or "en",
            )
        except services.FeedbackRefused as refused:
            return _problem(request, refused.reason, invitation)
        messages.success(
            request,
            _("Thank you, your answers were sent.")
            if response is None
            else _("Thank you, your changes were saved."),
        )
        return redirect("feedback:answer", secret=secret)
    if form.is_bound:
        messages.error(request, _("Some answers need your attention: see the messages below."))
    return render(
        request,
        "feedback/answer.html",
        {
            "invitation": invitation,
            "survey": survey,
            "forum": survey.forum,
            "person": invitation.registration.person,
            "form": form,
            "editing": response is not None,
            "intro": survey.intro_es
            if (translation.get_language() or "en").startswith("es")
            else survey.intro_en,
        },
    )
