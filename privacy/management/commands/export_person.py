"""Print everything held about a person as JSON: `export_person <email>`."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forums.models import Person
from privacy.selectors import person_export


def person_by_email(email: str) -> Person:
    person = Person.objects.with_email(email).first()
    if person is None:
        raise CommandError("No person has this e-mail address.")
    return person


class Command(BaseCommand):
    help = "Print as JSON everything held about the person with this e-mail address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        data = person_export(person_by_email(email))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
