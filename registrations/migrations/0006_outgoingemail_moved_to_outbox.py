# OutgoingEmail now belongs to the outbox app (outbox/migrations/0001), which keeps its table
# and rows: here it only leaves registrations' state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registrations', '0005_outgoingemail_claimed_until'),
        ('outbox', '0001_outgoingemail_from_registrations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='OutgoingEmail')],
            database_operations=[],
        ),
    ]
