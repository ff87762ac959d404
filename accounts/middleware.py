from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import SecondFactorRequired


def _wants_json(request: HttpRequest) -> bool:
    # The check-in page's scripts and scanners ask for JSON (docs/checkin.md); a browser opening
    # a page asks for HTML, and a client that names neither is sent on like a browser.
    if request.content_type == "application/json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


class StaffTwoFactorMiddleware:
    """Secretariat accounts hold everyone's personal data: with STAFF_REQUIRE_MFA on, they must
    set up an authenticator app before they can open any staff page. Whether a page is a staff
    page is decided where its permission is (accounts.permissions.staff_may, and the admin
    site's has_permission), which raise SecondFactorRequired; this answers it: a page is sent
    to set up the authenticator app, then back; a JSON endpoint answers 403 with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SecondFactorRequired):
            return None
        if _wants_json(request):
            return JsonResponse(
                {
                    "error": _(
                        "Set up an authenticator app for your account before using this page."
                    ),
                    "reason": "second_factor_required",
                },
                status=403,
            )
        return redirect(
            f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.path}, safe='/')}"
        )
