from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forums.models import Forum
from registrations.exports import export_filename, export_registrations


class Command(BaseCommand):
    help = "Export a forum's registrations as CSV or XLSX (formula-safe)."

    def add_arguments(self, parser):
        parser.add_argument("forum_slug")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="file_format")
        parser.add_argument(
            "--output",
            help="File to write, or folder to write it in (named after the forum and today's "
            "date, e.g. kl-2017-registrations-2026-11-25.csv); default: standard output (CSV "
            "only).",
        )

    def handle(self, *args, forum_slug, file_format="csv", output=None, **options):
        forum = Forum.objects.filter(slug=forum_slug).first()
        if forum is None:
            raise CommandError(f"No forum has the slug '{forum_slug}'.")
        if file_format == "xlsx" and not output:
            raise CommandError("XLSX is binary: give a file name with --output FILE.xlsx.")
        content = export_registrations(forum.registrations.all(), file_format=file_format)
        if output:
            path = Path(output)
            if path.is_dir():
                path = path / export_filename(forum_slugs=[forum.slug], file_format=file_format)
            if not path.parent.exists():
                raise CommandError(f"The folder {path.parent} does not exist.")
            path.write_bytes(content)
            self.stdout.write(f"Wrote {forum.registrations.count()} registrations to {path}.")
        else:
            self.stdout.write(content.decode("utf-8-sig"), ending="")
