from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from outbox.services import outbox_requeue


class Command(BaseCommand):
    help = (
        "Queue again, once, the e-mails whose sending stopped (the worker died, or the task was "
        "lost). `manage.py worker` does this at start and every OUTBOX_SWEEP_SECONDS; run this "
        "by hand only to sweep at once."
    )

    def handle(self, *args, **options):
        count = len(outbox_requeue())
        self.stdout.write(
            ngettext("Re-queued %(count)d e-mail.", "Re-queued %(count)d e-mails.", count)
            % {"count": count}
        )
