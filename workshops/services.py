from datetime import timedelta

from forums.models import Forum


def workshops_copy_on_duplicate(
    sender, *, source: Forum, copy: Forum, shift: timedelta, **kwargs
) -> None:
    """Copy a forum's workshops, with their facilitators, onto its duplicate, shifted in time.
    Runs inside forum_duplicate's transaction. Sends nothing."""
    for workshop in source.workshops.prefetch_related("facilitators", "led_by"):
        facilitators = list(workshop.facilitators.all())
        led_by = list(workshop.led_by.all())
        workshop.pk = None
        workshop._prefetched_objects_cache = {}  # else set() below compares with the source's rows
        workshop.forum = copy
        workshop.seats_taken = 0
        workshop.starts_at += shift
        workshop.ends_at += shift
        workshop.save()
        workshop.facilitators.set(facilitators)
        workshop.led_by.set(led_by)
