"""Erase a person's personal data: `erase_person <email> --yes`."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import Actor
from privacy.management.commands.export_person import person_by_email
from privacy.services import person_erase


class Command(BaseCommand):
    help = (
        "Erase the personal data of the person with this e-mail address, keeping the figures "
        "they count in. Needs --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Confirm the erasure.")

    def handle(self, *args, email: str, yes: bool = False, **options) -> None:
        if not yes:
            raise CommandError("Nothing erased: add --yes to confirm.")
        person = person_by_email(email)
        # The person's id only: the address just erased is not written anywhere.
        if person_erase(person=person, by=Actor.importer()):
            self.stdout.write(f"Person {person.pk} erased.")
        else:
            self.stdout.write(f"Person {person.pk} was already erased.")
