"""How the project is put together: admin pages assembled once, in one place."""

from pathlib import Path

from django.contrib import admin

from forums.models import Forum
from registrations.models import Registration
from workshops.models import Workshop

ROOT = Path(__file__).resolve().parent.parent


def test_no_admin_is_unregistered_and_registered_again():
    sources = [
        path
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts and "tests" not in path.parts
    ]
    assert [str(p.relative_to(ROOT)) for p in sources if "site.unregister" in p.read_text()] == []


def test_forum_workshop_and_registration_admins_are_assembled_in_config():
    assert type(admin.site._registry[Forum]).__module__ == "config.admin"
    assert type(admin.site._registry[Workshop]).__module__ == "config.admin"
    assert type(admin.site._registry[Registration]).__module__ == "config.admin"
