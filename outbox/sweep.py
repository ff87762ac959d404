"""The periodic sweep that every worker process runs beside its queue.

A message whose worker died while sending it stays leased until its lease runs out; nothing but
`outbox_requeue` puts it back in the queue. A thread in the worker process runs that sweep every
OUTBOX_SWEEP_SECONDS, so no cron line and no task chain has to be kept alive: the sweep lives
and dies with the worker, needs nothing from the task queue (it works the same beside an RQ
worker as beside db_worker), and one sweep that fails does not stop the next. Several workers
sweeping at once is harmless: each message is taken back with one conditional UPDATE."""

import logging
import threading

from django.db import connection

from outbox.services import outbox_requeue

logger = logging.getLogger(__name__)


class PeriodicSweep(threading.Thread):
    """Runs `outbox_requeue` every `seconds` in this process, until `stop()`. A daemon thread:
    it ends with the worker, and a sweep cut short by that is rolled back by the database."""

    def __init__(self, *, seconds: float) -> None:
        super().__init__(name="outbox-sweep", daemon=True)
        self.seconds = seconds
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.seconds):
            try:
                outbox_requeue()
            except Exception:  # a database away for a moment: the next sweep tries again
                logger.exception("Outbox sweep failed; the next one runs in %s s", self.seconds)
            finally:
                # This thread's own connection: closed after each sweep, so a connection the
                # database dropped in the meantime is never reused.
                connection.close()

    def stop(self) -> None:
        self._stopped.set()
