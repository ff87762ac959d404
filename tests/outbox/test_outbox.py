"""The outbox keeps every message until it has gone. A message is leased while it is being sent;
when the worker sending it dies, the sweep puts it back in the queue once the lease has run out.
Two workers never send the same message, and a message sent is never sent again. Logs name
messages by id, never by address.

The tests with worker processes run `manage.py worker` against the test database (a file on
SQLite, or PostgreSQL with DATABASE_URL) and kill it with SIGKILL while it is sending."""

import email
import email.policy
import io
import logging
import os
import signal
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
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingEmail
from outbox.services import email_deliver, outbox_requeue, outgoing_email_create
from outbox.sweep import PeriodicSweep
from outbox.tasks import send_email
from tests.outbox.smtp_sink import SmtpSink

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
def test_outbox_requeue_command_sweeps_once_and_queues_no_sweep(settings):
    settings.TASKS = DATABASE_TASKS
    with time_machine.travel(NOW, tick=False):
        died_sending = store(attempts=1, claimed_until=NOW - timedelta(seconds=1))
        out = io.StringIO()
        call_command("outbox_requeue", stdout=out)

    assert out.getvalue() == "Re-queued 1 e-mail.\n"
    # The worker sweeps by itself: the queue holds the message's task and no sweep.
    assert list(DBTaskResult.objects.values_list("task_path", "args_kwargs")) == [
        ("outbox.tasks.send_email", {"args": [died_sending.pk], "kwargs": {}})
    ]


# --- the worker sweeps at start and every OUTBOX_SWEEP_SECONDS, in process --------------------


@pytest.fixture
def worker_in_process():
    """`manage.py worker` run in the test process sets signal handlers and logging as for a
    process of its own; put them back afterwards."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    saved = [(log, log.level, list(log.handlers)) for log in loggers]
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    for log, level, log_handlers in saved:
        log.setLevel(level)
        log.handlers[:] = log_handlers


def run_worker(*args) -> str:
    out = io.StringIO()
    call_command("worker", "--no-reload", "--no-startup-delay", *args, stdout=out)
    return out.getvalue()


def held_by_a_dead_worker(lease: timedelta) -> OutgoingEmail:
    """A queued message whose worker took the task and the lease, then died before sending."""
    outgoing = outgoing_email_create(
        kind="confirmation",
        to="siti@supplier.example",
        subject="Registration confirmed: Forum Kuala Lumpur",
        body_text="Dear Siti,\n",
    )
    (task,) = DBTaskResult.objects.all()
    task.claim("dead-worker")
    task.save()
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(
        attempts=1, claimed_until=timezone.now() + lease
    )
    return outgoing


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("after_the_lease", "requeued"),
    [(timedelta(0), 0), (timedelta(microseconds=1), 1)],
    ids=["lease-just-running", "lease-just-out"],
)
def test_worker_at_start_sends_what_a_dead_worker_held_once_the_lease_is_out(
    settings, worker_in_process, after_the_lease, requeued
):
    settings.TASKS = DATABASE_TASKS
    lease = timedelta(seconds=600)
    with time_machine.travel(NOW, tick=False):
        outgoing = held_by_a_dead_worker(lease)
    with time_machine.travel(NOW + lease + after_the_lease, tick=False):
        output = run_worker("--batch")
        # Started again, it finds nothing more to send.
        again = run_worker("--batch")

    assert output.splitlines()[0] == f"Re-queued {requeued} e-mail{'s' * (requeued != 1)}."
    assert again.splitlines()[0] == "Re-queued 0 e-mails."
    outgoing.refresh_from_db()
    if requeued:
        assert [(m.to, m.subject) for m in mail.outbox] == [
            (["siti@supplier.example"], "Registration confirmed: Forum Kuala Lumpur")
        ]
        assert (outgoing.status, outgoing.attempts, outgoing.claimed_until) == (
            OutgoingEmail.Status.SENT,
            2,
            None,
        )
    else:  # the dead worker's lease still holds: the message waits for it to run out
        assert mail.outbox == []
        assert (outgoing.status, outgoing.attempts, outgoing.claimed_until) == (
            OutgoingEmail.Status.PENDING,
            1,
            NOW + lease,
        )


@pytest.mark.django_db(transaction=True)
def test_periodic_sweep_requeues_a_lease_that_runs_out_while_the_worker_runs(settings):
    lease = timedelta(seconds=600)
    with time_machine.travel(NOW, tick=False) as traveller:
        outgoing = store(attempts=1, claimed_until=NOW + lease)
        sweep = PeriodicSweep(seconds=0.05)
        sweep.start()
        try:
            time.sleep(0.5)  # several sweeps while the dead worker's lease holds
            assert mail.outbox == []
            traveller.move_to(NOW + lease + timedelta(seconds=1))
            wait_until(lambda: mail.outbox, "the sweep to send the message")
            time.sleep(0.5)  # more sweeps: they leave the sent message alone
        finally:
            sweep.stop()
            sweep.join(timeout=PROCESS_TIMEOUT)

    assert not sweep.is_alive()
    assert [m.to for m in mail.outbox] == [["siti@supplier.example"]]
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (OutgoingEmail.Status.SENT, 2)


@pytest.mark.django_db(transaction=True)
def test_periodic_sweep_carries_on_after_a_failed_sweep(settings, monkeypatch, caplog):
    calls = []

    def requeue():
        calls.append(len(calls))
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return []

    monkeypatch.setattr("outbox.services.outbox_requeue", requeue)
    sweep = PeriodicSweep(seconds=0.05)
    with caplog.at_level(logging.ERROR, logger="outbox.sweep"):
        sweep.start()
        try:
            wait_until(lambda: len(calls) >= 3, "two more sweeps after the failed one")
        finally:
            sweep.stop()
            sweep.join(timeout=PROCESS_TIMEOUT)

    assert [r.getMessage() for r in caplog.records] == [
        "Sweep outbox.services.outbox_requeue failed; the next one runs in 0.05 s"
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("args", "autoreload_child", "sweeps"),
    [
        ([], False, [60]),
        (["--batch"], False, []),
        (["--reload"], False, []),  # the process that only watches the code
        (["--reload"], True, [60]),  # the worker it runs
    ],
    ids=["worker", "batch", "reload-watcher", "reload-worker"],
)
def test_worker_starts_one_periodic_sweep_where_it_runs_tasks(
    settings, worker_in_process, monkeypatch, args, autoreload_child, sweeps
):
    settings.TASKS = DATABASE_TASKS
    settings.OUTBOX_SWEEP_SECONDS = 60
    started = []
    monkeypatch.setattr(PeriodicSweep, "start", lambda self: started.append(self.seconds))
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.Worker.run", lambda s: None)
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.run_with_reloader", lambda run: run()
    )
    if autoreload_child:
        monkeypatch.setenv("RUN_MAIN", "true")
    else:
        monkeypatch.delenv("RUN_MAIN", raising=False)

    out = io.StringIO()
    call_command("worker", "--no-startup-delay", *(args or ["--no-reload"]), stdout=out)

    assert started == sweeps
    expected = (
        ["Re-queued 0 e-mails.", "Re-queued 0 registrations."]
        if sweeps or "--batch" in args
        else []
    )
    if sweeps:
        expected.append("Sweep scheduled every 60 seconds.")
    assert out.getvalue().splitlines() == expected


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


def manage(tmp_path, *args, backend, lease=600, **more_env):
    """Start `manage.py *args` on the test database, sending mail with `backend` (with "", the
    SMTP server that `more_env`'s EMAIL_HOST names); .eml files and the stuck server's marker
    go to tmp_path/mail."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(
        DATABASE_URL=database_url(),
        VAR_DIR=str(tmp_path),
        EMAIL_BACKEND=backend,
        OUTBOX_LEASE_SECONDS=str(lease),
        OUTBOX_SWEEP_SECONDS="1",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        **more_env,
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def worker(tmp_path, *extra, backend, lease=600, **more_env):
    """`manage.py worker`, as docs/deploy.md runs it."""
    args = ["worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", *extra]
    return manage(tmp_path, *args, backend=backend, lease=lease, **more_env)


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
    """Start a worker whose mail server never answers, and kill it once it is sending. The
    lease (seconds) must outlast the start of the next worker on a busy machine: a test that
    needs the lease still running when that worker starts gives it several seconds."""
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
def test_message_of_a_killed_worker_is_sent_by_the_next_worker_at_start(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    outgoing = outgoing_email_create(
        kind="confirmation",
        to="siti@supplier.example",
        subject="Registration confirmed: Forum Kuala Lumpur",
        body_text="Dear Siti,\n",
    )
    kill_while_sending(tmp_path, outgoing, lease=8)

    # Restarted while the dead worker's lease still holds, the worker leaves the message.
    assert timezone.now() < outgoing.claimed_until
    output = finish(worker(tmp_path, "--batch", backend=EML_FILES))
    assert output.splitlines()[0] == "Re-queued 0 e-mails."
    outgoing.refresh_from_db()
    assert (outgoing.status, eml_messages(tmp_path)) == (OutgoingEmail.Status.PENDING, [])

    # Restarted once the lease has run out, it sends it, with no one running outbox_requeue;
    # and a worker started after that sends nothing more.
    wait_until(lambda: timezone.now() > outgoing.claimed_until, "the lease to run out")
    output = finish(worker(tmp_path, "--batch", backend=EML_FILES))
    assert output.splitlines()[0] == "Re-queued 1 e-mail."
    output = finish(worker(tmp_path, "--batch", backend=EML_FILES))
    assert output.splitlines()[0] == "Re-queued 0 e-mails."

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
    outgoing = outgoing_email_create(
        kind="confirmation",
        to="siti@supplier.example",
        subject="Registration confirmed: Forum Kuala Lumpur",
        body_text="Dear Siti,\n",
    )
    kill_while_sending(tmp_path, outgoing, lease=8)

    # Started at once, the worker finds the lease still running (its start-up sweep re-queues
    # nothing); its sweep every second re-queues the message once the lease has run out.
    fresh = worker(tmp_path, backend=EML_FILES, lease=8)
    try:
        wait_until(
            lambda: OutgoingEmail.objects.filter(
                pk=outgoing.pk, status=OutgoingEmail.Status.SENT
            ).exists(),
            "the message to be sent",
        )
        time.sleep(2)  # two more sweeps: they leave the sent message alone
    finally:
        fresh.terminate()
        output, _errors = fresh.communicate(timeout=PROCESS_TIMEOUT)

    assert output.splitlines()[:3] == [
        "Re-queued 0 e-mails.",
        "Re-queued 0 registrations.",
        "Sweep scheduled every 1 second.",
    ]
    outgoing.refresh_from_db()
    assert (outgoing.attempts, outgoing.claimed_until) == (2, None)
    assert [m["To"] for m in eml_messages(tmp_path)] == ["siti@supplier.example"]


@pytest.mark.django_db(transaction=True)
def test_message_of_a_killed_worker_reaches_the_mail_server_once_after_a_restart(
    settings, tmp_path
):
    settings.TASKS = DATABASE_TASKS
    outgoing = outgoing_email_create(
        kind="confirmation",
        to="siti@supplier.example",
        subject="Registration confirmed: Forum Kuala Lumpur",
        body_text="Dear Siti,\n\nYour registration is confirmed.\n",
    )
    kill_while_sending(tmp_path, outgoing, lease=5)
    wait_until(lambda: timezone.now() > outgoing.claimed_until, "the lease to run out")

    with SmtpSink() as sink:
        smtp = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port), "EMAIL_USE_TLS": "false"}
        restarted = worker(tmp_path, backend="", lease=5, **smtp)
        try:
            wait_until(lambda: sink.messages, "the message to reach the mail server")
            time.sleep(2)  # two more sweeps: they leave the sent message alone
        finally:
            restarted.terminate()
            output, _errors = restarted.communicate(timeout=PROCESS_TIMEOUT)

    assert output.splitlines()[0] == "Re-queued 1 e-mail."
    assert [(m["To"], m["Subject"], m.get_content()) for m in sink.messages] == [
        (
            "siti@supplier.example",
            "Registration confirmed: Forum Kuala Lumpur",
            "Dear Siti,\n\nYour registration is confirmed.\n",
        )
    ]
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (OutgoingEmail.Status.SENT, 2)


def test_make_worker_and_make_demo_run_the_worker_that_the_deploy_doc_names():
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")

    def recipe(target: str) -> list[str]:
        lines = makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
        return [line.strip() for line in lines]

    assert "   .venv/bin/python manage.py worker\n" in deploy
    assert recipe("worker") == ["$(BIN)/python manage.py worker"]
    workers = [line for line in recipe("demo") if "worker" in line and "manage.py" in line]
    assert workers == ["$(BIN)/python manage.py worker & worker=$$!; \\"]
    assert "manage.py db_worker" not in deploy + makefile


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
