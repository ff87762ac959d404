from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.crypto import get_random_string

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import FORUM_MANAGERS


class Command(BaseCommand):
    help = (
        "Create a secretariat (staff) account that runs forums (a superuser in the group Forum "
        "managers), or reset its password, and print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--password", help="Defaults to a new random password.")

    def handle(self, *args, email, password=None, **options):
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not a valid e-mail address.") from exc
        password = password or get_random_string(16)
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first() or User(email=email)
            user.role = Role.SECRETARIAT
            user.is_staff = True
            user.is_superuser = True
            user.is_active = True
            user.set_password(password)
            user.save()
            # A superuser may do everything already; the group says what it is for, and stays
            # if someone later takes the superuser status away.
            user.groups.add(Group.objects.get(name=FORUM_MANAGERS))
            EmailAddress.objects.update_or_create(
                user=user,
                email=user.email,
                defaults={"verified": True, "primary": True},
            )
        self.stdout.write(f"Secretariat account: {user.email}  password: {password}")
