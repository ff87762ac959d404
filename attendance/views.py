import json
from datetime import datetime
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance import selectors
from attendance.enums import CheckInSource, RefusalReason
from attendance.models import CheckIn
from attendance.permissions import can_check_in
from attendance.services import CheckInResult, checkin_perform, checkin_undo
from audit.services import Actor
from forums.models import Forum
from registrations.enums import PlaceStatus
from workshops.models import Workshop

# How a check-in sent to the endpoint may have been made: a badge read (camera, hand scanner)
# or a person picked from the search.
PAGE_SOURCES = (CheckInSource.SCAN, CheckInSource.SEARCH)


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
        # What the undo endpoint takes, for a check-in made by this request ("ok").
        "checkin": checkin.pk if checkin else None,
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
    source = payload.get("source", CheckInSource.SCAN)
    if source not in PAGE_SOURCES:
        return _bad_request(_("“source” must be “scan” or “search”, or absent."))
    result = checkin_perform(
        code=code.strip(),
        forum=forum,
        workshop=workshop,
        nonce=nonce,
        by=Actor.of(request.user),
        device=device if isinstance(device, str) else "",
        source=source,
    )
    return JsonResponse(_answer(result, forum))


# --- the check-in page and the endpoints it reads -------------------------------------------------
#
# Everyone who may not check people in at a forum gets 403, as from checkin_api (the forum's
# page is public, so its address tells nothing); the page itself sends a visitor who is not
# logged in to the log-in page first. A check-in of another forum answers 404.

SEARCH_MAX_CHARS = 100


def _checkin_forum(request: HttpRequest, slug: str) -> Forum | JsonResponse:
    forum = get_object_or_404(Forum, slug=slug)
    if not can_check_in(request.user, forum):
        return JsonResponse({"error": _("You may not check people in at this forum.")}, status=403)
    return forum


def _in_zone(moment: datetime | None, forum: Forum) -> str | None:
    return moment.astimezone(forum.zone).isoformat() if moment else None


def _optional_url(name: str, slug: str) -> str | None:
    """The address of a page that may not be installed (the walk-in form, the printable
    list): None when no URL has this name."""
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return None


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
    if not can_check_in(request.user, forum):
        raise PermissionDenied(_("You may not check people in at this forum."))
    workshops = list(Workshop.objects.filter(forum=forum).order_by("starts_at", "code"))
    chosen = request.GET.get("workshop", "")
    selected = next((w for w in workshops if str(w.pk) == chosen), None)
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
            "walk_in_url": _optional_url("attendance:walk_in", forum.slug),
            "checkin_list_url": _optional_url("attendance:checkin_list_pdf", forum.slug),
        },
    )


def _workshop_param(forum: Forum, value: str | None) -> Workshop | None | JsonResponse:
    if not value:
        return None
    is_id = value.isascii() and value.isdigit() and len(value) <= 18
    workshop = Workshop.objects.filter(forum=forum, pk=int(value)).first() if is_id else None
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
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad_request(_("The request body must be a JSON object."))
    checkin_id = payload.get("checkin") if isinstance(payload, dict) else None
    if not isinstance(checkin_id, int) or isinstance(checkin_id, bool):
        return _bad_request(_("“checkin” is required: the id of the check-in to undo."))
    checkin = CheckIn.objects.filter(pk=checkin_id, registration__forum=forum).first()
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
