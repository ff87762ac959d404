from django.core.management.base import BaseCommand

from registrations.services import SUBMISSION_LOST_AFTER, registration_submissions_requeue


class Command(BaseCommand):
    help = (
        "Queue again the registrations the public form accepted that the worker has not carried "
        f"out {int(SUBMISSION_LOST_AFTER.total_seconds() // 60)} minutes after they were stored "
        "(their task was lost). Each submission is carried out once, however often this runs. "
        "The worker runs this sweep by itself at start and every OUTBOX_SWEEP_SECONDS."
    )

    def handle(self, *args, **options):
        queued = registration_submissions_requeue()
        self.stdout.write(f"Queued again {len(queued)} submission(s).")
