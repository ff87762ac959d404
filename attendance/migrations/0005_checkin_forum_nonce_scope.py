"""A check-in's nonce is unique per forum and device rather than site-wide, and imported
check-ins get nonces no one can guess.

Forwards: CheckIn gets its registration's forum (copied, so that a constraint can name it) and a
`reason` (for attendance recorded after the day); the site-wide unique nonce becomes unique per
(forum, device, nonce); imported and migrated check-ins' nonces ("import-<registration>-door",
"migrated-<registration>", which anyone could work out) are replaced by random ones with the
same prefix (0004's way back finds its own by "migrated-").

Backwards: the columns and the constraint go; imported nonces stay random (still unique)."""

import secrets

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_forum_and_draw_import_nonces(apps, schema_editor):
    CheckIn = apps.get_model("attendance", "CheckIn")
    Registration = apps.get_model("registrations", "Registration")
    CheckIn.objects.update(
        forum_id=Subquery(
            Registration.objects.filter(pk=OuterRef("registration_id")).values("forum_id")[:1]
        )
    )
    imported = list(CheckIn.objects.filter(source="import").only("pk", "nonce"))
    for checkin in imported:
        prefix = "migrated" if checkin.nonce.startswith("migrated-") else "import"
        checkin.nonce = f"{prefix}-{secrets.token_hex(16)}"
    CheckIn.objects.bulk_update(imported, ["nonce"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0004_attendance_from_registration_status"),
        ("forums", "0001_initial"),
        ("registrations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="forum",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="forums.forum",
            ),
        ),
        migrations.AddField(
            model_name="checkin",
            name="reason",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="nonce",
            field=models.CharField(max_length=64),
        ),
        migrations.RunPython(copy_forum_and_draw_import_nonces, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="checkin",
            name="forum",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="+", to="forums.forum"
            ),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.UniqueConstraint(
                fields=("forum", "device", "nonce"), name="checkin_nonce_once_per_forum_device"
            ),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="source",
            field=models.CharField(
                choices=[
                    ("scan", "Badge scanned"),
                    ("search", "Found by search"),
                    ("import", "Imported list"),
                    ("walk_in", "Walk-in"),
                    ("after_the_day", "Recorded after the day"),
                ],
                max_length=20,
            ),
        ),
    ]
