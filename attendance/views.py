import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import documents, selectors
from attendance.enums import CheckInAnswer, CheckInSource, PdfKind, PdfRunStatus, RefusalReason
from attendance.forms import AfterTheDayForm, CheckInRequestForm, UndoRequestForm, WalkInForm
from attendance.models import CheckIn, PdfRun, checkin_window
from attendance.permissions import (
    can_check_in,
    can_record_after_the_day,
    is_door_helper_elsewhere,
)
from attendance.services import (
    CHECKIN_CODE,
    AfterTheDayRefused,
    CheckInClosed,
    CheckInResult,
    PdfRunEmpty,
    checkin_closed_message,
    checkin_perform,
    checkin_undo,
    checkins_record_after_the_day,
    pdf_run_start,
    walk_in_register,
)
from audit.services import Actor
from config.params import BadInput, read_id, read_json_object, read_text
from forums.models import Forum
from forums.permissions import is_secretariat
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from registrations.services import RegistrantDetails, RegistrationError, WalkInFull
from registrations.tokens import is_link_secret
from workshops.models import Workshop
from workshops.selectors import forum_slots

# A check-in's window closed or not yet open: these refusals are explained with the forum's day.
CLOSED = (RefusalReason.NOT_OPEN_YET, RefusalReason.FORUM_OVER)


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object (config.params.read_json_object). A form's body is refused
    first: RefuseNulMiddleware has read it as form fields, so its raw bytes are gone."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise BadInput(_("The request body must be a JSON object."))
    return read_json_object(request)


def _bad_input(message: str) -> HttpResponse:
    """A page's answer to a parameter it cannot read: 400, saying what is wrong."""
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _refusal_message(result: CheckInResult, forum: Forum) -> str | None:
    if result.reason in CLOSED:
        return checkin_closed_message(forum, result.reason)
    return str(result.reason.label) if result.reason else None


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
        "message": _refusal_message(result, forum),
        "person": person,
        "checked_in_at": (
            checkin.checked_in_at.astimezone(forum.zone).isoformat() if checkin else None
        ),
        "checked_in_by": str(checkin.by) if checkin and checkin.by else None,
        "time_zone": forum.time_zone,
        # What the undo endpoint takes, for a check-in made by this request ("ok").
        "checkin": checkin.pk if checkin else None,
    }


@require_POST
def checkin_api(request: HttpRequest, slug: str) -> JsonResponse:
    """Check a badge's code in; the request and answer are described in docs/checkin.md."""
    forum = _checkin_forum(request, slug)
    if isinstance(forum, JsonResponse):
        return forum
    try:
        payload = _json_body(request)
    except BadInput as error:
        return _bad_request(str(error))
    form = CheckInRequestForm(payload, forum=forum)
    if not form.is_valid():
        return _bad_request(form.first_error())
    result = checkin_perform(
        code=form.cleaned_data["code"],
        forum=forum,
        workshop=form.cleaned_data["workshop"],
        nonce=form.cleaned_data["nonce"],
        by=Actor.of(request.user),
        device=form.cleaned_data["device"],
        source=form.cleaned_data["source"],
    )
    return JsonResponse(_answer(result, forum))


def _walk_in_details(data: dict[str, Any]) -> RegistrantDetails:
    return RegistrantDetails(
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        company_name=data["company_name"],
        country=data["country"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def _registration_shown(forum: Forum, value: str | None) -> Registration | None:
    """A registration of this forum named in the request (another forum's, or none: 404, as
    for a value that is no one's id: "abc", "²")."""
    if value is None:
        return None
    pk = read_id(value)
    if pk is None:
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
        return messages.ERROR, _refusal_message(result, forum) or ""
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
    _refuse_unless_door(request, forum)
    closed = checkin_window(forum).refusal()
    if closed is not None:
        return _closed_page(request, forum, closed)
    try:
        return _walk_in(request, forum)
    except BadInput as error:
        return _bad_input(str(error))


def _walk_in(request: HttpRequest, forum: Forum) -> HttpResponse:
    here = reverse("attendance:walk_in", args=[forum.slug])
    by = Actor.of(request.user)

    if request.method == "POST" and "check_in" in request.POST:
        # Someone the walk-in form found already registered: checked in as at the door.
        registration = _registration_shown(forum, request.POST["check_in"])
        assert registration is not None
        nonce = read_text(request.POST.get("nonce"), max_length=64, required=False)
        scanned = checkin_perform(
            code=registration.checkin_code,
            forum=forum,
            workshop=None,
            nonce=nonce or f"walk-in-{uuid.uuid4().hex}",
            by=by,
            device=_device(request),
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
                device=_device(request),
                offered=[workshop for slot in slots for workshop in slot.workshops],
            )
        except CheckInClosed as error:
            # The window closed while the form was being filled in.
            return _closed_page(request, forum, error.reason)
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
            "checkin_url": reverse("attendance:checkin", args=[forum.slug]),
        },
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _device(request: HttpRequest) -> str:
    # The browser's name: the walk-in page's nonces are scoped to it, as a scanner's to its own.
    return request.headers.get("User-Agent", "")[:100].replace("\x00", "")


def _refuse_unless_door(request: HttpRequest, forum: Forum) -> None:
    """Raise unless the user may check people in at `forum`: 404 for a door helper of other
    forums only (this forum's desk is another's, and its address tells them nothing), 403 for
    anyone else, with a door helper's ended grant said in words."""
    if can_check_in(request.user, forum):
        return
    if is_door_helper_elsewhere(request.user, forum):
        raise Http404
    raise PermissionDenied(_door_denied_message(request, forum))


def _door_denied_message(request: HttpRequest, forum: Forum) -> str:
    if request.user.is_authenticated and forum.door_helpers.filter(user=request.user).exists():
        return _("Your door-helper access to %(forum)s ended at %(time)s (%(zone)s).") % {
            "forum": forum.title,
            "time": checkin_window(forum)
            .closes_at.astimezone(forum.zone)
            .strftime("%Y-%m-%d %H:%M"),
            "zone": forum.time_zone,
        }
    return _("You may not check people in at this forum.")


def _closed_page(request: HttpRequest, forum: Forum, reason: RefusalReason) -> HttpResponse:
    """The check-in or walk-in page outside the forum's check-in window: why, and for the
    secretariat after the day, where attendance is recorded now."""
    after = reason == RefusalReason.FORUM_OVER and can_record_after_the_day(request.user)
    return render(
        request,
        "attendance/checkin_closed.html",
        {
            "forum": forum,
            "reason": str(reason),
            "message": checkin_closed_message(forum, reason),
            "after_the_day_url": (
                reverse("attendance:after_the_day", args=[forum.slug]) if after else None
            ),
        },
    )


def _forum_for_door(request: HttpRequest, slug: str) -> Forum:
    """The forum, if the user may check people in there (the secretariat, its door helpers)."""
    forum = get_object_or_404(Forum, slug=slug)
    _refuse_unless_door(request, forum)
    return forum


@require_GET
def badge_pdf(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """One person's badge, to print at the door: `ref` is the registration's check-in code or
    its id. Only registrations of this forum that hold a seat have one."""
    forum = _forum_for_door(request, slug)
    registrations = Registration.objects.filter(
        forum=forum, status__in=RegistrationStatus.holding_a_seat()
    ).select_related("forum", "person", "company")
    pk = read_id(ref)
    if pk is not None:
        registration = get_object_or_404(registrations, pk=pk)
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
    if not is_link_secret(token):
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


# --- the check-in page and the endpoints it reads -------------------------------------------------
#
# Everyone who may not check people in at a forum gets 403, as from checkin_api (the forum's
# page is public, so its address tells nothing), except a door helper of other forums, for whom
# this forum's desk is another's: 404. The page itself sends a visitor who is not logged in to
# the log-in page first. A check-in of another forum answers 404.

SEARCH_MAX_CHARS = 100


def _checkin_forum(request: HttpRequest, slug: str) -> Forum | JsonResponse:
    forum = get_object_or_404(Forum, slug=slug)
    if can_check_in(request.user, forum):
        return forum
    if is_door_helper_elsewhere(request.user, forum):
        return JsonResponse({"error": _("There is no such forum.")}, status=404)
    return JsonResponse({"error": _door_denied_message(request, forum)}, status=403)


def _in_zone(moment: datetime | None, forum: Forum) -> str | None:
    return moment.astimezone(forum.zone).isoformat() if moment else None


def _counts(forum: Forum, workshops: list[Workshop] | None = None) -> dict[str, Any]:
    counts = selectors.checkin_counts(forum)
    if workshops is None:
        workshops = list(Workshop.objects.filter(forum=forum).order_by("starts_at", "code"))
    return {
        "registered": counts.registered,
        "checked_in": counts.checked_in,
        "workshops": [
            {
                "id": workshop.pk,
                "code": workshop.code,
                "title": workshop.title,
                "registered": workshop.seats_taken,
                "checked_in": counts.workshops.get(workshop.pk, 0),
            }
            for workshop in workshops
        ],
    }


def _page_text() -> dict[str, Any]:
    """The words the page's script shows, in the user's language."""
    return {
        "ok": _("Checked in"),
        "already": _("Already checked in"),
        "refused": _("Not checked in"),
        "saved": _("Saved, will send"),
        "saved_help": _("No answer from the server. This scan is kept on this device."),
        "at_by": _("at %(time)s (%(zone)s) by %(by)s"),
        "at": _("at %(time)s (%(zone)s)"),
        "waiting_one": _("%(count)s scan waits to be sent."),
        "waiting_many": _("%(count)s scans wait to be sent."),
        "sent_later": _("Sent later"),
        "undo": _("Undo"),
        "undone": _("Check-in undone."),
        "undo_failed": _("Could not undo. Try again when online."),
        "removed": _("Scan removed; it will not be sent."),
        "check_in": _("Check in"),
        "no_results": _("Nobody found. Check the spelling, or search by e-mail or company."),
        "more": _("More people match: type more letters."),
        "offline": _("Offline: answers come from the list loaded at %(time)s."),
        "offline_no_list": _("Offline, and no list of badges is loaded."),
        "offline_unknown": _("Unknown badge (checked offline)."),
        "offline_check": _("Offline check"),
        "logged_out": _("You are logged out. Log in again, then reload this page."),
        "camera_unavailable": _(
            "This browser cannot use the camera here. Use the search or a hand scanner."
        ),
        "camera_denied": _("The camera is not allowed. Allow it in the browser's settings."),
        "start_camera": _("Scan with camera"),
        "stop_camera": _("Stop camera"),
        "status": {
            "confirmed": _("Confirmed"),
            "waitlisted": _("On the waiting list"),
            "cancelled": _("Cancelled"),
        },
        "reasons": {str(reason): str(reason.label) for reason in RefusalReason},
        "no_workshops": _("No workshops"),
    }


@require_GET
def checkin_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The check-in page: search, camera and hand-scanner input, counts, offline queue."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    forum = get_object_or_404(Forum, slug=slug)
    _refuse_unless_door(request, forum)
    closed = checkin_window(forum).refusal()
    if closed is not None:
        return _closed_page(request, forum, closed)
    workshops = list(Workshop.objects.filter(forum=forum).order_by("starts_at", "code"))
    chosen = read_id(request.GET.get("workshop"))
    selected = next((w for w in workshops if w.pk == chosen), None)
    config = {
        "forum": forum.slug,
        "timeZone": forum.time_zone,
        "csrf": get_token(request),
        "urls": {
            "checkin": reverse("attendance:checkin_api", args=[forum.slug]),
            "undo": reverse("attendance:checkin_undo", args=[forum.slug]),
            "search": reverse("attendance:checkin_search", args=[forum.slug]),
            "codes": reverse("attendance:checkin_codes", args=[forum.slug]),
            "counts": reverse("attendance:checkin_counts", args=[forum.slug]),
            "jsqr": static("attendance/vendor/jsQR.js"),
        },
        "text": _page_text(),
    }
    return render(
        request,
        "attendance/checkin.html",
        {
            "forum": forum,
            "workshops": workshops,
            "selected": selected,
            "counts": _counts(forum, workshops),
            "config": config,
            "walk_in_url": reverse("attendance:walk_in", args=[forum.slug]),
            "checkin_list_url": reverse("attendance:checkin_list", args=[forum.slug]),
        },
    )


def _workshop_param(forum: Forum, value: str | None) -> Workshop | None | JsonResponse:
    if not value:
        return None
    pk = read_id(value)
    workshop = Workshop.objects.filter(forum=forum, pk=pk).first() if pk is not None else None
    if workshop is None:
        return _bad_request(_("This forum has no workshop with id %(id)s.") % {"id": value[:20]})
    return workshop


@require_GET
def checkin_search(request: HttpRequest, slug: str) -> JsonResponse:
    """Registrations matching `q` (name, e-mail or company), for the page's search as you
    type; with `workshop`, whether each was checked in there rather than at the door."""
    forum = _checkin_forum(request, slug)
    if isinstance(forum, JsonResponse):
        return forum
    query = request.GET.get("q", "")
    if len(query) > SEARCH_MAX_CHARS:
        return _bad_request(
            _("Type at most %(count)s characters to search.") % {"count": SEARCH_MAX_CHARS}
        )
    workshop = _workshop_param(forum, request.GET.get("workshop"))
    if isinstance(workshop, JsonResponse):
        return workshop
    found = selectors.checkin_search(forum, query, workshop=workshop)
    return JsonResponse(
        {
            "results": [
                {
                    "code": hit.code,
                    "name": hit.name,
                    "company": hit.company,
                    "status": hit.status,
                    "workshops": [
                        {"id": pk, "code": code, "title": title}
                        for pk, code, title in hit.workshops
                    ],
                    "checked_in_at": _in_zone(
                        hit.checkin.checked_in_at if hit.checkin else None, forum
                    ),
                    "checked_in_by": (hit.checkin.by or None) if hit.checkin else None,
                }
                for hit in found.hits
            ],
            "more": found.more,
            "time_zone": forum.time_zone,
        }
    )


@require_GET
def checkin_codes(request: HttpRequest, slug: str) -> JsonResponse:
    """Every badge code of the forum with what the page needs to answer a scan offline."""
    forum = _checkin_forum(request, slug)
    if isinstance(forum, JsonResponse):
        return forum
    return JsonResponse(
        {
            "codes": {
                entry.code: {
                    "name": entry.name,
                    "company": entry.company,
                    "status": entry.status,
                    "workshops": entry.workshop_ids,
                    "checked_in": entry.checked_in,
                    "workshops_checked_in": entry.workshops_checked_in,
                }
                for entry in selectors.checkin_codes(forum)
            },
            "generated_at": _in_zone(timezone.now(), forum),
            "time_zone": forum.time_zone,
        }
    )


@require_GET
def checkin_counts_api(request: HttpRequest, slug: str) -> JsonResponse:
    """Registered and checked in, at the door and per workshop."""
    forum = _checkin_forum(request, slug)
    if isinstance(forum, JsonResponse):
        return forum
    return JsonResponse(_counts(forum))


@require_POST
def checkin_undo_api(request: HttpRequest, slug: str) -> JsonResponse:
    """Undo a check-in of this forum: POST {"checkin": id}; another forum's check-in is 404."""
    forum = _checkin_forum(request, slug)
    if isinstance(forum, JsonResponse):
        return forum
    try:
        payload = _json_body(request)
    except BadInput as error:
        return _bad_request(str(error))
    form = UndoRequestForm(payload)
    if not form.is_valid():
        return _bad_request(str(form.errors["checkin"][0]))
    pk = read_id(form.cleaned_data["checkin"])
    checkin = CheckIn.objects.filter(pk=pk, forum=forum).first() if pk is not None else None
    if checkin is None:
        return JsonResponse({"error": _("This forum has no such check-in.")}, status=404)
    checkin = checkin_undo(checkin=checkin, by=Actor.of(request.user))
    return JsonResponse(
        {
            "checkin": checkin.pk,
            "undone_at": _in_zone(checkin.undone_at, forum),
            "time_zone": forum.time_zone,
        }
    )


# --- after the day -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def after_the_day(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat records attendance once a forum's check-in has closed (who, and a
    required reason), and sees and undoes what was recorded so."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_record_after_the_day(request.user):
        raise PermissionDenied(_("Only the secretariat records attendance after the day."))
    forum = get_object_or_404(Forum, slug=slug)
    here = reverse("attendance:after_the_day", args=[forum.slug])
    closed = checkin_window(forum).refusal()
    by = Actor.of(request.user)
    if request.method == "POST" and "undo" in request.POST:
        pk = read_id(request.POST["undo"])
        if pk is None:
            return _bad_input(_("“undo” must be a check-in's id (a number)."))
        checkin = get_object_or_404(CheckIn, pk=pk, forum=forum, source=CheckInSource.AFTER_THE_DAY)
        checkin_undo(checkin=checkin, by=by)
        messages.success(request, _("Check-in undone."))
        return redirect(here)
    form = AfterTheDayForm(request.POST or None, forum=forum)
    if request.method == "POST" and form.is_valid():
        try:
            written = checkins_record_after_the_day(
                forum=forum,
                registrations=list(form.cleaned_data["registrations"]),
                reason=form.cleaned_data["reason"],
                by=by,
            )
        except AfterTheDayRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Attendance recorded for %(count)s people.") % {"count": len(written)},
            )
            return redirect(here)
    recorded = (
        CheckIn.objects.filter(forum=forum, source=CheckInSource.AFTER_THE_DAY)
        .select_related("registration__person", "registration__company", "by")
        .order_by("-id")
    )
    return render(
        request,
        "attendance/after_the_day.html",
        {
            "forum": forum,
            "form": form,
            "recorded": recorded,
            "open": closed == RefusalReason.FORUM_OVER,
            "message": checkin_closed_message(forum, closed) if closed else None,
        },
    )
