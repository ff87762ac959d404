"""The secretariat's workspace: a start page (what needs attention, then the forums, upcoming
first) and one page per forum that shows where the forum is in its life and links every tool
each stage needs. Forum managers only (accounts.permissions.can_run_forums, which asks for the
second factor); everyone else gets 404, as on the secretariat's other pages."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import can_read_reports, can_run_forums
from audit.services import Actor
from desk.selectors import STAGES, attention, desk_forum, desk_forums, past_forums, upcoming_forums
from feedback import services as feedback_services
from feedback.models import Survey
from feedback.selectors import survey_emails_to_send
from forums.models import Forum
from registrations.exports import export_response
from registrations.models import Registration

# How many past forums the start page lists; the admin's forum list has them all.
PAST_SHOWN = 10


def _allowed(request: HttpRequest) -> HttpResponse | None:
    """None when the visitor may use the desk; else the answer to give."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_run_forums(request.user):
        raise Http404("No page at this address.")
    return None


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    if (refused := _allowed(request)) is not None:
        return refused
    now = timezone.now()
    return render(
        request,
        "desk/start.html",
        {
            "attention": attention(now),
            "upcoming": desk_forums(upcoming_forums(now), now),
            "past": desk_forums(past_forums(now)[:PAST_SHOWN], now),
            "past_total": past_forums(now).count(),
            "reports": can_read_reports(request.user),
        },
    )


@require_GET
def forum(request: HttpRequest, slug: str) -> HttpResponse:
    if (refused := _allowed(request)) is not None:
        return refused
    forum = get_object_or_404(Forum, slug=slug)
    now = timezone.now()
    item = desk_forum(forum, now)
    survey = Survey.objects.filter(forum=forum).first()
    reached = [key for key, _name, _meaning in STAGES].index(item.stage)
    return render(
        request,
        "desk/forum.html",
        {
            "forum": forum,
            "item": item,
            "stages": [
                {"key": key, "name": name, "meaning": meaning, "done": i < reached}
                for i, (key, name, meaning) in enumerate(STAGES)
            ],
            "survey": survey,
            "held": item.stage in ("held", "feedback", "reported"),
        },
    )


SURVEY_ACTIONS = {
    "create": _("Create the survey"),
    "open": _("Open the survey and invite everyone checked in"),
    "invite": _("Invite those checked in since the survey opened"),
    "remind": _("Send the reminder to those who have not answered"),
    "close": _("Close the survey"),
}


@require_http_methods(["GET", "POST"])
def survey_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """A confirmation page saying how many people the action will e-mail (GET), then the action
    (POST). Every survey action that e-mails people goes through here; the admin's survey
    actions send the secretariat here too."""
    if (refused := _allowed(request)) is not None:
        return refused
    if action not in SURVEY_ACTIONS:
        raise Http404("No such action.")
    forum = get_object_or_404(Forum, slug=slug)
    survey = Survey.objects.filter(forum=forum).first()
    if (survey is None) != (action == "create"):
        messages.error(
            request,
            _("This forum has a survey already.")
            if survey is not None
            else _("Create the survey first."),
        )
        return redirect("desk:forum", slug=forum.slug)
    emailed = survey_emails_to_send(survey, action) if survey is not None else 0
    # Only the button (confirm=yes) acts; any other POST shows the page again.
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        by = Actor.of(request.user)
        try:
            if survey is None:
                feedback_services.survey_create(forum=forum, by=by)
                message = _("The survey is created; nobody was e-mailed.")
            elif action == "open":
                count = feedback_services.survey_open(survey=survey, by=by)
                message = _("The survey is open; %(count)d people are being e-mailed.") % {
                    "count": count
                }
            elif action == "invite":
                count = feedback_services.survey_invite_new_attendees(survey=survey, by=by)
                message = _("%(count)d more people are being e-mailed.") % {"count": count}
            elif action == "remind":
                if feedback_services.survey_remind(survey=survey, by=by):
                    message = _("The reminder is being sent to those who have not answered.")
                else:
                    raise feedback_services.FeedbackRefused(
                        "reminded", _("The reminder was already sent, or the survey is not open.")
                    )
            else:
                feedback_services.survey_close(survey=survey, by=by)
                message = _("The survey is closed; nobody was e-mailed.")
        except feedback_services.FeedbackRefused as refused_action:
            messages.error(request, str(refused_action))
        else:
            messages.success(request, message)
        return redirect("desk:forum", slug=forum.slug)
    return render(
        request,
        "desk/survey_confirm.html",
        {
            "forum": forum,
            "survey": survey,
            "action": action,
            "title": SURVEY_ACTIONS[action],
            "emailed": emailed,
        },
    )


@require_GET
def export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """The forum's registrations as a spreadsheet: the admin's export, for one forum."""
    if (refused := _allowed(request)) is not None:
        return refused
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such format.")
    forum = get_object_or_404(Forum, slug=slug)
    return export_response(
        Registration.objects.filter(forum=forum), file_format=file_format, slugs=[forum.slug]
    )
