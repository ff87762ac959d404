from django.core.management.base import BaseCommand, CommandError

from demo.services import demo_load
from registrations.imports import ImportRefused


class Command(BaseCommand):
    help = (
        "Load the demo data: members, partner organisations, the three 2017 forums from the "
        "seeds and an upcoming 2027 forum; without --forums-only also the 2017 forums' "
        "synthetic participants, imported as attendance lists. Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--forums-only", action="store_true", help="Skip the synthetic participants."
        )
        parser.add_argument(
            "--facilitator-password",
            help="Set this password on the demo facilitators' accounts (otherwise they have none "
            "and are sent an invitation: manage.py invite_user).",
        )

    def handle(self, *args, forums_only: bool = False, facilitator_password=None, **options):
        try:
            summary = demo_load(forums_only=forums_only, facilitator_password=facilitator_password)
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"A demo attendance list does not fit its forum ({len(refused.errors)} "
                "problem(s)); its participants were not loaded. Undo the change in the admin, "
                "or load the demo into an empty database."
            ) from refused
        if summary.history is not None:
            history = summary.history
            self.stdout.write(
                f"Demo history (earlier synthetic forums): created {history.forums} forums, "
                f"{history.companies} companies, {history.people} people, "
                f"{history.registrations} registrations."
            )
        self.stdout.write(
            f"Demo data: created {summary.organisations} organisations, {summary.forums} forums, "
            f"{summary.workshops} workshops, {summary.people} people, "
            f"{summary.accounts} facilitator accounts, "
            f"{summary.registrations} registrations, {summary.responses} feedback responses."
        )
