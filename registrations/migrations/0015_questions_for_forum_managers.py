"""Forum managers run the registration questions too: the group (accounts' migration 0002) was
given the permissions of the apps that run a forum as they stood then."""

from django.db import migrations

MODELS = ["registrationquestion", "questionchoice", "registrationanswer", "answerchoice"]


def give_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are otherwise created after every migration has run, too late for the group.
    app_config = apps.get_app_config("registrations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers = Group.objects.filter(name="Forum managers").first()
    if managers is not None:
        managers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="registrations", content_type__model__in=MODELS
            )
        )


def take_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers = Group.objects.filter(name="Forum managers").first()
    if managers is not None:
        managers.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="registrations", content_type__model__in=MODELS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0014_registration_questions"),
        ("accounts", "0003_existing_staff_keep_running_forums"),
    ]

    operations = [migrations.RunPython(give_permissions, take_permissions)]
