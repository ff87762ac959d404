from django.core.management.base import BaseCommand, CommandError

from forums.models import Forum
from reports.facts import forum_news_facts
from reports.news import LANGUAGES, news_draft


class Command(BaseCommand):
    help = "Print the draft news article about a held forum."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The forum's slug, e.g. kuala-lumpur-2017.")
        parser.add_argument("--language", choices=LANGUAGES, default="en")

    def handle(self, *args, slug: str, language: str, **options):
        forum = Forum.objects.filter(slug=slug).first()
        if forum is None:
            raise CommandError(f'No forum has the slug "{slug}". Check the slug in the admin.')
        try:
            facts = forum_news_facts(forum, language)
        except ValueError as error:
            raise CommandError(
                f'"{slug}" has not been held yet: a news draft is written after the forum.'
            ) from error
        self.stdout.write(news_draft(facts, language).text)
