from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from outbox.services import outbox_requeue, outbox_sweep_schedule


class Command(BaseCommand):
    help = (
        "Queue again the e-mails whose sending stopped (the worker died, or the task was lost), "
        "and start the periodic outbox sweep if the database task queue has none waiting. "
        "Run it before starting a worker, and from cron every few minutes."
    )

    def handle(self, *args, **options):
        count = len(outbox_requeue())
        self.stdout.write(
            ngettext("Re-queued %(count)d e-mail.", "Re-queued %(count)d e-mails.", count)
            % {"count": count}
        )
        if outbox_sweep_schedule():
            seconds = settings.OUTBOX_SWEEP_SECONDS
            self.stdout.write(
                ngettext(
                    "Outbox sweep scheduled every %(count)d second.",
                    "Outbox sweep scheduled every %(count)d seconds.",
                    seconds,
                )
                % {"count": seconds}
            )
