from django.core.management.base import BaseCommand

from reports.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo data: members, partner organisations, the three 2017 forums from the "
        "seeds and an upcoming 2027 forum; without --forums-only also synthetic participants. "
        "Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--forums-only", action="store_true", help="Skip the synthetic participants."
        )

    def handle(self, *args, forums_only: bool = False, **options):
        summary = demo_load(forums_only=forums_only)
        self.stdout.write(
            f"Demo data: created {summary.organisations} organisations, {summary.forums} forums, "
            f"{summary.workshops} workshops, {summary.people} people, "
            f"{summary.registrations} registrations."
        )
