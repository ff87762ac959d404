"""Erase participants past the retention period: `retention [--years N] [--dry-run]`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max

from forums.models import Person
from privacy.selectors import people_past_retention
from privacy.services import retention_erase


class Command(BaseCommand):
    help = (
        "Erase the personal data of participants all of whose forums started more than N "
        "years ago (default: PERSONAL_DATA_RETENTION_YEARS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be erased; erase nothing."
        )

    def handle(self, *args, years: int | None = None, dry_run: bool = False, **options) -> None:
        years = settings.PERSONAL_DATA_RETENTION_YEARS if years is None else years
        if years < 1:
            raise CommandError("--years must be at least 1.")
        if dry_run:
            # Ids and last forums only: this output may end up in a log.
            people = (
                Person.objects.filter(pk__in=people_past_retention(years=years).values("pk"))
                .annotate(last_forum=Max("registrations__forum__starts_at"))
                .order_by("pk")
            )
            for person in people:
                self.stdout.write(f"person {person.pk}\tlast forum {person.last_forum:%Y-%m-%d}")
            self.stdout.write(f"{len(people)} would be erased (older than {years} years).")
            return
        erased = retention_erase(years=years)
        self.stdout.write(f"{len(erased)} erased (older than {years} years).")
