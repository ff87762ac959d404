"""Print, per forum, how much personal data is still held: `personal_data`."""

from django.core.management.base import BaseCommand

from privacy.selectors import personal_data_by_forum


class Command(BaseCommand):
    help = "Per forum: people and registrations not erased, and free-text answers held."

    def handle(self, *args, **options) -> None:
        self.stdout.write("forum\tpeople\tregistrations\tfree_text_answers")
        for row in personal_data_by_forum():
            self.stdout.write(
                f"{row.forum.slug}\t{row.people}\t{row.registrations}\t{row.free_text_answers}"
            )
