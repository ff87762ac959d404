from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from registrations.services import reminders_send


class Command(BaseCommand):
    help = (
        "Queue the reminders that are due: confirmed registrants of each forum get one, "
        "reminder_days_before days before it starts, once. Safe to run often and at the same "
        "time on several machines; run it from cron every 15 minutes."
    )

    def handle(self, *args, **options):
        count = reminders_send()
        self.stdout.write(
            ngettext("Queued %(count)d reminder.", "Queued %(count)d reminders.", count)
            % {"count": count}
        )
