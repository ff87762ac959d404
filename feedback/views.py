"""The answering page, reached through the personal link of an invitation (anyone holding the
link stands for the person invited, whoever is logged in), and the results pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import Actor
from config.params import BadInput, read_id, read_text
from feedback import charts, exports, permissions, selectors, services
from feedback.enums import CommentReview, SurveyStatus
from feedback.forms import AnswerForm
from feedback.models import Survey, SurveyInvitation
from forums.models import Forum


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
            "intro": survey.intro,
        },
    )


def _results_access(request: HttpRequest, slug: str) -> tuple[Forum, permissions.ResultsAccess]:
    """The forum and what this user may see of its results; 404 for those who may see none."""
    forum = get_object_or_404(Forum, slug=slug)
    access = permissions.results_access(request.user, forum)
    if access is None:
        raise Http404("No results at this address.")
    return forum, access


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum, access = _results_access(request, slug)
    survey = Survey.objects.filter(forum=forum).first()
    context = {"forum": forum, "access": access, "survey": survey, "results": None}
    if survey is not None:
        results = selectors.survey_results(
            survey,
            workshop_ids=access.workshop_ids,
            names=access.names,
            moderated=access.moderated,
        )
        rows = []
        for result in results.questions:
            drawing = charts.question_chart(result)
            svg = (
                charts.to_svg(drawing, title=result.question.text, name=f"q{result.question.pk}")
                if drawing
                else ""
            )
            rows.append((result, svg))
        context.update(results=results, rows=rows, small_n=selectors.SMALL_N)
    return render(request, "feedback/results.html", context)


@require_GET
def results_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum, access = _results_access(request, slug)
    survey = Survey.objects.filter(forum=forum).first()
    if not access.export or survey is None or file_format not in exports.FILE_FORMATS:
        raise Http404("No export at this address.")
    content = exports.export_results(survey, file_format=file_format, with_emails=access.names)
    content_type = (
        "text/csv; charset=utf-8"
        if file_format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    filename = exports.export_filename(forum_slug=forum.slug, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The longest comment the secretariat may type in place of one.
COMMENT_MAX_LENGTH = 5000
_REVIEW_STATES = (CommentReview.PUBLISHED, CommentReview.PRIVATE, CommentReview.HIDDEN)


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat's review of a forum's free-text answers: publish, keep private or hide
    each (or publish all not reviewed yet), and redact names and e-mail addresses."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_review_comments(request.user):
        raise Http404("No review at this address.")
    forum = get_object_or_404(Forum, slug=slug)
    survey = get_object_or_404(Survey, forum=forum)
    if request.method == "POST":
        try:
            message = _review_action(request, survey)
        except BadInput as refused:
            return render(
                request,
                "feedback/review.html",
                _review_context(forum, survey, error=str(refused)),
                status=400,
            )
        messages.success(request, message)
        return redirect("feedback:review", slug=forum.slug)
    return render(request, "feedback/review.html", _review_context(forum, survey))


def _review_context(forum: Forum, survey: Survey, error: str = "") -> dict:
    answers = (
        services.review_answers(survey)
        .select_related("question", "workshop")
        .order_by("question__position", "question_id", "workshop__code", "id")
    )
    return {
        "forum": forum,
        "survey": survey,
        "answers": answers,
        "states": _REVIEW_STATES,
        "error": error,
    }


def _review_action(request: HttpRequest, survey: Survey) -> str:
    """Do what the posted form asks; BadInput for anything else (nothing changed)."""
    by = Actor.of(request.user)
    action = request.POST.get("action")
    if action == "publish_all":
        ids = list(
            services.review_answers(survey)
            .filter(review=CommentReview.NOT_REVIEWED)
            .values_list("pk", flat=True)
        )
        count = services.comment_review(
            survey=survey, answer_ids=ids, review=CommentReview.PUBLISHED, by=by
        )
        return _("%(count)s comments published.") % {"count": count}
    answer_id = read_id(request.POST.get("answer"))
    answer = (
        services.review_answers(survey)
        .select_related("response__survey__forum")
        .filter(pk=answer_id)
        .first()
        if answer_id is not None
        else None
    )
    if answer is None:
        raise BadInput(_("No such comment in this forum's feedback."))
    if action in _REVIEW_STATES:
        services.comment_review(survey=survey, answer_ids=[answer.pk], review=action, by=by)
        return _("Comment marked: %(state)s.") % {"state": CommentReview(action).label}
    if action == "redact":
        changed = services.comment_redact(answer=answer, by=by)
        return _("Names and e-mail addresses redacted.") if changed else _("Nothing to redact.")
    if action == "edit":
        text = read_text(request.POST.get("text"), max_length=COMMENT_MAX_LENGTH)
        services.comment_redact(answer=answer, by=by, text=text)
        return _("Comment saved.")
    raise BadInput(_("Choose what to do with the comment."))
