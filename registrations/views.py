from dataclasses import replace
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from audit.services import Actor
from config.params import BadInput, read_text
from forums.cache import Rendered, forum_changes_at, public_page
from forums.enums import RegistrationWindow
from forums.models import Person, Sponsorship
from forums.views import visible_forum
from registrations import selectors, services
from registrations.enums import RegistrationStatus
from registrations.forms import (
    DetailsForm,
    RegistrationForm,
    ResendLinkForm,
    WorkshopChangeForm,
    registrant_details,
)
from registrations.ical import registration_calendar
from registrations.maturity import suggested_workshops
from registrations.permissions import can_change_registration
from registrations.tokens import (
    LinkExpired,
    LinkInvalid,
    LinkReplaced,
    held_from_token,
    manage_token,
    registration_from_token,
)
from workshops.models import Workshop
from workshops.selectors import forum_slots

JUST_REGISTERED = "registrations.just_registered"
SENT_TO = "registrations_sent_to"
SENT_COOKIE_AGE = 30 * 60


def _details(data: dict) -> services.RegistrantDetails:
    return registrant_details(data)


INVITATION_CODE_MAX_LENGTH = Sponsorship._meta.get_field("invitation_code").max_length or 20


def _invitation_code(request) -> str | None:
    """The invitation code that the link or the form carries: None when it carries none, ""
    when its value cannot be an invitation code (too long, not plain ASCII, a NUL byte)."""
    raw = request.POST.get("invite") or request.GET.get("invite")
    try:
        code = read_text(raw, max_length=INVITATION_CODE_MAX_LENGTH, required=False)
    except BadInput:
        return ""
    if not code:
        return None
    return code if code.isascii() and code.isprintable() else ""


def _invitation(request, forum) -> Sponsorship | None:
    code = _invitation_code(request)
    if code is None:
        return None
    sponsorship = (
        Sponsorship.objects.filter(forum=forum, invitation_code=code)
        .select_related("organisation")
        .first()
        if code
        else None
    )
    if sponsorship is None and request.method == "GET":
        messages.info(
            request,
            _("This invitation link is not valid for this forum. You can still register below."),
        )
    return sponsorship


@require_GET
def forum_page(request, slug: str):
    return public_page(
        request, name=f"forum:{slug}", slug=slug, render=partial(_render_forum_page, request, slug)
    )


def _render_forum_page(request, slug: str, extra_context: dict) -> Rendered:
    forum = visible_forum(request, slug, programme=True)
    now = timezone.now()
    response = render(
        request,
        "registrations/forum_page.html",
        {
            "forum": forum,
            "slots": forum_slots(forum, leaders=True),
            "registration_state": forum.registration_state(now),
            "invite": _invitation_code(request) or "",
            **extra_context,
        },
    )
    return Rendered(response, forum=forum, changes_at=forum_changes_at(forum, now))


def _initial_for(user) -> dict:
    if not user.is_authenticated:
        return {}
    person = Person.objects.with_email(user.email).select_related("organisation").first()
    initial = {"email": user.email, "first_name": user.first_name, "last_name": user.last_name}
    if person:
        initial.update(
            first_name=person.first_name,
            last_name=person.last_name,
            job_title=person.job_title,
            company_name=person.organisation.name if person.organisation else "",
            country=person.country.code if person.country else "",
            phone=person.phone,
        )
    return initial


def _controls_address(user, email: str) -> bool:
    """A logged-in user whose verified account address is this one has proved they read it."""
    return (
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    )


def _over_rate_limit(request, forum) -> bool:
    """Counted per client in the shared cache: registrations in general, and for this forum, so
    that no single client can take a forum's seats."""
    if not settings.REGISTRATION_RATE_LIMIT_ENABLED:
        return False
    limited = False
    for group, rate in [
        ("registrations:register", settings.REGISTRATION_RATE_LIMIT),
        (f"registrations:register:{forum.pk}", settings.REGISTRATION_FORUM_RATE_LIMIT),
    ]:
        limited |= is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)
    return limited


@require_http_methods(["GET", "POST"])
def register(request, slug: str):
    forum = visible_forum(request, slug)
    state = forum.registration_state()
    invitation = _invitation(request, forum)
    slots = forum_slots(forum)
    context = {"forum": forum, "registration_state": state, "invitation": invitation}
    if state != RegistrationWindow.OPEN:
        return render(request, "registrations/register_closed.html", context, status=200)

    form = RegistrationForm(
        request.POST or None,
        slots=slots,
        zone=forum.zone,
        questions=selectors.forum_questions(forum.pk),
        initial=_initial_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        if _over_rate_limit(request, forum):
            return render(request, "registrations/too_many.html", context, status=429)
        email = form.cleaned_data["email"].strip()
        details = replace(
            _details(form.cleaned_data), maturity=form.maturity(), answers=form.answers()
        )
        offered = [workshop for slot in slots for workshop in slot.workshops]
        try:
            if _controls_address(request.user, email):
                outcome = services.registration_create(
                    forum=forum,
                    details=details,
                    workshops=form.chosen_workshops(),
                    invited_by=invitation,
                    proven=True,
                    offered=offered,
                )
                assert outcome.registration is not None  # a proven request is never held
                request.session[JUST_REGISTERED] = outcome.registration.pk
                return redirect("registrations:manage", token=manage_token(outcome.registration))
            # Anyone else's request is stored and carried out by the worker: the same work,
            # answer and cookies for every address (new, known, registered), so that neither
            # the page nor its time tells whether the address is known.
            services.registration_submit(
                forum=forum,
                details=details,
                workshops=form.chosen_workshops(),
                invited_by=invitation,
                offered=offered,
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            # What the next page shows travels in a signed cookie, not the session: a visitor
            # without an account costs no session write.
            response = redirect("registrations:sent", slug=forum.slug)
            response.set_signed_cookie(
                SENT_TO,
                email,
                salt=SENT_TO,
                max_age=SENT_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    context.update(form=form)
    return render(request, "registrations/register.html", context)


@require_GET
def register_sent(request, slug: str):
    forum = visible_forum(request, slug)
    return render(
        request,
        "registrations/register_sent.html",
        {
            "forum": forum,
            "email": request.get_signed_cookie(
                SENT_TO, default="", salt=SENT_TO, max_age=SENT_COOKIE_AGE
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def confirm_held(request, token: str):
    """The link e-mailed for a held registration: shows what will be registered; the button
    (a POST, so that mail scanners that open links confirm nothing) carries it out."""
    try:
        held = held_from_token(token)
    except LinkExpired:
        return _link_problem(request, "held_expired")
    except LinkInvalid:
        return _link_problem(request, "invalid")
    if held.confirmed_at is not None:
        return _link_problem(request, "used")
    error = None
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            outcome = services.registration_confirm_held(held=held)
        except services.RegistrationError as problem:
            error = problem.message
        else:
            if outcome.registration is not None:
                request.session[JUST_REGISTERED] = outcome.registration.pk
                return redirect("registrations:manage", token=manage_token(outcome.registration))
            error = _("This registration could not be completed. Please register again.")
    workshops = Workshop.objects.filter(forum=held.forum_id, pk__in=held.workshop_ids).order_by(
        "starts_at", "code"
    )
    return render(
        request,
        "registrations/confirm_held.html",
        {
            "held": held,
            "forum": held.forum,
            "details": held.details,
            "workshops": workshops,
            "error": error,
        },
    )


def _link_problem(request, reason: str):
    return render(
        request,
        "registrations/link_problem.html",
        {"reason": reason, "form": ResendLinkForm()},
        status={"invalid": 404, "replaced": 410}.get(reason, 200),
    )


def registration_or_problem(request, token: str):
    try:
        return registration_from_token(token), None
    except LinkExpired:
        return None, _link_problem(request, "expired")
    except LinkReplaced:
        return None, _link_problem(request, "replaced")
    except LinkInvalid:
        return None, _link_problem(request, "invalid")


@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    registration, problem = registration_or_problem(request, token)
    if problem:
        return problem
    forum = registration.forum
    slots = forum_slots(forum)
    slot_of = {w.pk: slot.number for slot in slots for w in slot.workshops}
    current = {
        slot_of[p.workshop_id]: p.workshop_id
        for p in registration.workshop_places.all()
        if p.workshop_id in slot_of
    }
    action = request.POST.get("action") if request.method == "POST" else None
    workshop_form = WorkshopChangeForm(
        request.POST if action == "workshops" else None,
        slots=slots,
        zone=forum.zone,
        current=current,
    )
    person = registration.person
    answers = selectors.registration_answers(registration)
    details_form = DetailsForm(
        request.POST if action == "details" else None,
        questions=selectors.forum_questions(forum.pk),
        answers=answers,
        initial={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": registration.job_title,
            "company_name": registration.company.name if registration.company else "",
            "country": person.country.code if person.country else "",
            "phone": person.phone,
            "dietary_needs": registration.dietary_needs,
            "accessibility_needs": registration.accessibility_needs,
            "category": registration.category,
        },
    )
    changeable = can_change_registration(registration) and forum.ends_at > timezone.now()
    if action and not changeable:
        messages.error(request, _("This registration can no longer be changed."))
        return redirect(request.path)
    try:
        if action == "workshops" and workshop_form.is_valid():
            services.registration_change_workshops(
                registration=registration, workshops=workshop_form.chosen_workshops()
            )
            messages.success(request, _("Your workshop choices have been saved."))
            return redirect(request.path)
        if action == "details" and details_form.is_valid():
            services.registration_update_details(
                registration=registration,
                details=replace(
                    _details(details_form.cleaned_data), answers=details_form.answers()
                ),
            )
            messages.success(request, _("Your details have been saved."))
            return redirect(request.path)
        if action == "cancel":
            if request.POST.get("confirm") != "yes":
                messages.error(request, _("Tick the box to confirm that you want to cancel."))
                return redirect(request.path)
            registration = services.registration_cancel(
                registration=registration, by=Actor.registrant()
            )
            messages.success(request, _("Your registration has been cancelled."))
            # The old link stopped working with the cancellation; this browser gets the new one.
            return redirect("registrations:manage", token=manage_token(registration))
    except services.RegistrationError as error:
        workshop_form.add_error(None, error.message)
    registration.refresh_from_db()
    return render(
        request,
        "registrations/manage.html",
        {
            "registration": registration,
            "forum": forum,
            "overview": selectors.registration_overview(registration),
            "answers": answers,
            "workshop_form": workshop_form,
            "details_form": details_form,
            "changeable": changeable and can_change_registration(registration),
            "cancelled": registration.status == RegistrationStatus.CANCELLED,
            "can_register_again": forum.registration_state() == RegistrationWindow.OPEN,
            "just_registered": request.session.pop(JUST_REGISTERED, None) == registration.pk,
            "suggested_workshops": suggested_workshops(registration),
        },
    )


@require_GET
def manage_calendar(request, token: str):
    registration, problem = registration_or_problem(request, token)
    if problem:
        return problem
    response = HttpResponse(
        registration_calendar(registration, site_url=settings.SITE_URL),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{registration.forum.slug}.ics"'
    return response


@require_POST
def resend_link(request):
    form = ResendLinkForm(request.POST)
    if not form.is_valid():
        return render(
            request, "registrations/link_problem.html", {"reason": "resend", "form": form}
        )
    services.manage_link_send(forum=None, email=form.cleaned_data["email"])
    return render(
        request,
        "registrations/link_sent.html",
        {"email": form.cleaned_data["email"]},
    )


@login_required
@require_GET
def my_forums(request):
    registrations = selectors.person_registrations(email=request.user.email)
    rows = [(registration, manage_token(registration)) for registration in registrations]
    return render(request, "registrations/my_forums.html", {"rows": rows})
