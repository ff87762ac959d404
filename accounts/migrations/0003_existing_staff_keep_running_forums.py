"""Staff accounts made before the secretariat's permissions existed could run forums because they
were staff. They keep that: every active staff account, not a superuser and in no group, is put
in "Forum managers". Accounts already in a group keep only what their group gives. Going back
leaves the groups as they are (this migration cannot tell whom it put there)."""

from django.db import migrations


def staff_into_forum_managers(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    managers = Group.objects.get(name="Forum managers")
    staff = User.objects.filter(
        is_staff=True, is_active=True, is_superuser=False, groups__isnull=True
    )
    managers.user_set.add(*staff)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_secretariat_groups")]

    operations = [migrations.RunPython(staff_into_forum_managers, migrations.RunPython.noop)]
