"""The invitation link. Its token is taken from the address at once, kept in the session, and the
browser sent on to an address without it (as allauth's password reset does), so the token is
not in the address bar, the history, a Referer header or the log line of a refused request."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import services
from accounts.permissions import has_second_factor
from accounts.services import TOKEN_LENGTH, InvitationRefused, invitation_check

SESSION_KEY = "accounts_invitation_token"
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
# A used or expired link is gone for good; anything else is a bad request.
_STATUS = {"used": 410, "expired": 410}


def _no_referrer(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    return response


def _problem(request: HttpRequest, reason: str) -> HttpResponse:
    response = render(
        request,
        "accounts/invitation_problem.html",
        {"reason": reason, "secretariat_email": settings.SECRETARIAT_EMAIL},
        status=_STATUS.get(reason, 400),
    )
    return _no_referrer(response)


@never_cache
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    if not _TOKEN.fullmatch(token):
        return _problem(request, "unknown")
    request.session[SESSION_KEY] = token
    return _no_referrer(redirect("accounts:invitation_accept"))


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return _problem(request, "missing")
    try:
        invitation = invitation_check(token)
    except InvitationRefused as refused:
        return _problem(request, refused.reason)
    form = SetPasswordForm(invitation.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except InvitationRefused as refused:  # used in another tab meanwhile
            return _problem(request, refused.reason)
        request.session.pop(SESSION_KEY, None)
        if has_second_factor(user):
            # Logging in here would skip the authenticator app it has set up.
            messages.success(request, _("Your password is set. Log in with it."))
            return redirect("account_login")
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Your password is set and you are logged in."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    response = render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "email": invitation.user.email},
    )
    return _no_referrer(response)
