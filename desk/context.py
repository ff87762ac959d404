"""What the site's header needs to know about the visitor: whether to link the forum desk."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.permissions import SecondFactorRequired, can_run_forums


def _runs_forums(request: HttpRequest) -> bool:
    try:
        return can_run_forums(request.user)
    except SecondFactorRequired:
        return True  # the link leads to the page that sets up the second factor


def desk(request: HttpRequest) -> dict[str, object]:
    # Lazy: read only where the header shows staff links.
    return {"runs_forums": SimpleLazyObject(lambda: _runs_forums(request))}
