"""Each check-in gets its registration's forum, and imported and migrated check-ins random
nonces with their prefix ("import-", "migrated-": 0004's way back finds its own by the latter).
Backwards: nothing (the columns go in 0005)."""

import secrets

from django.db import migrations
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
    dependencies = [("attendance", "0005_checkin_forum_nonce_scope")]

    operations = [
        migrations.RunPython(copy_forum_and_draw_import_nonces, migrations.RunPython.noop),
    ]
