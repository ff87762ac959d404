"""Outgoing e-mails stored before the outbox became an app keep their rows, and those about a
registration still say which one, on SQLite and on PostgreSQL (run with DATABASE_URL); sending
tasks waiting in the queue follow the task to its new path. The migrations also go back, rows
and all."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingEmail
from registrations.models import Registration

BEFORE = ("registrations", "0005_outgoingemail_claimed_until")
SENT_AT = datetime(2036, 2, 1, 0, 18, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    applied = MigrationRecorder(connection).applied_migrations()
    return executor.loader.project_state(list(applied), at_end=True).apps


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def rows_before_the_move(old_apps) -> int:
    """Stores a sent confirmation about a registration and a failed allauth message, as the code
    before the move did; returns the registration's id."""
    forum = old_apps.get_model("forums", "Forum").objects.create(
        title="Forum Kuala Lumpur",
        slug="kl",
        city="Kuala Lumpur",
        country="MY",
        time_zone="Asia/Kuala_Lumpur",
        starts_at=datetime(2036, 3, 11, 1, 0, tzinfo=UTC),
        ends_at=datetime(2036, 3, 11, 9, 0, tzinfo=UTC),
        capacity=100,
        status="registration_open",
    )
    person = old_apps.get_model("forums", "Person").objects.create(
        first_name="Siti", last_name="Rahman", email="siti@supplier.example"
    )
    registration = old_apps.get_model("registrations", "Registration").objects.create(
        forum=forum, person=person, secret="s" * 43
    )
    old_email = old_apps.get_model("registrations", "OutgoingEmail")
    old_email.objects.create(
        kind="confirmation",
        registration=registration,
        to="siti@supplier.example",
        subject="Registration confirmed: Forum Kuala Lumpur",
        body_text="Dear Siti,\n",
        body_html="<p>Dear Siti,</p>",
        ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        status="sent",
        attempts=1,
        sent_at=SENT_AT,
    )
    old_email.objects.create(
        kind="account_password_reset_key",
        to="priya@example.com",
        subject="[Forum Desk] Choose a new password",
        body_text="Hello,\n",
        status="failed",
        attempts=8,
        last_error="SMTPException: Connection refused by mail.example",
    )
    return registration.pk


def queued(task_path: str, status: str) -> str:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path=task_path,
        status=status,
        backend_name="default",
        enqueued_at=timezone.now(),
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    ).pk


def outbox_rows() -> list[tuple]:
    return [
        (
            e.kind,
            e.about,
            e.to,
            e.rendered,
            e.params,
            e.subject,
            e.body_text,
            e.body_html,
            e.ics,
            e.status,
            e.attempts,
            e.last_error,
            e.sent_at,
        )
        for e in OutgoingEmail.objects.order_by("pk")
    ]


@pytest.mark.django_db(transaction=True)
def test_outgoing_emails_keep_their_rows_and_registration_in_the_outbox():
    try:
        old_apps = migrate([BEFORE, ("outbox", None)])
        assert ("outbox_outgoingemail" in tables(), "registrations_outgoingemail" in tables()) == (
            False,
            True,
        )
        registration_id = rows_before_the_move(old_apps)
        waiting = queued("registrations.tasks.send_email", "READY")
        done = queued("registrations.tasks.send_email", "SUCCESSFUL")
        sweep = queued("registrations.tasks.outbox_sweep", "READY")

        migrate(None)

        assert ("outbox_outgoingemail" in tables(), "registrations_outgoingemail" in tables()) == (
            True,
            False,
        )
        registration = Registration.objects.get(pk=registration_id)
        assert outbox_rows() == [
            (
                "confirmation",
                registration,
                "siti@supplier.example",
                True,
                {},
                "Registration confirmed: Forum Kuala Lumpur",
                "Dear Siti,\n",
                "<p>Dear Siti,</p>",
                "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                "sent",
                1,
                "",
                SENT_AT,
            ),
            (
                "account_password_reset_key",
                None,
                "priya@example.com",
                True,
                {},
                "[Forum Desk] Choose a new password",
                "Hello,\n",
                "",
                "",
                "failed",
                8,
                "SMTPException: Connection refused by mail.example",
                None,
            ),
        ]

        paths = dict(DBTaskResult.objects.values_list("pk", "task_path"))
        assert [paths[waiting], paths[done], paths[sweep]] == [
            "outbox.tasks.send_email",
            "registrations.tasks.send_email",
            "outbox.tasks.outbox_sweep",
        ]

        old_apps = migrate([BEFORE, ("outbox", None)])

        paths = dict(DBTaskResult.objects.values_list("pk", "task_path"))
        assert [paths[waiting], paths[sweep]] == [
            "registrations.tasks.send_email",
            "registrations.tasks.outbox_sweep",
        ]
        back = old_apps.get_model("registrations", "OutgoingEmail").objects.order_by("pk")
        assert [(e.kind, e.registration_id, e.status) for e in back] == [
            ("confirmation", registration_id, "sent"),
            ("account_password_reset_key", None, "failed"),
        ]
    finally:
        migrate(None)
