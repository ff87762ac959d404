"""A check-in's nonce is unique per forum and device rather than site-wide, and imported
check-ins get nonces no one can guess.

Forwards: CheckIn gets its registration's forum (copied, so that a constraint can name it) and a
`reason` (for attendance recorded after the day); the site-wide unique nonce becomes unique per
(forum, device, nonce); imported and migrated check-ins' nonces ("import-<registration>-door",
"migrated-<registration>", which anyone could work out) are replaced by random ones with the
same prefix (0004's way back finds its own by "migrated-").

0006 fills the forum in and draws the nonces, 0007 makes the forum required and adds the
constraint: PostgreSQL cannot alter or index a table in the transaction that just updated its
rows (deferred foreign-key checks are pending), so each step is a migration of its own.

Backwards: the columns and the constraint go; imported nonces stay random (still unique)."""

from django.db import migrations, models


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
