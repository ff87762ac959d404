"""The outbox keeps every message until it has gone. A message is leased while it is being sent;
when the worker sending it dies, the sweep puts it back in the queue once the lease has run out.
Two workers never send the same message, and a message sent is never sent again. Logs name
messages by id, never by address.

The tests with worker processes run `manage.py db_worker` against the test database (a file on
SQLite, or PostgreSQL with DATABASE_URL) and kill it with SIGKILL while it is sending."""

import email
import email.policy
import io
import logging
import os
import subprocess
import sys
import threading
import time
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingEmail
from outbox.services import email_deliver, outbox_requeue, outgoing_email_create
from outbox.tasks import send_email

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
STUCK = "tests.mail_servers.StuckMailServer"
EML_FILES = "config.mail.EmlFileBackend"
PROCESS_TIMEOUT = 60  # seconds; a hang fails the test instead of blocking the run
NOW = datetime(2036, 3, 1, 9, 0, tzinfo=UTC)


def store(to="siti@supplier.example", **fields):
    """An OutgoingEmail row as the code leaves it, without enqueuing a task."""
    values = {
        "kind": "confirmation",
        "to": to,
        "subject": "Registration confirmed: Forum Kuala Lumpur",
        "body_text": "Dear Siti,\n\nYour registration is confirmed.\n",
        **fields,
    }
    return OutgoingEmail.objects.create(**values)


# --- one process: lease, sweep, no second send ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_send_email_two_workers_at_once_send_it_once(settings):
    settings.EMAIL_BACKEND = "tests.mail_servers.SlowMailServer"
    outgoing = store()
    workers = 4
    barrier = threading.Barrier(workers, timeout=PROCESS_TIMEOUT)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(send_email.call(outgoing.pk))
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=PROCESS_TIMEOUT)

    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert [m.to for m in mail.outbox] == [["siti@supplier.example"]]
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.claimed_until) == (
        OutgoingEmail.Status.SENT,
        1,
        None,
    )


def test_send_email_leaves_a_message_already_sent_alone(db):
    outgoing = store(status=OutgoingEmail.Status.SENT, attempts=1, sent_at=NOW)

    assert send_email.call(outgoing.pk) is False
    assert email_deliver(outgoing) is False

    assert mail.outbox == []
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.sent_at) == (
        OutgoingEmail.Status.SENT,
        1,
        NOW,
    )


def test_send_email_leaves_a_message_leased_by_another_worker_alone(db):
    with time_machine.travel(NOW, tick=False):
        outgoing = store(attempts=1, claimed_until=NOW + timedelta(seconds=1))

        assert send_email.call(outgoing.pk) is False

    assert mail.outbox == []
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (OutgoingEmail.Status.PENDING, 1)


def test_send_email_waits_for_the_next_attempt_time(db):
    with time_machine.travel(NOW, tick=False):
        outgoing = store(attempts=1, next_attempt_at=NOW + timedelta(minutes=1))
        assert send_email.call(outgoing.pk) is False
        assert mail.outbox == []

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert send_email.call(outgoing.pk) is True

    assert [m.to for m in mail.outbox] == [["siti@supplier.example"]]
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (OutgoingEmail.Status.SENT, 2)


def test_outbox_requeue_takes_back_lost_messages_only(
    db, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_LEASE_SECONDS = 600
    lease = timedelta(seconds=600)
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        died_sending = store("died@example.com", attempts=1, claimed_until=NOW - lease)
        never_picked_up = store("lost@example.com")
        failed = store("failed@example.com", status=OutgoingEmail.Status.FAILED, attempts=8)
        sent = store("sent@example.com", status=OutgoingEmail.Status.SENT, attempts=1)
    with time_machine.travel(NOW - timedelta(seconds=30), tick=False):
        being_sent = store("sending@example.com", attempts=1, claimed_until=NOW + lease)
        just_queued = store("queued@example.com")
        retry_later = store("later@example.com", attempts=2, next_attempt_at=NOW + lease)

    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks() as enqueues:
            requeued = outbox_requeue()
            # Running again at once, the sweep leaves them to the tasks it has just queued.
            again = outbox_requeue()
        assert (requeued, again, mail.outbox) == ([died_sending.pk, never_picked_up.pk], [], [])
        for enqueue in enqueues:
            enqueue()

    assert sorted(m.to[0] for m in mail.outbox) == ["died@example.com", "lost@example.com"]
    statuses = dict(OutgoingEmail.objects.values_list("to", "status"))
    assert statuses == {
        "died@example.com": "sent",
        "lost@example.com": "sent",
        "failed@example.com": "failed",
        "sent@example.com": "sent",
        "sending@example.com": "pending",
        "queued@example.com": "pending",
        "later@example.com": "pending",
    }
    for untouched in [failed, sent, being_sent, just_queued, retry_later]:
        row = OutgoingEmail.objects.get(pk=untouched.pk)
        assert (row.attempts, row.claimed_until) == (untouched.attempts, untouched.claimed_until)


@pytest.mark.django_db(transaction=True)
def test_outbox_requeue_command_starts_one_periodic_sweep(settings):
    settings.TASKS = DATABASE_TASKS
    settings.OUTBOX_SWEEP_SECONDS = 60
    outputs = []
    with time_machine.travel(NOW, tick=False):
        for _run in range(2):
            out = io.StringIO()
            call_command("outbox_requeue", stdout=out)
            outputs.append(out.getvalue())

    assert outputs == [
        "Re-queued 0 e-mails.\nOutbox sweep scheduled every 60 seconds.\n",
        "Re-queued 0 e-mails.\n",
    ]
    (sweep,) = DBTaskResult.objects.all()
    assert (sweep.task_path, sweep.status, sweep.run_after) == (
        "outbox.tasks.outbox_sweep",
        "READY",
        NOW + timedelta(seconds=60),
    )


def test_failed_send_logs_the_message_id_not_the_address(db, settings, caplog):
    settings.EMAIL_BACKEND = "tests.mail_servers.MailServerRefusesRecipient"
    outgoing = store("r159@supplier.example")

    with caplog.at_level(logging.INFO):
        assert send_email.call(outgoing.pk) is False

    assert [r.getMessage() for r in caplog.records] == [
        f"E-mail {outgoing.pk} not sent (attempt 1 of 8): SMTPRecipientsRefused"
    ]
    assert "r159" not in caplog.text
    outgoing.refresh_from_db()
    assert outgoing.last_error == (
        "SMTPRecipientsRefused: {'r159@supplier.example': (550, b'5.1.1 No such user')}"
    )


# --- worker processes killed while sending ---------------------------------------------------


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def manage(tmp_path, *args, backend, lease=600):
    """Start `manage.py *args` on the test database, sending mail with `backend`; .eml files
    and the stuck server's marker go to tmp_path/mail."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(
        DATABASE_URL=database_url(),
        VAR_DIR=str(tmp_path),
        EMAIL_BACKEND=backend,
        OUTBOX_LEASE_SECONDS=str(lease),
        OUTBOX_SWEEP_SECONDS="1",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def worker(tmp_path, *extra, backend, lease=600):
    args = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", *extra]
    return manage(tmp_path, *args, backend=backend, lease=lease)


def finish(process) -> str:
    """Wait for a process to end; returns what it wrote to standard output."""
    output, errors = process.communicate(timeout=PROCESS_TIMEOUT)
    assert process.returncode == 0, output + errors
    return output


def wait_until(condition, what):
    deadline = time.monotonic() + PROCESS_TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def kill_while_sending(tmp_path, outgoing, *, lease):
    """Start a worker whose mail server never answers, and kill it once it is sending."""
    stuck = worker(tmp_path, backend=STUCK, lease=lease)
    try:
        wait_until(
            lambda: (tmp_path / "mail" / "sending").exists() or stuck.poll() is not None,
            "the worker to start sending",
        )
        assert stuck.poll() is None, "".join(stuck.communicate())
    finally:
        stuck.kill()
        stuck.communicate(timeout=PROCESS_TIMEOUT)
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.sent_at) == (
        OutgoingEmail.Status.PENDING,
        1,
        None,
    )
    assert outgoing.claimed_until > timezone.now()
    # The queue never runs that task again: it stays "running" for ever.
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["RUNNING"]


def eml_messages(tmp_path):
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted((tmp_path / "mail").glob("*.eml"))
    ]


@pytest.mark.django_db(transaction=True)
def test_message_of_a_killed_worker_is_sent_after_outbox_requeue(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    outgoing = outgoing_email_create(
        kind="confirmation",
        to="siti@supplier.example",
        subject="Registration confirmed: Forum Kuala Lumpur",
        body_text="Dear Siti,\n",
    )
    kill_while_sending(tmp_path, outgoing, lease=2)

    # A fresh worker alone finds nothing to do: the task is "running", the message leased.
    finish(worker(tmp_path, "--batch", backend=EML_FILES))
    outgoing.refresh_from_db()
    assert (outgoing.status, eml_messages(tmp_path)) == (OutgoingEmail.Status.PENDING, [])

    # Cron runs outbox_requeue; once the lease has run out it puts the message back.
    wait_until(lambda: timezone.now() > outgoing.claimed_until, "the lease to run out")
    assert finish(manage(tmp_path, "outbox_requeue", backend=EML_FILES)).splitlines() == [
        "Re-queued 1 e-mail.",
        "Outbox sweep scheduled every 1 second.",
    ]
    finish(worker(tmp_path, "--batch", backend=EML_FILES))

    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.claimed_until) == (
        OutgoingEmail.Status.SENT,
        2,
        None,
    )
    (message,) = eml_messages(tmp_path)
    assert (message["To"], message["Subject"]) == (
        "siti@supplier.example",
        "Registration confirmed: Forum Kuala Lumpur",
    )


@pytest.mark.django_db(transaction=True)
def test_message_of_a_killed_worker_is_sent_by_the_periodic_sweep(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    settings.OUTBOX_SWEEP_SECONDS = 1
    outgoing = outgoing_email_create(
        kind="confirmation",
        to="siti@supplier.example",
        subject="Registration confirmed: Forum Kuala Lumpur",
        body_text="Dear Siti,\n",
    )
    kill_while_sending(tmp_path, outgoing, lease=5)
    # As `make worker` does before starting the worker: sweep once, start the periodic sweep.
    out = io.StringIO()
    call_command("outbox_requeue", stdout=out)
    assert out.getvalue().splitlines()[0] == "Re-queued 0 e-mails."

    fresh = worker(tmp_path, backend=EML_FILES)
    try:
        wait_until(
            lambda: OutgoingEmail.objects.filter(
                pk=outgoing.pk, status=OutgoingEmail.Status.SENT
            ).exists(),
            "the message to be sent",
        )
    finally:
        fresh.terminate()
        fresh.communicate(timeout=PROCESS_TIMEOUT)

    outgoing.refresh_from_db()
    assert (outgoing.attempts, outgoing.claimed_until) == (2, None)
    assert [m["To"] for m in eml_messages(tmp_path)] == ["siti@supplier.example"]


def test_outbox_lease_setting_must_be_a_whole_number():
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment["OUTBOX_LEASE_SECONDS"] = "ten minutes"
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: OUTBOX_LEASE_SECONDS must be a whole "
        "number of at least 1, not 'ten minutes'."
    )
