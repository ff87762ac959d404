import json
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import documents
from attendance.enums import CheckInAnswer, CheckInSource, PdfKind, PdfRunStatus
from attendance.forms import WalkInForm
from attendance.models import CheckIn, PdfRun
from attendance.permissions import can_check_in
from attendance.services import (
    CHECKIN_CODE,
    CheckInResult,
    PdfRunEmpty,
    checkin_perform,
    pdf_run_start,
    walk_in_register,
)
from audit.services import Actor
from forums.models import Forum
from forums.permissions import is_secretariat
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from registrations.services import RegistrantDetails, RegistrationError, WalkInFull
from workshops.models import Workshop
from workshops.selectors import forum_slots

# A manage link's secret (registrations.models.new_secret); anything else is not looked up.
MANAGE_SECRET = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _answer(result: CheckInResult, forum: Forum) -> dict[str, Any]:
    registration, checkin = result.registration, result.checkin
    person = None
    if registration is not None and result.reason is None:
        places = registration.workshop_places.filter(status=PlaceStatus.CONFIRMED).select_related(
            "workshop"
        )
        person = {
            "name": f"{registration.person.first_name} {registration.person.last_name}".strip(),
            "company": registration.company.name if registration.company else "",
            "workshops": [
                {
                    "id": place.workshop.pk,
                    "code": place.workshop.code,
                    "title": place.workshop.title,
                }
                for place in places
            ],
        }
    return {
        "result": str(result.answer),
        "reason": str(result.reason) if result.reason else None,
        "message": str(result.reason.label) if result.reason else None,
        "person": person,
        "checked_in_at": (
            checkin.checked_in_at.astimezone(forum.zone).isoformat() if checkin else None
        ),
        "checked_in_by": str(checkin.by) if checkin and checkin.by else None,
        "time_zone": forum.time_zone,
    }


@require_POST
def checkin_api(request: HttpRequest, slug: str) -> JsonResponse:
    """Check a badge's code in; the request and answer are described in docs/checkin.md."""
    forum = get_object_or_404(Forum, slug=slug)
    if not can_check_in(request.user, forum):
        return JsonResponse({"error": _("You may not check people in at this forum.")}, status=403)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad_request(_("The request body must be a JSON object."))
    if not isinstance(payload, dict):
        return _bad_request(_("The request body must be a JSON object."))
    code, nonce, workshop_id = payload.get("code"), payload.get("nonce"), payload.get("workshop")
    if not isinstance(code, str) or not code:
        return _bad_request(_("“code” is required: the text of the badge's QR code."))
    if not isinstance(nonce, str) or not 1 <= len(nonce) <= 64:
        return _bad_request(_("“nonce” is required: a text of 1 to 64 characters, new per scan."))
    workshop = None
    if workshop_id is not None:
        if not isinstance(workshop_id, int) or isinstance(workshop_id, bool):
            return _bad_request(_("“workshop” must be a workshop's id (a number), or absent."))
        workshop = Workshop.objects.filter(forum=forum, pk=workshop_id).first()
        if workshop is None:
            return _bad_request(
                _("This forum has no workshop with id %(id)s.") % {"id": workshop_id}
            )
    device = payload.get("device", "")
    result = checkin_perform(
        code=code.strip(),
        forum=forum,
        workshop=workshop,
        nonce=nonce,
        by=Actor.of(request.user),
        device=device if isinstance(device, str) else "",
    )
    return JsonResponse(_answer(result, forum))


def _url_if_built(name: str, *args: object) -> str | None:
    """The URL of a page another part of the site may not have yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _walk_in_details(data: dict[str, Any]) -> RegistrantDetails:
    return RegistrantDetails(
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        company_name=data["company_name"],
        country=data["country"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def _registration_shown(forum: Forum, pk: str | None) -> Registration | None:
    """A registration of this forum named in the request (another forum's, or none: 404)."""
    if pk is None:
        return None
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("person", "company").prefetch_related(
            Prefetch(
                "workshop_places",
                queryset=WorkshopPlace.objects.filter(status=PlaceStatus.CONFIRMED).select_related(
                    "workshop"
                ),
                to_attr="confirmed_places",
            ),
            Prefetch(
                "checkins",
                queryset=CheckIn.objects.filter(workshop__isnull=True, undone_at__isnull=True),
                to_attr="at_the_door",
            ),
        ),
        forum=forum,
        pk=pk,
    )


def _checkin_message(result: CheckInResult, forum: Forum) -> tuple[int, str]:
    if result.answer == CheckInAnswer.REFUSED:
        assert result.reason is not None
        return messages.ERROR, str(result.reason.label)
    assert result.checkin is not None
    when = result.checkin.checked_in_at.astimezone(forum.zone).strftime("%H:%M")
    if result.answer == CheckInAnswer.ALREADY:
        return messages.INFO, _("Already checked in at %(time)s (%(zone)s).") % {
            "time": when,
            "zone": forum.time_zone,
        }
    return messages.SUCCESS, _("Checked in at %(time)s (%(zone)s).") % {
        "time": when,
        "zone": forum.time_zone,
    }


@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest, slug: str) -> HttpResponse:
    """Register someone at the door and check them in at once (the secretariat and the forum's
    door helpers). After a walk-in, or a check-in of someone already registered, the page
    shows the person (?registration=<id>, of this forum only)."""
    forum = get_object_or_404(Forum, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_check_in(request.user, forum):
        raise PermissionDenied(
            "Only the secretariat and this forum's door helpers register walk-ins."
        )
    here = reverse("attendance:walk_in", args=[forum.slug])
    by = Actor.of(request.user)

    if request.method == "POST" and "check_in" in request.POST:
        # Someone the walk-in form found already registered: checked in as at the door.
        registration = _registration_shown(forum, request.POST["check_in"])
        assert registration is not None
        nonce = request.POST.get("nonce", "")
        scanned = checkin_perform(
            code=registration.checkin_code,
            forum=forum,
            workshop=None,
            nonce=nonce if 1 <= len(nonce) <= 64 else f"walk-in-{uuid.uuid4().hex}",
            by=by,
            source=CheckInSource.SEARCH,
        )
        messages.add_message(request, *_checkin_message(scanned, forum))
        return redirect(f"{here}?registration={registration.pk}")

    slots = forum_slots(forum)
    secretariat = is_secretariat(request.user)
    form = WalkInForm(
        request.POST or None,
        slots=slots,
        zone=forum.zone,
        override=secretariat,
        initial={"country": forum.country.code},
    )
    already = None
    full = False
    if request.method == "POST" and form.is_valid():
        try:
            result = walk_in_register(
                forum=forum,
                details=_walk_in_details(form.cleaned_data),
                workshops=form.chosen_workshops(),
                by=by,
                override_reason=form.cleaned_data.get("override_reason") or None,
                device=request.headers.get("User-Agent", "")[:100],
                offered=[workshop for slot in slots for workshop in slot.workshops],
            )
        except WalkInFull as error:
            full = True
            slot_of = {w.pk: slot.number for slot in slots for w in slot.workshops}
            for place in error.places:
                field = f"slot_{slot_of[place.workshop.pk]}" if place.workshop else None
                form.add_error(field, place.message)
        except RegistrationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            outcome = result.outcome
            if not outcome.created:
                already = _registration_shown(forum, str(outcome.registration.pk))
            else:
                assert result.checkin is not None
                messages.add_message(request, *_checkin_message(result.checkin, forum))
                if outcome.known_person:
                    messages.info(
                        request,
                        _(
                            "This e-mail address was already known: the details stored for it "
                            "were kept."
                        ),
                    )
                for override in outcome.overrides:
                    messages.warning(
                        request,
                        _("Limit raised from %(before)s to %(after)s for this person: %(place)s.")
                        % {
                            "before": override.before,
                            "after": override.after,
                            "place": override.workshop.code if override.workshop else forum.title,
                        },
                    )
                return redirect(f"{here}?registration={outcome.registration.pk}")

    shown = already or _registration_shown(forum, request.GET.get("registration"))
    return render(
        request,
        "attendance/walk_in.html",
        {
            "forum": forum,
            "form": form,
            "shown": shown,
            "already": already is not None,
            "nonce": uuid.uuid4().hex,
            "show_override": secretariat and (full or forum.seats_left == 0 or form.any_full),
            "badge_url": (
                reverse("attendance:badge", args=[forum.slug, shown.checkin_code])
                if shown is not None
                else None
            ),
            "checkin_url": _url_if_built("attendance:checkin", forum.slug),
        },
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _forum_for_door(request: HttpRequest, slug: str) -> Forum:
    """The forum, if the user may check people in there (the secretariat, its door helpers)."""
    forum = get_object_or_404(Forum, slug=slug)
    if not can_check_in(request.user, forum):
        raise PermissionDenied
    return forum


@require_GET
def badge_pdf(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """One person's badge, to print at the door: `ref` is the registration's check-in code or
    its id. Only registrations of this forum that hold a seat have one."""
    forum = _forum_for_door(request, slug)
    registrations = Registration.objects.filter(
        forum=forum, status__in=RegistrationStatus.holding_a_seat()
    ).select_related("forum", "person", "company")
    if ref.isdigit():
        registration = get_object_or_404(registrations, pk=int(ref))
    elif CHECKIN_CODE.fullmatch(ref):
        registration = get_object_or_404(registrations, checkin_code=ref)
    else:
        raise Http404
    return _pdf(documents.badge(registration), f"badge-{forum.slug}-{registration.pk}.pdf")


@require_GET
def checkin_list_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The paper check-in list, for when the network or the devices fail."""
    forum = _forum_for_door(request, slug)
    return _pdf(documents.checkin_list(forum), f"{forum.slug}-checkin-list.pdf")


def _secretariat_forum(request: HttpRequest, slug: str) -> Forum:
    if not is_secretariat(request.user):
        raise PermissionDenied
    return get_object_or_404(Forum, slug=slug)


class PdfRunForm(forms.Form):
    kind = forms.ChoiceField(
        label=_l("Document"), choices=PdfKind.choices, widget=forms.RadioSelect
    )


@require_http_methods(["GET", "POST"])
def pdf_runs(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat's page for a forum's badges and certificates: start a run for everyone
    concerned, see the runs and their progress."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum = _secretariat_forum(request, slug)
    form = PdfRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = pdf_run_start(
                kind=form.cleaned_data["kind"], forum=forum, by=Actor.of(request.user)
            )
        except PdfRunEmpty as empty:
            form.add_error(
                "kind",
                _("Nobody holds a seat at this forum yet, so there are no badges to print.")
                if empty.kind == PdfKind.BADGES
                else _("Nobody has been checked in at this forum, so there are no certificates."),
            )
        else:
            return redirect("attendance:pdf_run", slug=forum.slug, run_id=run.pk)
    runs = PdfRun.objects.filter(forum=forum).select_related("requested_by").defer("pdf")[:20]
    return render(
        request,
        "attendance/pdf_runs.html",
        {"forum": forum, "form": form, "runs": runs, "refresh": _any_unfinished(runs)},
    )


def _any_unfinished(runs: Iterable[PdfRun]) -> bool:
    return any(run.status in (PdfRunStatus.QUEUED, PdfRunStatus.RUNNING) for run in runs)


@require_GET
def pdf_run(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    """One run's progress; the page reloads itself every few seconds until it is ready."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum = _secretariat_forum(request, slug)
    run = get_object_or_404(
        PdfRun.objects.select_related("requested_by").defer("pdf"), forum=forum, pk=run_id
    )
    return render(
        request,
        "attendance/pdf_run.html",
        {"forum": forum, "run": run, "refresh": _any_unfinished([run])},
    )


@require_GET
def pdf_run_download(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    forum = _secretariat_forum(request, slug)
    run = get_object_or_404(PdfRun, forum=forum, pk=run_id, status=PdfRunStatus.DONE)
    made = run.finished_at.astimezone(forum.zone) if run.finished_at else None
    stamp = made.strftime("%Y-%m-%d-%H%M") if made else str(run.pk)
    return _pdf(bytes(run.pdf or b""), f"{forum.slug}-{run.kind}-{stamp}.pdf")


@require_GET
def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """A registrant's certificate of attendance, through their manage link's secret (which
    keeps working for this after the forum). 404 for a secret no registration has; a page
    saying why when they were not checked in."""
    if not MANAGE_SECRET.fullmatch(token):
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("forum", "person", "company"), secret=token
    )
    content = documents.certificate(registration)
    if content is None:
        return render(
            request,
            "attendance/certificate_unavailable.html",
            {"registration": registration, "forum": registration.forum},
        )
    return _pdf(content, f"certificate-{registration.forum.slug}.pdf")
