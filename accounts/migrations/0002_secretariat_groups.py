"""What a secretariat member may do: two permissions of its own and the two groups that give them
(accounts/permissions.py)."""

from django.db import migrations

# Forum managers may change everything of the apps that run a forum in the admin (imports,
# badges, surveys are there), and look at the outbox and the audit log.
RUN_APPS = ["forums", "workshops", "registrations", "attendance", "feedback", "companies"]
LOOK_APPS = ["outbox", "audit"]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are otherwise created after every migration has run, too late for the groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    own = Permission.objects.filter(content_type__app_label="accounts", content_type__model="user")
    run_forums = own.get(codename="run_forums")
    read_reports = own.get(codename="read_reports")

    managers, _ = Group.objects.get_or_create(name="Forum managers")
    managers.permissions.add(
        run_forums,
        read_reports,
        *Permission.objects.filter(content_type__app_label__in=RUN_APPS),
        *Permission.objects.filter(
            content_type__app_label__in=LOOK_APPS, codename__startswith="view_"
        ),
    )
    readers, _ = Group.objects.get_or_create(name="Report readers")
    readers.permissions.add(read_reports)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Forum managers", "Report readers"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("forums", "0005_forum_demo_flag"),
        ("workshops", "0002_workshop_seats_taken_and_more"),
        ("registrations", "0012_registration_participant_category"),
        ("attendance", "0004_attendance_from_registration_status"),
        ("feedback", "0001_surveys"),
        ("companies", "0002_companymerge_moved_by_relation"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [
                    (
                        "run_forums",
                        "Can run forums: registrations, check-in, badges, surveys, imports and "
                        "exports of personal data",
                    ),
                    ("read_reports", "Can read reports and feedback results"),
                ]
            },
        ),
        migrations.RunPython(create_groups, remove_groups),
    ]
