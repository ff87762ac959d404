"""Staff accounts that ran forums before the secretariat's permissions existed keep doing so
after the migrations: accounts/migrations/0003 puts them in "Forum managers"."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import User
from accounts.permissions import can_run_forums

BEFORE = ("accounts", "0002_secretariat_groups")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    applied = MigrationRecorder(connection).applied_migrations()
    return executor.loader.project_state(list(applied), at_end=True).apps


@pytest.mark.django_db(transaction=True)
def test_existing_staff_in_no_group_become_forum_managers(settings):
    settings.STAFF_REQUIRE_MFA = False
    # From before the groups, so that 0002 makes them again (the test database was flushed).
    migrate([("accounts", "0001_initial")])
    old = migrate([BEFORE])
    OldUser = old.get_model("accounts", "User")
    Group = old.get_model("auth", "Group")

    def make(email, **fields):
        return OldUser.objects.create(email=email, **fields)

    make("staff@secretariat.example", is_staff=True)
    make("reader@secretariat.example", is_staff=True).groups.add(
        Group.objects.get(name="Report readers")
    )
    make("former@secretariat.example", is_staff=True, is_active=False)
    make("root@secretariat.example", is_staff=True, is_superuser=True)
    make("rep@member.example")

    migrate(None)

    def groups(email):
        return sorted(User.objects.get(email=email).groups.values_list("name", flat=True))

    assert groups("staff@secretariat.example") == ["Forum managers"]
    assert groups("reader@secretariat.example") == ["Report readers"]
    assert groups("former@secretariat.example") == []
    assert groups("root@secretariat.example") == []
    assert groups("rep@member.example") == []
    assert can_run_forums(User.objects.get(email="staff@secretariat.example"))
    assert not can_run_forums(User.objects.get(email="reader@secretariat.example"))
