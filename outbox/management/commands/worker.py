"""`manage.py worker`: the background worker that production runs (docs/deploy.md).

It is django-tasks-db's `db_worker`, with every option of it, plus the sweeps (the outbox's, and
the public form's lost submissions'): once at start, so that the messages a dead predecessor held
go out as soon as their leases have run out, and then every OUTBOX_SWEEP_SECONDS in a thread while
the worker runs (outbox/sweep.py).

With RQ instead of the database queue, the same command would start the same sweep and then
run RQ's worker instead of db_worker: the sweep needs nothing from the queue but `send_email`'s
`enqueue`."""

import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.translation import ngettext
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from outbox.sweep import PeriodicSweep, run_sweeps


class Command(DatabaseWorker):
    help = (
        "Run the background worker (db_worker). At start it queues again the e-mails whose "
        "worker died while sending them and the registrations whose task was lost, and it does "
        "so again every OUTBOX_SWEEP_SECONDS while it runs."
    )

    def handle(self, *args, **options):
        # With --reload, this process only watches the code and runs the worker in a child
        # process (started with DJANGO_AUTORELOAD_ENV set): the child sweeps, not the watcher.
        watcher = (
            options["reload"]
            and not options["batch"]
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if not watcher:
            self.sweep_at_start(periodic=not options["batch"])
        return super().handle(*args, **options)

    def sweep_at_start(self, *, periodic: bool) -> None:
        queued = run_sweeps()
        count = queued.get("outbox.services.outbox_requeue", 0)
        self.stdout.write(
            ngettext("Re-queued %(count)d e-mail.", "Re-queued %(count)d e-mails.", count)
            % {"count": count}
        )
        count = queued.get("registrations.services.registration_submissions_requeue", 0)
        self.stdout.write(
            ngettext(
                "Re-queued %(count)d registration.", "Re-queued %(count)d registrations.", count
            )
            % {"count": count}
        )
        if periodic:  # a --batch run ends when the queue is empty: no sweep to keep up
            seconds = settings.OUTBOX_SWEEP_SECONDS
            PeriodicSweep(seconds=seconds).start()
            self.stdout.write(
                ngettext(
                    "Sweep scheduled every %(count)d second.",
                    "Sweep scheduled every %(count)d seconds.",
                    seconds,
                )
                % {"count": seconds}
            )
