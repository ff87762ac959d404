"""No browser or proxy keeps a page that may carry a secret or personal data.

Every response is sent with ``Cache-Control: private, no-store``, replacing whatever a view or
Django set, unless it is on the explicit public list below: what anyone gets, logged in or not,
and which names nobody (the load balancer's check, the calendar feeds of published forums), as
long as it is answered to a visitor who is not logged in. Safer than marking the private pages
one by one: a new page is private until someone decides otherwise.

The home page and the forum pages are not on the list although they show nothing personal:
they carry the visitor's CSRF token. forums/cache.py keeps them in the server's own cache for
anonymous visitors, which this header does not touch."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PRIVATE = "private, no-store"

# URL names (as resolved, namespace included) whose answers to anonymous visitors may be kept.
PUBLIC_URL_NAMES = frozenset({"healthz", "calendar_feed", "forums:calendar"})


def is_public(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return bool(
        match is not None
        and match.view_name in PUBLIC_URL_NAMES
        and response.status_code == 200
        and user is not None
        and not user.is_authenticated
    )


class PrivateUnlessPublicMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_public(request, response):
            response["Cache-Control"] = PRIVATE
        return response
