from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.services import Actor
from feedback.imports import import_feedback
from feedback.models import Survey
from registrations.imports import ImportRefused
from registrations.spreadsheets import Limits, SpreadsheetError, check_size, read_table


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
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        max_bytes = settings.MAX_UPLOAD_BYTES
        try:
            check_size(path.stat().st_size, max_bytes)
            with path.open("rb") as stream:
                data = stream.read(max_bytes + 1)
            table = read_table(
                data, filename=path.name, max_bytes=max_bytes, limits=Limits.from_settings()
            )
        except SpreadsheetError as error:
            raise CommandError(f"{path.name}: {error}") from error
        try:
            report = import_feedback(
                survey=survey, table=table, dry_run=dry_run, by=Actor.importer()
            )
        except ImportRefused as refused:
            for problem in refused.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(refused.errors)} problem(s) found; nothing was imported. "
                "Correct the file and run the command again."
            ) from refused
        for line in report.lines():
            self.stdout.write(line)
