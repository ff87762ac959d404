from django.core.management.base import BaseCommand, CommandError

from attendance import documents
from attendance.commands import forum_named, output_path, registration_of
from registrations.enums import RegistrationStatus


class Command(BaseCommand):
    help = (
        "Write the badges of a forum's registrants holding a seat (A4 sheets of 8, by surname), "
        "or one person's badge on a page of its own, as a PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("forum_slug")
        parser.add_argument("--output", required=True, help="PDF file to write.")
        parser.add_argument("--registration", type=int, help="Only this registration's badge.")

    def handle(self, *args, forum_slug, output, registration=None, **options):
        forum = forum_named(forum_slug)
        path = output_path(output)
        if registration is not None:
            one = registration_of(forum, registration)
            if one.status not in RegistrationStatus.holding_a_seat():
                raise CommandError(
                    f"Registration {registration} is {one.get_status_display().lower()}: "
                    "only registrants holding a seat get a badge."
                )
            path.write_bytes(documents.badge(one))
            self.stdout.write(f"Wrote the badge of {one.person.full_name} to {path}.")
            return
        count = 0

        def progress(done: int) -> None:
            nonlocal count
            count = done

        path.write_bytes(documents.badges(forum, on_progress=progress))
        self.stdout.write(f"Wrote {count} badge{'' if count == 1 else 's'} to {path}.")
