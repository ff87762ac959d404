"""A registrant's own calendar file: the forum and each workshop they hold a seat in."""

from forums.ical import CalendarEvent, calendar_bytes, forum_event
from registrations.enums import PlaceStatus
from registrations.models import Registration


def registration_calendar(registration: Registration, *, site_url: str) -> bytes:
    forum = registration.forum
    events = [forum_event(forum, site_url=site_url)]
    for place in registration.workshop_places.all():
        if place.status != PlaceStatus.CONFIRMED:
            continue
        workshop = place.workshop
        events.append(
            CalendarEvent(
                uid=f"workshop-{workshop.pk}-registration-{registration.pk}@forumdesk",
                starts_at=workshop.starts_at,
                ends_at=workshop.ends_at,
                time_zone=forum.time_zone,
                summary=f"{workshop.code} {workshop.title} – {forum.title}",
                location=", ".join(
                    part for part in [workshop.room, forum.venue, forum.city] if part
                ),
                url=f"{site_url}{forum.get_absolute_url()}",
                description=workshop.description,
            )
        )
    return calendar_bytes(events, name=forum.title)
