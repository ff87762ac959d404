from datetime import datetime

from django.db import transaction
from django.utils.text import slugify

from forums.enums import ForumStatus
from forums.models import Forum, Sponsorship
from forums.signals import forum_duplicated


def _free_slug(base: str) -> str:
    base = slugify(base)[:70] or "forum"
    slug, counter = base, 2
    while Forum.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


@transaction.atomic
def forum_duplicate(
    *, forum: Forum, starts_at: datetime, title: str | None = None, slug: str | None = None
) -> Forum:
    """Copy a forum to a new start time as a draft: its details, supporters, agenda (shifted by
    the same amount), the sponsors still members on the new date, and whatever other apps copy on
    `forum_duplicated` (workshops). Registrations are not copied; invitation codes are new.
    Sends no e-mail."""
    shift = starts_at - forum.starts_at
    copy = Forum.objects.get(pk=forum.pk).unsaved_copy()
    if title:
        # The title typed is the English one, whatever language the admin is shown in; the
        # Spanish title is copied as it was.
        copy.title_en = title
    copy.slug = slug or _free_slug(f"{copy.title_en}-{starts_at.astimezone(forum.zone).year}")
    copy.status = ForumStatus.DRAFT
    copy.starts_at = forum.starts_at + shift
    copy.ends_at = forum.ends_at + shift
    copy.registration_opens_at = None
    copy.registration_closes_at = None
    copy.full_clean()
    copy.save()
    copy.supporters.set(forum.supporters.all())

    for item in forum.agenda_items.prefetch_related("speakers", "presenting_organisations"):
        speakers = list(item.speakers.all())
        organisations = list(item.presenting_organisations.all())
        item.pk = None
        # Else set() below compares with the source's rows. The stubs leave out Django's cache.
        item._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        item.forum = copy
        item.starts_at += shift
        if item.ends_at:
            item.ends_at += shift
        item.save()
        item.speakers.set(speakers)
        item.presenting_organisations.set(organisations)

    new_day = copy.local_date
    for sponsorship in forum.sponsorships.select_related("organisation"):
        if sponsorship.organisation.is_member_on(new_day):
            Sponsorship.objects.create(
                forum=copy, organisation=sponsorship.organisation, role=sponsorship.role
            )

    forum_duplicated.send(sender=Forum, source=forum, copy=copy, shift=shift)
    return copy
