"""What the `badges` and `certificates` commands share: finding the forum and the registration
they name, and writing the file."""

from pathlib import Path

from django.core.management.base import CommandError

from attendance.fonts import FontsMissing, check_fonts
from forums.models import Forum
from registrations.models import Registration


def forum_named(slug: str) -> Forum:
    forum = Forum.objects.filter(slug=slug).first()
    if forum is None:
        raise CommandError(f"No forum has the slug '{slug}'.")
    try:
        check_fonts()
    except FontsMissing as missing:
        raise CommandError(str(missing)) from None
    return forum


def registration_of(forum: Forum, registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_related("forum", "person", "company")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        raise CommandError(f"No registration has the id {registration_id}.")
    if registration.forum_id != forum.pk:
        raise CommandError(
            f"Registration {registration_id} is for another forum ({registration.forum.slug}), "
            f"not {forum.slug}."
        )
    return registration


def output_path(output: str) -> Path:
    path = Path(output)
    if path.is_dir():
        raise CommandError(f"{path} is a folder: give a file name, e.g. {path / 'badges.pdf'}.")
    if not path.parent.exists():
        raise CommandError(f"The folder {path.parent} does not exist.")
    return path
