"""A check-in's forum is required, and its nonce unique per forum and device (0006 filled the
forum in, in a transaction of its own)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("attendance", "0006_checkin_forum_filled")]

    operations = [
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
    ]
