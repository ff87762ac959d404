"""The periodic sweep that every worker process runs beside its queue.

A message whose worker died while sending it stays leased until its lease runs out; nothing but
`outbox_requeue` puts it back in the queue. A registration the public form stored whose task was
lost waits until `registration_submissions_requeue` queues it again. A thread in the worker
process runs those sweeps (settings.WORKER_SWEEPS) every OUTBOX_SWEEP_SECONDS, so no cron line
and no task chain has to be kept alive: the sweep lives and dies with the worker, needs nothing
from the task queue (it works the same beside an RQ worker as beside db_worker), and one sweep
that fails does not stop the other or the next. Several workers sweeping at once is harmless:
each message is taken back with one conditional UPDATE, and a submission carried out twice is
carried out once."""

import logging
import threading

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PeriodicSweep(threading.Thread):
    """Runs each of settings.WORKER_SWEEPS every `seconds` in this process, until `stop()`. A
    daemon thread: it ends with the worker, and a sweep cut short by that is rolled back by the
    database."""

    def __init__(self, *, seconds: float) -> None:
        super().__init__(name="outbox-sweep", daemon=True)
        self.seconds = seconds
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.seconds):
            try:
                run_sweeps(seconds=self.seconds)
            finally:
                # This thread's own connection: closed after each sweep, so a connection the
                # database dropped in the meantime is never reused.
                connection.close()

    def stop(self) -> None:
        self._stopped.set()


def run_sweeps(*, seconds: float | None = None) -> dict[str, int]:
    """Run each of settings.WORKER_SWEEPS once; a failure is logged and the others still run.
    Returns how many items each sweep queued again, by its dotted path (failed ones left out)."""
    queued = {}
    for path in settings.WORKER_SWEEPS:
        try:
            queued[path] = len(import_string(path)())
        except Exception:  # a database away for a moment: the next sweep tries again
            logger.exception("Sweep %s failed; the next one runs in %s s", path, seconds)
    return queued
