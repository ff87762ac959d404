"""A registrant's own calendar: the forum and each workshop they hold a seat in.

Each event keeps its UID for the life of the registration and carries the registration's
calendar SEQUENCE, which grows with every calendar sent, so a calendar program replaces what it
holds instead of adding a second copy. Workshops that were in a file sent earlier and are no
longer held (and everything, once the registration is cancelled) go out as cancelled events."""

from email.utils import parseaddr

from django.conf import settings
from django.utils.crypto import salted_hmac

from forums.ical import CalendarEvent, calendar_bytes, forum_event
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration
from workshops.models import Workshop


def _uid(registration: Registration, what: str) -> str:
    # Stable for the registration, and not a database id anyone could count through.
    tag = salted_hmac("registrations.ical.uid", str(registration.pk)).hexdigest()[:24]
    return f"{what}-{tag}@forumdesk"


def held_workshop_ids(registration: Registration) -> list[int]:
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    return sorted(
        place.workshop_id
        for place in registration.workshop_places.all()
        if place.status == PlaceStatus.CONFIRMED
    )


def _events(registration: Registration, *, site_url: str) -> tuple[list, list]:
    """The events the registrant should have, and those they should drop."""
    forum = registration.forum
    sequence = registration.calendar_sequence
    cancelled = registration.status == RegistrationStatus.CANCELLED
    forum_item = forum_event(forum, site_url=site_url)
    forum_item = CalendarEvent(
        **{**forum_item.__dict__, "uid": _uid(registration, "forum"), "sequence": sequence}
    )
    held = set(held_workshop_ids(registration))
    ever = held | set(registration.calendar_workshops or [])
    workshops = Workshop.objects.filter(pk__in=ever).order_by("starts_at", "code")
    current, dropped = ([], [forum_item]) if cancelled else ([forum_item], [])
    for workshop in workshops:
        item = CalendarEvent(
            uid=_uid(registration, f"workshop-{workshop.code.lower()}-{workshop.pk}"),
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            time_zone=forum.time_zone,
            summary=f"{workshop.code} {workshop.title} – {forum.title}",
            location=", ".join(part for part in [workshop.room, forum.venue, forum.city] if part),
            url=f"{site_url}{forum.get_absolute_url()}",
            description=workshop.description,
            sequence=sequence,
        )
        (current if workshop.pk in held else dropped).append(item)
    return current, dropped


def _organizer() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def registration_calendar(registration: Registration, *, site_url: str) -> bytes:
    """The file behind "Download calendar file": what the registrant holds now, and what they
    held before marked cancelled (all of it, for a cancelled registration)."""
    current, dropped = _events(registration, site_url=site_url)
    cancelled = [CalendarEvent(**{**item.__dict__, "cancelled": True}) for item in dropped]
    return calendar_bytes(current + cancelled, name=registration.forum.title)


def registration_invitation(registration: Registration, *, site_url: str) -> tuple[str, str]:
    """The two calendar objects of an e-mail: METHOD:REQUEST with the events held now, and
    METHOD:CANCEL with the events to drop. Either is "" when it would be empty."""
    current, dropped = _events(registration, site_url=site_url)
    who = {"organizer": _organizer(), "attendee": registration.person.email or ""}
    name = registration.forum.title
    request = calendar_bytes(current, name=name, method="REQUEST", **who) if current else b""
    cancel = calendar_bytes(dropped, name=name, method="CANCEL", **who) if dropped else b""
    return request.decode(), cancel.decode()
