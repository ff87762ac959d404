"""The secretariat's workspace: a start page (what needs attention, then the forums, upcoming
first) and one page per forum that shows where the forum is in its life and links every tool
each stage needs. Forum managers only (accounts.permissions.can_run_forums, which asks for the
second factor); everyone else gets 404, as on the secretariat's other pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import can_read_reports, can_run_forums
from attendance.selectors import attendance_state
from audit.services import Actor, audit_record
from config.params import read_id
from desk.selectors import STAGES, attention, desk_forum, desk_forums, past_forums, upcoming_forums
from feedback import services as feedback_services
from feedback.models import Survey
from feedback.selectors import survey_emails_to_send
from forums.models import Forum
from forums.text import TextValidator
from registrations import services as registrations_services
from registrations.enums import RegistrationSource, RegistrationStatus
from registrations.exports import export_response
from registrations.forms import (
    DetailsForm,
    WorkshopChangeForm,
    WorkshopChoiceMixin,
    registrant_details,
)
from registrations.models import Registration
from registrations.selectors import registration_overview
from registrations.services import OVERRIDE_REASON_MAX_LENGTH
from registrations.tokens import manage_token
from workshops.selectors import forum_slots

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


# --- acting for a registrant --------------------------------------------------------------------


class DeskWorkshopForm(WorkshopChangeForm):
    """The registrant's workshop choices, as on their own page, plus the secretariat's override:
    with a reason, a full workshop gives a seat beyond its limit instead of a waiting place."""

    override_reason = forms.CharField(
        label=_l("Give a seat even where the workshop is full, because (optional)"),
        max_length=OVERRIDE_REASON_MAX_LENGTH,
        required=False,
        validators=[TextValidator()],
    )

    def clean(self):
        # The secretariat sees how full each workshop is: no "filled up while choosing" step.
        return forms.Form.clean(self)


def _registration(request: HttpRequest, pk: str) -> Registration:
    registration_id = read_id(pk)
    if registration_id is None:
        raise Http404("No registration at this address.")
    return get_object_or_404(
        Registration.objects.select_related("forum", "person", "company"), pk=registration_id
    )


def _workshop_form(registration: Registration, data=None) -> DeskWorkshopForm:
    slots = forum_slots(registration.forum)
    slot_of = {w.pk: slot.number for slot in slots for w in slot.workshops}
    current = {
        slot_of[p.workshop_id]: p.workshop_id
        for p in registration.workshop_places.all()
        if p.workshop_id in slot_of
    }
    return DeskWorkshopForm(data, slots=slots, zone=registration.forum.zone, current=current)


def _registration_page(request, registration: Registration, form, status: int = 200):
    return render(
        request,
        "desk/registration.html",
        {
            "registration": registration,
            "forum": registration.forum,
            "overview": registration_overview(registration),
            "attendance": attendance_state(registration),
            "form": form,
            "changeable": registration.status != RegistrationStatus.CANCELLED
            and registration.forum.ends_at > timezone.now(),
        },
        status=status,
    )


@require_GET
def registration(request: HttpRequest, pk: str) -> HttpResponse:
    if (refused := _allowed(request)) is not None:
        return refused
    registration = _registration(request, pk)
    return _registration_page(request, registration, _workshop_form(registration))


@require_http_methods(["POST"])
def registration_workshops(request: HttpRequest, pk: str) -> HttpResponse:
    """Change a registrant's workshops for them; audited with the secretariat member."""
    if (refused := _allowed(request)) is not None:
        return refused
    registration = _registration(request, pk)
    if request.POST.get("save") != "yes":  # only the form's button saves
        return _registration_page(request, registration, _workshop_form(registration))
    form = _workshop_form(registration, request.POST)
    if form.is_valid():
        reason = form.cleaned_data["override_reason"].strip() or None
        try:
            registrations_services.registration_change_workshops(
                registration=registration,
                workshops=form.chosen_workshops(),
                by=Actor.of(request.user),
                override_reason=reason,
            )
        except registrations_services.RegistrationError as refused_change:
            form.add_error(None, str(refused_change))
        else:
            messages.success(
                request, _("The workshops are changed; the registrant is e-mailed the change.")
            )
            return redirect("desk:registration", pk=registration.pk)
    return _registration_page(request, registration, form, status=400)


@require_http_methods(["POST"])
def registration_resend(request: HttpRequest, pk: str) -> HttpResponse:
    """E-mail the registrant their confirmation (or waiting-list notice) again; audited."""
    if (refused := _allowed(request)) is not None:
        return refused
    registration = _registration(request, pk)
    if request.POST.get("confirm") == "yes":
        registrations_services.registration_resend(registration=registration)
        audit_record(by=Actor.of(request.user), action="registration.resent", subject=registration)
        messages.success(request, _("The confirmation is being sent again."))
    return redirect("desk:registration", pk=registration.pk)


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, pk: str) -> HttpResponse:
    """Cancel for the registrant: a page says who will be e-mailed, then only when confirmed.
    Audited (registrations.services.registration_cancel)."""
    if (refused := _allowed(request)) is not None:
        return refused
    registration = _registration(request, pk)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.error(request, _("This registration is cancelled already."))
        return redirect("desk:registration", pk=registration.pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        registrations_services.registration_cancel(
            registration=registration, by=Actor.of(request.user)
        )
        messages.success(request, _("The registration is cancelled; the registrant is e-mailed."))
        return redirect("desk:registration", pk=registration.pk)
    return render(
        request,
        "desk/registration_cancel.html",
        {"registration": registration, "forum": registration.forum},
    )


@require_http_methods(["POST"])
def registration_open(request: HttpRequest, pk: str) -> HttpResponse:
    """The registrant's own page, as they see it (its address holds their secret link, so it is
    never written into the desk's pages: this answers with a redirect to it)."""
    if (refused := _allowed(request)) is not None:
        return refused
    registration = _registration(request, pk)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.error(request, _("A cancelled registration has no page of its own."))
        return redirect("desk:registration", pk=registration.pk)
    return redirect("registrations:manage", token=manage_token(registration))


class AddRegistrationForm(WorkshopChoiceMixin, DetailsForm):
    email = forms.EmailField(label=_l("E-mail"), max_length=254)
    consent = forms.BooleanField(
        label=_l("They agreed that their data is used to run this forum (required)"),
        error_messages={"required": _l("Registering someone needs their agreement.")},
    )
    field_order = ["first_name", "last_name", "email", "job_title", "company_name", "country"]

    def __init__(self, *args, slots, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_slot_fields(slots, zone)

    def clean(self):
        return forms.Form.clean(self)


@require_http_methods(["GET", "POST"])
def registration_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Register someone by hand (a phone call, a paper form): the form's rules, seats and
    waiting lists apply; the registrant gets the usual confirmation; audited."""
    if (refused := _allowed(request)) is not None:
        return refused
    forum = get_object_or_404(Forum, slug=slug)
    form = AddRegistrationForm(request.POST or None, slots=forum_slots(forum), zone=forum.zone)
    if request.method == "POST" and form.is_valid():
        details = registrant_details(form.cleaned_data)
        try:
            outcome = registrations_services.registration_create(
                forum=forum,
                details=details,
                workshops=form.chosen_workshops(),
                source=RegistrationSource.SECRETARIAT,
                proven=True,
            )
        except registrations_services.RegistrationError as refused_registration:
            form.add_error(None, str(refused_registration))
        else:
            made = outcome.registration
            assert made is not None  # proven: never held
            if outcome.created:
                audit_record(
                    by=Actor.of(request.user), action="registration.added_by_hand", subject=made
                )
                messages.success(request, _("Registered; they are e-mailed a confirmation."))
            else:
                messages.error(request, _("This address is registered for this forum already."))
            return redirect("desk:registration", pk=made.pk)
    return render(
        request,
        "desk/registration_add.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )
