from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.services import invitation_send
from audit.services import Actor


class Command(BaseCommand):
    help = (
        "E-mail existing accounts an invitation: a link to choose a password, valid "
        "INVITATION_VALID_DAYS days, that also confirms the address. An earlier invitation's "
        "link stops working. Nothing is sent unless every address names an active account."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", metavar="email")
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the e-mail (default: %(default)s).",
        )

    def handle(self, *args, emails: list[str], language: str, **options):
        users = []
        for email in emails:
            user = User.objects.filter(email__iexact=email.strip()).first()
            if user is None:
                raise CommandError(f"No account has the address {email!r}; make it in the admin.")
            if not user.is_active:
                raise CommandError(f"The account {user.email} is inactive; nothing was sent.")
            users.append(user)
        with transaction.atomic():
            for user in users:
                invitation_send(user=user, by=Actor.system(), language=language)
        for user in users:
            self.stdout.write(f"Invitation queued for {user.email}.")
