# Sending tasks waiting in the database queue name the task by its old path: point them at the
# outbox's, so a message queued before the upgrade goes out at once rather than after the sweep.

from django.db import migrations

MOVED = {
    "registrations.tasks.send_email": "outbox.tasks.send_email",
    "registrations.tasks.outbox_sweep": "outbox.tasks.outbox_sweep",
}


def repoint(apps, mapping):
    try:
        task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:  # another task queue, or none: nothing waits in the database
        return
    for old, new in mapping.items():
        task_result.objects.filter(task_path=old, status="READY").update(task_path=new)


def forwards(apps, schema_editor):
    repoint(apps, MOVED)


def backwards(apps, schema_editor):
    repoint(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0002_outgoingemail_about_rendered_params'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
