"""Invitations: the secretariat makes an account and e-mails its owner a link to set a password.

The link carries a random token; only its SHA-256 is stored (Invitation.token_hash), so neither
the database nor the logs can give a working link back. Following the link and choosing a
password verifies the address in allauth (the owner has just proved they read its mail), so the
first login does not stop at "Verify your e-mail address"."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.adapter import current_site
from accounts.enums import InvitationEmailKind
from accounts.models import Invitation
from audit.services import Actor, audit_record
from outbox.services import outgoing_email_create

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_BYTES = 32
TOKEN_LENGTH = 43


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationRefused(Exception):
    """The link cannot be used; `reason` is "unknown", "used" or "expired"."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def _render(
    *, user: "User", link: str, expires_at: datetime, language: str
) -> tuple[str, str, str]:
    context = {
        "email": user.email,
        "LANGUAGE_CODE": language,
        "link": link,
        "expires_at": expires_at,
        "valid_days": settings.INVITATION_VALID_DAYS,
        "current_site": current_site(),
        "site_url": settings.SITE_URL,
        "secretariat_email": settings.SECRETARIAT_EMAIL,
    }
    with translation.override(language):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    return f"[{settings.SITE_NAME}] {subject}", text, html


@transaction.atomic
def invitation_send(*, user: "User", by: Actor, language: str) -> Invitation:
    """E-mail `user` a link to set their password, valid INVITATION_VALID_DAYS, in `language`.

    Side effects: deletes the account's earlier unused invitations (their links stop working);
    creates an Invitation holding the new token's hash; records "account.invited" in the audit
    log; stores the rendered e-mail in the outbox, sent after commit. Raises ValueError for an
    inactive account."""
    if not user.is_active:
        raise ValueError("An inactive account cannot be invited.")
    Invitation.objects.filter(user=user, used_at__isnull=True).delete()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=user,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        invited_by=by.user if by.user is not None and by.user.is_authenticated else None,
    )
    link = settings.SITE_URL + reverse("accounts:invitation", args=[token])
    subject, text, html = _render(
        user=user, link=link, expires_at=invitation.expires_at, language=language
    )
    outgoing_email_create(
        kind=InvitationEmailKind.INVITATION,
        to=user.email,
        subject=subject,
        body_text=text,
        body_html=html,
        about=user,
        language=language,
    )
    audit_record(
        by=by,
        action="account.invited",
        subject=user,
        data={"invitation": invitation.pk, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation


def invitation_check(token: str, *, for_update: bool = False) -> Invitation:
    """The invitation whose link carries `token`, if it can still be used; raises
    InvitationRefused otherwise. Changes nothing."""
    invitations = Invitation.objects.select_related("user")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token)).first()
    if invitation is None or not invitation.user.is_active:
        raise InvitationRefused("unknown")
    if invitation.used_at is not None:
        raise InvitationRefused("used", invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused("expired", invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> "User":
    """Set the invited account's password through the link carrying `token`.

    Side effects: sets the password; marks the invitation used; makes the account's address a
    verified, primary allauth EmailAddress (the account's other addresses stop being primary).
    Raises InvitationRefused for an unknown, used or expired link (changing nothing). Sends
    nothing."""
    invitation = invitation_check(token, for_update=True)
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = True
        address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user
