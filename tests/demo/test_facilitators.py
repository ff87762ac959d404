"""The demo's facilitators have addresses and accounts with them, so that their page lists the
workshops they lead."""

import re

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from forums.models import Person


def _workshops_listed(response) -> list[str]:
    return re.findall(r'<h2 id="workshop-\d+-heading">([^<]+)</h2>', response.content.decode())


def test_demo_facilitator_sees_the_workshops_they_lead(client, db):
    call_command("load_demo", "--forums-only", "--facilitator-password", "demo-pass-phrase")
    user = User.objects.get(email="lara.white@iom.example")
    assert (user.role, user.get_full_name()) == (Role.FACILITATOR, "Lara White")
    assert list(EmailAddress.objects.filter(user=user).values_list("verified", "primary")) == [
        (True, True)
    ]
    assert Person.objects.get(last_name="White").email == "lara.white@iom.example"

    login = client.post(
        reverse("account_login"),
        {"login": "lara.white@iom.example", "password": "demo-pass-phrase"},
    )
    assert login.status_code == 302
    page = client.get(reverse("reports:facilitator"))
    assert page.status_code == 200
    assert sorted(_workshops_listed(page)) == [
        "A1 · Migrant labour management",
        "A1 · Responsible recruitment of migrant workers",
    ]


def test_every_seed_facilitator_has_an_account_and_loading_again_adds_none(db):
    call_command("load_demo", "--forums-only")
    facilitators = Person.objects.filter(facilitated_workshops__isnull=False).distinct()
    emails = sorted(p.email for p in facilitators)
    assert (
        sorted(User.objects.filter(role=Role.FACILITATOR).values_list("email", flat=True)) == emails
    )
    assert None not in emails
    assert User.objects.get(email="khai.chua@rba.example").has_usable_password() is False
    call_command("load_demo", "--forums-only")
    assert User.objects.filter(role=Role.FACILITATOR).count() == len(emails) == 6
