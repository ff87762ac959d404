"""The `badges` and `certificates` commands: the same PDFs, and clear errors."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from attendance.models import CheckIn
from tests.attendance.pdf_reading import page_count, pdf_lines


def test_badges_command_writes_the_forums_badges(forum, register, tmp_path, capsys):
    for name in ("Ana", "Bo", "Cai"):
        register(forum, first_name=name)
    output = tmp_path / "badges.pdf"

    call_command("badges", forum.slug, "--output", str(output))

    assert capsys.readouterr().out == f"Wrote 3 badges to {output}.\n"
    names = [line for line in pdf_lines(output.read_bytes()) if line.endswith(" Rahman")]
    assert names == ["Ana Rahman", "Bo Rahman", "Cai Rahman"]


def test_badges_command_one_registration(forum, register, tmp_path):
    registration = register(forum, first_name="Ana").registration
    output = tmp_path / "one.pdf"

    call_command("badges", forum.slug, "--output", str(output), "--registration", registration.pk)

    assert page_count(output.read_bytes()) == 1
    assert pdf_lines(output.read_bytes())[2] == "Ana Rahman"


@pytest.mark.parametrize("command", ["badges", "certificates"])
def test_command_unknown_slug_is_a_clear_error(db, command, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command(command, "nowhere", "--output", str(tmp_path / "x.pdf"))

    assert str(error.value) == "No forum has the slug 'nowhere'."


@pytest.mark.parametrize("command", ["badges", "certificates"])
def test_command_registration_of_another_forum_is_a_clear_error(
    forum, make_forum, register, command, tmp_path
):
    other = register(make_forum(slug="jakarta")).registration

    with pytest.raises(CommandError) as error:
        call_command(
            command, forum.slug, "--output", str(tmp_path / "x.pdf"), "--registration", other.pk
        )

    assert str(error.value) == (
        f"Registration {other.pk} is for another forum (jakarta), not {forum.slug}."
    )
    assert not (tmp_path / "x.pdf").exists()


def test_command_missing_folder_is_a_clear_error(forum, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("badges", forum.slug, "--output", str(tmp_path / "no" / "x.pdf"))

    assert str(error.value) == f"The folder {tmp_path / 'no'} does not exist."


def test_certificates_command_only_those_checked_in(forum, register, tmp_path, capsys):
    came = register(forum, first_name="Ana").registration
    register(forum, first_name="Bo")
    CheckIn.objects.create(
        registration=came, checked_in_at=timezone.now(), nonce="n-1", source="scan"
    )
    output = tmp_path / "certificates.pdf"

    call_command("certificates", forum.slug, "--output", str(output))

    assert capsys.readouterr().out == f"Wrote 1 certificate to {output}.\n"
    assert pdf_lines(output.read_bytes())[2] == "Ana Rahman"


def test_certificates_command_one_not_checked_in_is_a_clear_error(forum, register, tmp_path):
    registration = register(forum, first_name="Bo").registration

    with pytest.raises(CommandError) as error:
        call_command(
            "certificates",
            forum.slug,
            "--output",
            str(tmp_path / "x.pdf"),
            "--registration",
            registration.pk,
        )

    assert str(error.value) == (
        f"Bo Rahman (registration {registration.pk}) was not checked in at {forum.slug}: only "
        "people who attended get a certificate."
    )
