import registrations.models
from django.db import migrations, models


def give_each_registration_a_checkin_code(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    for registration in Registration.objects.only("pk").iterator():
        Registration.objects.filter(pk=registration.pk).update(
            checkin_code=registrations.models.new_checkin_code()
        )


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0008_registration_reminded_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="checkin_code",
            field=models.CharField(editable=False, max_length=20, null=True),
        ),
        migrations.RunPython(give_each_registration_a_checkin_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="checkin_code",
            field=models.CharField(
                default=registrations.models.new_checkin_code,
                editable=False,
                max_length=20,
                unique=True,
            ),
        ),
    ]
