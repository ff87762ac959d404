from django.core.management.base import BaseCommand, CommandError

from attendance import documents
from attendance.commands import forum_named, output_path, registration_of


class Command(BaseCommand):
    help = (
        "Write the certificates of attendance of everyone checked in at a forum (one page "
        "each, by surname), or one person's, as a PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("forum_slug")
        parser.add_argument("--output", required=True, help="PDF file to write.")
        parser.add_argument("--registration", type=int, help="Only this registration's.")

    def handle(self, *args, forum_slug, output, registration=None, **options):
        forum = forum_named(forum_slug)
        path = output_path(output)
        if registration is not None:
            one = registration_of(forum, registration)
            content = documents.certificate(one)
            if content is None:
                raise CommandError(
                    f"{one.person.full_name} (registration {registration}) was not checked in "
                    f"at {forum.slug}: only people who attended get a certificate."
                )
            path.write_bytes(content)
            self.stdout.write(f"Wrote the certificate of {one.person.full_name} to {path}.")
            return
        count = 0

        def progress(done: int) -> None:
            nonlocal count
            count = done

        path.write_bytes(documents.certificates(forum, on_progress=progress))
        self.stdout.write(f"Wrote {count} certificate{'' if count == 1 else 's'} to {path}.")
