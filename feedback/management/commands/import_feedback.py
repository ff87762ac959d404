from django.core.management.base import BaseCommand, CommandError

from audit.services import Actor
from feedback.imports import import_feedback
from feedback.models import Survey
from registrations.commands import refused, table_from_file
from registrations.imports import ImportRefused


class Command(BaseCommand):
    help = (
        "Import paper feedback forms (CSV or XLSX, one row per form) into a forum's survey, all "
        "or nothing. Columns: email (optional when the survey is anonymous), the question keys, "
        "workshop:<code>, workshop_comment:<code>, facilitator:<code>:<surname>."
    )

    def add_arguments(self, parser):
        parser.add_argument("forum_slug")
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )

    def handle(self, *args, forum_slug, file, dry_run=False, **options):
        survey = Survey.objects.select_related("forum").filter(forum__slug=forum_slug).first()
        if survey is None:
            raise CommandError(
                f"No forum with the slug '{forum_slug}' has a feedback survey. Create it in the "
                "admin (Feedback › Surveys › Add) first."
            )
        table = table_from_file(file)
        try:
            report = import_feedback(
                survey=survey, table=table, dry_run=dry_run, by=Actor.importer()
            )
        except ImportRefused as error:
            raise refused(error, self.stderr) from error
        for line in report.lines():
            self.stdout.write(line)
