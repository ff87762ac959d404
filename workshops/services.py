from datetime import timedelta

from forums.models import Forum


def workshops_copy_on_duplicate(
    sender: object, *, source: Forum, copy: Forum, shift: timedelta, **kwargs: object
) -> None:
    """Copy a forum's workshops, with their facilitators, onto its duplicate, shifted in time.
    Runs inside forum_duplicate's transaction. Sends nothing."""
    for workshop in source.workshops.prefetch_related("facilitators", "led_by"):
        facilitators = list(workshop.facilitators.all())
        led_by = list(workshop.led_by.all())
        duplicate = workshop.unsaved_copy()
        duplicate.forum = copy
        duplicate.starts_at += shift
        duplicate.ends_at += shift
        duplicate.save()
        duplicate.facilitators.set(facilitators)
        duplicate.led_by.set(led_by)
