# The outbox knows no other app: the foreign key to a registration becomes a generic reference
# to what the message is about (the rows about a registration keep pointing at it); a message
# can be queued unrendered, with the parameters its renderer needs; the table takes the app's
# name.

import django.db.models.deletion
import outbox.registry
from django.db import migrations, models


def registration_to_about(apps, schema_editor):
    OutgoingEmail = apps.get_model("outbox", "OutgoingEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    about_registrations = OutgoingEmail.objects.exclude(registration=None)
    if not about_registrations.exists():
        return
    registration_type, _ = ContentType.objects.get_or_create(
        app_label="registrations", model="registration"
    )
    about_registrations.update(
        about_type=registration_type, about_id=models.F("registration_id")
    )


def about_to_registration(apps, schema_editor):
    OutgoingEmail = apps.get_model("outbox", "OutgoingEmail")
    OutgoingEmail.objects.filter(
        about_type__app_label="registrations", about_type__model="registration"
    ).update(registration_id=models.F("about_id"))


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('outbox', '0001_outgoingemail_from_registrations'),
    ]

    operations = [
        migrations.AddField(
            model_name='outgoingemail',
            name='about_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='outgoingemail',
            name='about_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='outgoingemail',
            name='language',
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name='outgoingemail',
            name='params',
            field=models.JSONField(blank=True, default=dict),
        ),
        # Every message stored so far was stored rendered.
        migrations.AddField(
            model_name='outgoingemail',
            name='rendered',
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(registration_to_about, about_to_registration),
        migrations.RemoveField(
            model_name='outgoingemail',
            name='registration',
        ),
        migrations.AlterField(
            model_name='outgoingemail',
            name='kind',
            field=models.CharField(choices=outbox.registry.email_kind_choices, max_length=40),
        ),
        migrations.AlterField(
            model_name='outgoingemail',
            name='subject',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='outgoingemail',
            name='body_text',
            field=models.TextField(blank=True),
        ),
        migrations.AlterModelTable(
            name='outgoingemail',
            table=None,
        ),
        migrations.RenameIndex(
            model_name='outgoingemail',
            new_name='outbox_outg_status_4529bc_idx',
            old_name='registratio_status_ca3dc2_idx',
        ),
        migrations.AddIndex(
            model_name='outgoingemail',
            index=models.Index(fields=['about_type', 'about_id'], name='outbox_outg_about_t_d1edcc_idx'),
        ),
    ]
