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


def calendar_bytes(events: Iterable[CalendarEvent], *, name: str = "Forum Desk") -> bytes:
    """A VCALENDAR whose events carry their local zone (TZID) with matching VTIMEZONEs, so
    calendar programs show each forum at the local time of its city."""
    import zoneinfo

    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Forum Desk//forumdesk//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for item in events:
        zone = zoneinfo.ZoneInfo(item.time_zone)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at.astimezone(zone))
        event.add("dtend", item.ends_at.astimezone(zone))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        if item.description:
            event.add("description", item.description)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
