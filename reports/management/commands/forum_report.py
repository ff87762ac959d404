from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from attendance.fonts import FontsMissing
from forums.models import Forum
from reports.dashboards import forum_report
from reports.pdf import forum_report_pdf


class Command(BaseCommand):
    help = "Write a forum's post-event report (PDF) to a file."

    def add_arguments(self, parser):
        parser.add_argument("forum", help="The forum's slug, e.g. kuala-lumpur-2017.")
        parser.add_argument("--output", required=True, help="The PDF file to write.")

    def handle(self, *args, forum: str, output: str, **options):
        found = Forum.objects.filter(slug=forum).first()
        if found is None:
            raise CommandError(
                f"No forum has the slug {forum!r}. The slugs are listed in the admin's forum list."
            )
        path = Path(output)
        if path.is_dir() or not path.parent.is_dir():
            raise CommandError(
                f"Cannot write {output!r}: give a file name in a folder that exists."
            )
        try:
            content = forum_report_pdf(forum_report(found))
        except FontsMissing as error:
            raise CommandError(str(error)) from error
        path.write_bytes(content)
        self.stdout.write(f"Wrote {path} ({len(content)} bytes).")
