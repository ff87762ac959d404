"""Attendance moves from the registration's status to check-ins.

Forwards: an "attended" registration becomes "confirmed" with one door check-in from an import
(at the forum's start, nonce "migrated-<registration id>"); a "no_show" becomes "confirmed"; a
forum that had either is marked held (its earlier status remembered, as forum_mark_held does),
so that its confirmed registrants without a check-in read as no-shows.

Backwards: a confirmed registration with a door check-in not undone becomes "attended", one
without in a held or archived forum "no_show"; the migrated check-ins are deleted. Forums stay
held: they were."""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone

HELD = ["held", "archived"]


def forwards(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    CheckIn = apps.get_model("attendance", "CheckIn")
    Forum = apps.get_model("forums", "Forum")
    HeldMarking = apps.get_model("attendance", "HeldMarking")

    forum_ids = set(
        Registration.objects.filter(status__in=["attended", "no_show"]).values_list(
            "forum_id", flat=True
        )
    )
    attended = Registration.objects.filter(status="attended").annotate(
        at_door=Exists(
            CheckIn.objects.filter(
                registration=OuterRef("pk"), workshop__isnull=True, undone_at__isnull=True
            )
        )
    )
    CheckIn.objects.bulk_create(
        (
            CheckIn(
                registration_id=pk,
                workshop=None,
                checked_in_at=starts_at,
                nonce=f"migrated-{pk}",
                source="import",
            )
            for pk, starts_at in attended.filter(at_door=False)
            .values_list("pk", "forum__starts_at")
            .iterator(chunk_size=2000)
        ),
        batch_size=500,
    )
    Registration.objects.filter(status__in=["attended", "no_show"]).update(status="confirmed")

    now = timezone.now()
    for forum in Forum.objects.filter(pk__in=forum_ids).exclude(status__in=HELD):
        HeldMarking.objects.update_or_create(
            forum=forum, defaults={"previous_status": forum.status, "marked_at": now}
        )
        forum.status = "held"
        forum.save(update_fields=["status"])


def backwards(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    CheckIn = apps.get_model("attendance", "CheckIn")

    at_door = Exists(
        CheckIn.objects.filter(
            registration=OuterRef("pk"), workshop__isnull=True, undone_at__isnull=True
        )
    )
    confirmed = Registration.objects.filter(status="confirmed")
    confirmed.filter(at_door).update(status="attended")
    confirmed.filter(~at_door, forum__status__in=HELD).update(status="no_show")
    CheckIn.objects.filter(nonce__startswith="migrated-", source="import").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0003_heldmarking"),
        ("forums", "0004_forum_reminder_days_before"),
        ("registrations", "0010_registration_status_without_attendance"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
