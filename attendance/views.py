import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance.permissions import can_check_in
from attendance.services import CheckInResult, checkin_perform
from audit.services import Actor
from forums.models import Forum
from registrations.enums import PlaceStatus
from workshops.models import Workshop


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
