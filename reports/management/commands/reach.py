"""Print the programme's reach: `reach [--as-of YYYY-MM-DD] [--json] [--rebuild]`."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.selectors import reach_totals
from reports.serialise import reach_as_dict
from reports.services import reach_facts_rebuild


class Command(BaseCommand):
    help = (
        "Print how many forums were held and how many companies, people and countries they "
        "reached, in all or as of a date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", dest="as_of", help="The figures as they stood at the end of this day."
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print a JSON object."
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="First compute the reach facts again from all the attendance recorded (after "
            "data was written past the application, e.g. restored or loaded in bulk).",
        )

    def handle(
        self,
        *args,
        as_of: str | None = None,
        as_json: bool = False,
        rebuild: bool = False,
        **options,
    ) -> None:
        day = None
        if as_of is not None:
            try:
                day = date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(
                    f"--as-of {as_of!r} is not a date; write it as YYYY-MM-DD, e.g. 2017-10-24."
                ) from None
        if rebuild:
            facts = reach_facts_rebuild()
            self.stderr.write(f"Reach facts rebuilt: {facts}.")
        reach = reach_totals(as_of=day)
        if as_json:
            self.stdout.write(json.dumps(reach_as_dict(reach), ensure_ascii=False, indent=2))
            return
        heading = f"Reach as of {day.isoformat()}" if day else "Reach to date"
        self.stdout.write(heading)
        self.stdout.write(f"Forums held: {reach.forums}")
        self.stdout.write(f"Companies reached: {reach.companies}")
        self.stdout.write(f"People reached: {reach.people}")
        self.stdout.write(f"Countries: {reach.countries}")
        self.stdout.write(f"Companies at two or more forums: {reach.returning_companies}")
        for title, lines in [("By year", reach.by_year), ("By country", reach.by_country)]:
            self.stdout.write(f"\n{title}: forums, companies, people")
            for line in lines:
                self.stdout.write(f"  {line.label}: {line.forums}, {line.companies}, {line.people}")
