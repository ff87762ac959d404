"""Links that stand for a registrant: the manage link of a registration, and the link that confirms
a held registration. Each carries a random secret stored on its row, so it says nothing about
database ids, cannot be guessed, and stops working when the secret is replaced (a cancelled or
revived registration draws a new one)."""

import re
from datetime import timedelta

from django.utils import timezone

from registrations.models import HeldRegistration, Registration, ReplacedLink, link_hash

# new_secret() gives 43 URL-safe characters (32 random bytes in base64 without padding);
# anything else is no link of this site, and not worth a database look-up.
_LINK_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")
HELD_LINK_LIFETIME = timedelta(days=2)


def is_link_secret(value: object) -> bool:
    """Whether `value` has the form of a secret that registrations.models.new_secret makes: the
    manage link, a held registration's link, a survey invitation. The one check every page that
    looks a secret up makes first."""
    return isinstance(value, str) and _LINK_SECRET.fullmatch(value) is not None


class LinkInvalid(Exception):
    """The link was altered, replaced by a newer one, or never issued by this site."""


class LinkReplaced(LinkInvalid):
    """The link was real, but a newer one replaced it (the registration was cancelled, or made
    again after a cancellation)."""


class LinkExpired(Exception):
    """The link was real, but its forum has ended (or, for a held registration, it is too old)."""


def manage_token(registration: Registration) -> str:
    return registration.secret


def registration_from_token(token: str) -> Registration:
    if not is_link_secret(token):
        raise LinkInvalid
    registration = (
        Registration.objects.select_related(
            "forum", "person", "company", "invited_by__organisation"
        )
        .filter(secret=token)
        .first()
    )
    if registration is None:
        if ReplacedLink.objects.filter(secret_hash=link_hash(token)).exists():
            raise LinkReplaced
        raise LinkInvalid
    if registration.forum.ends_at <= timezone.now():
        raise LinkExpired
    return registration


def held_from_token(token: str) -> HeldRegistration:
    """The held registration a confirmation link names, if it can still be confirmed."""
    if not is_link_secret(token):
        raise LinkInvalid
    held = (
        HeldRegistration.objects.select_related("forum", "invited_by__organisation")
        .filter(secret=token)
        .first()
    )
    if held is None:
        raise LinkInvalid
    if held.created_at + HELD_LINK_LIFETIME <= timezone.now():
        raise LinkExpired
    return held
