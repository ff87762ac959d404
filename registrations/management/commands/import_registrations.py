import sys

from django.core.management.base import BaseCommand, CommandError

from audit.services import Actor
from forums.models import Forum
from registrations.commands import refused, table_from_file
from registrations.imports import ImportRefused, import_registrations


class Command(BaseCommand):
    help = (
        "Import an attendance or registration list (CSV or XLSX) into a forum, all or nothing. "
        "Columns: first_name, last_name, email, company, country, job_title; optional attended, "
        "workshops (codes separated by ;), invited_by."
    )

    def add_arguments(self, parser):
        parser.add_argument("forum_slug")
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )

    def handle(self, *args, forum_slug, file, dry_run=False, **options):
        forum = Forum.objects.filter(slug=forum_slug).first()
        if forum is None:
            raise CommandError(
                f"No forum has the slug '{forum_slug}'. "
                'List them with: manage.py shell -c "from forums.models import Forum; '
                'print([f.slug for f in Forum.objects.all()])"'
            )
        table = table_from_file(file)
        progress = self._progress if sys.stderr.isatty() else None
        try:
            report = import_registrations(
                forum=forum, table=table, dry_run=dry_run, progress=progress, by=Actor.importer()
            )
        except ImportRefused as error:
            raise refused(error, self.stderr) from error
        if progress:
            sys.stderr.write("\n")
        for line in report.lines():
            self.stdout.write(line)

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 100 == 0:
            width = 30
            filled = width * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stderr.flush()
