"""Calendar files (RFC 5545): data in, bytes out."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""
    sequence: int = 0
    cancelled: bool = False


def forum_event(forum, *, site_url: str) -> CalendarEvent:
    location = ", ".join(
        part for part in [forum.venue, forum.venue_address, forum.city, forum.country.name] if part
    )
    return CalendarEvent(
        uid=f"forum-{forum.pk}@forumdesk",
        starts_at=forum.starts_at,
        ends_at=forum.ends_at,
        time_zone=forum.time_zone,
        summary=forum.title,
        location=location,
        url=f"{site_url}{forum.get_absolute_url()}",
        description=forum.summary,
    )


def calendar_bytes(
    events: Iterable[CalendarEvent],
    *,
    name: str = "Forum Desk",
    method: str = "",
    organizer: str = "",
    attendee: str = "",
) -> bytes:
    """A VCALENDAR whose events carry their local zone (TZID) with matching VTIMEZONEs, so
    calendar programs show each forum at the local time of its city.

    With a `method` (iTIP, RFC 5546: REQUEST or CANCEL) the file is a message about the
    attendee's own events: each event names the organizer and the attendee, and a calendar
    program updates or removes the events it already holds with the same UID and a lower
    SEQUENCE."""
    import zoneinfo

    from icalendar import Calendar, Event, vCalAddress

    calendar = Calendar()
    calendar.add("prodid", "-//Forum Desk//forumdesk//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for item in events:
        zone = zoneinfo.ZoneInfo(item.time_zone)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", item.sequence)
        event.add("dtstart", item.starts_at.astimezone(zone))
        event.add("dtend", item.ends_at.astimezone(zone))
        event.add("summary", item.summary)
        if item.cancelled or method == "CANCEL":
            event.add("status", "CANCELLED")
        if organizer:
            event.add("organizer", vCalAddress(f"mailto:{organizer}"))
        if attendee:
            address = vCalAddress(f"mailto:{attendee}")
            address.params["RSVP"] = "FALSE"
            event.add("attendee", address)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        if item.description:
            event.add("description", item.description)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
