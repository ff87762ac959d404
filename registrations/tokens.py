"""Manage links: a signed registration id. Unguessable without the SECRET_KEY, valid until the
forum ends, and checked against the registration it names."""

from django.core import signing
from django.utils import timezone

from registrations.models import Registration

SALT = "registrations.manage"


class LinkInvalid(Exception):
    """The link was altered, or was never issued by this site."""


class LinkExpired(Exception):
    """The link was real, but its forum has ended."""


def manage_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "p": registration.person_id}, salt=SALT)


def registration_from_token(token: str) -> Registration:
    try:
        payload = signing.loads(token, salt=SALT)
        registration = Registration.objects.select_related(
            "forum", "person", "company", "invited_by__organisation"
        ).get(pk=payload["r"], person_id=payload["p"])
    except (signing.BadSignature, Registration.DoesNotExist, KeyError, TypeError) as error:
        raise LinkInvalid from error
    if registration.forum.ends_at <= timezone.now():
        raise LinkExpired
    return registration
