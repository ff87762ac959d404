"""Every e-mail allauth can send has its kind in AccountEmailKind, so the outbox stores it under
a declared kind (a new allauth release that adds one fails here, not on a sign-up page)."""

from pathlib import Path

from django.apps import apps

from accounts.enums import AccountEmailKind


def test_every_allauth_email_template_has_a_kind():
    prefixes = []
    for config in apps.get_app_configs():
        if not config.name.startswith("allauth."):
            continue
        # allauth's templates live in the allauth package, one folder per app label.
        folder = Path(config.path).parent / "templates" / config.label / "email"
        prefixes += [
            f"{config.label}_{path.name.removesuffix('_subject.txt')}"
            for path in folder.glob("*_subject.txt")
        ]

    assert sorted(prefixes) == sorted(AccountEmailKind.values)
