"""The admin reads what a request sends strictly (config/admin_inputs.py,
registrations/import_storage.py): ids that are not numbers, numbers no column holds, over-long
zone names and made-up upload names get a form error or a 400, never a 500, and change nothing."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from config.admin_inputs import StrictInputs
from forums.models import Forum, Membership
from registrations.import_storage import upload_directory
from registrations.models import Registration

HUGE = "9" * 30


@pytest.fixture
def secretariat(roles, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(roles["secretariat"])
    return client


@pytest.mark.parametrize("value", ["%C2%B2", "%ED%A0%80", "x" * 2000, HUGE])
def test_add_page_with_a_foreign_key_that_names_nothing(secretariat, value):
    response = secretariat.get(f"/admin/forums/membership/add/?organisation={value}")
    assert response.status_code == 200
    assert "selected>" not in response.content.decode().split('name="organisation"')[1][:400]


@pytest.mark.parametrize("value", ["²", "x" * 2000, HUGE])
def test_add_form_with_a_foreign_key_that_names_nothing(secretariat, value):
    before = Membership.objects.count()
    response = secretariat.post("/admin/forums/membership/add/", {"organisation": value})
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert Membership.objects.count() == before


def test_group_with_a_permission_id_no_column_holds(secretariat):
    response = secretariat.post("/admin/auth/group/add/", {"name": "Ushers", "permissions": HUGE})
    assert response.status_code == 200
    assert "permissions" in response.context["adminform"].form.errors
    assert not Group.objects.filter(name="Ushers").exists()


def test_forum_form_with_an_over_long_zone(secretariat, make_forum):
    forum = make_forum(slug="kl-2027")
    response = secretariat.post(
        f"/admin/forums/forum/{forum.pk}/change/",
        {"title": "Renamed", "time_zone": "x" * 10_000},
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["adminform"].form.errors
    assert Forum.objects.get(pk=forum.pk).title == forum.title


def test_in_on_an_integer_column_leaves_out_what_it_cannot_hold(make_forum):
    forum = make_forum(slug="kl-2027")
    assert list(Forum.objects.filter(pk__in=[int(HUGE)])) == []
    assert list(Forum.objects.filter(pk__in=[forum.pk, int(HUGE), -int(HUGE)])) == [forum]
    assert list(Forum.objects.exclude(pk__in=[int(HUGE)])) == [forum]


def test_every_admin_class_and_inline_reads_strictly():
    loose = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, StrictInputs):
            loose.append(model._meta.label)
        for inline in type(model_admin).inlines:
            if not issubclass(inline, StrictInputs):
                loose.append(f"{model._meta.label} inline {inline.__name__}")
    assert loose == []


# The import's confirmation step names the uploaded file; it must be one this site kept.
PROCESS = "admin:registrations_registration_process_import"
CSV = (
    b"first_name,last_name,email,company,country,job_title,attended\r\n"
    b"Siti,Rahman,siti@ksm.example,Kilang Sawit Maju Sdn Bhd,MY,Manager,yes\r\n"
)


@pytest.fixture
def past_forum(make_forum):
    return make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held")


def _confirm(client, forum, name, file_format="0"):
    return client.post(
        reverse(PROCESS),
        {
            "forum": forum.pk,
            "resource": "0",
            "format": file_format,
            "import_file_name": name,
            "original_file_name": "list.csv",
        },
    )


def test_confirmation_naming_a_file_elsewhere_reads_and_deletes_nothing(
    secretariat, past_forum, tmp_path
):
    victim = tmp_path / "victim.csv"
    victim.write_bytes(CSV)
    for name in [str(victim), f"../{tmp_path.name}/victim.csv", "１", "x" * 10_000]:
        response = _confirm(secretariat, past_forum, name)
        assert response.status_code == 400, name
        assert b"no longer available" in response.content
    assert victim.read_bytes() == CSV
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("file_format", ["٣", "2", "-1", "", HUGE])
def test_confirmation_with_a_format_not_offered(secretariat, past_forum, file_format):
    name = "0" * 32
    (upload_directory() / name).write_bytes(CSV)
    try:
        response = _confirm(secretariat, past_forum, name, file_format)
    finally:
        (upload_directory() / name).unlink(missing_ok=True)
    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_confirmation_of_an_upload_already_imported(secretariat, past_forum):
    preview = secretariat.post(
        reverse("admin:registrations_registration_import"),
        {
            "forum": past_forum.pk,
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("list.csv", CSV),
        },
    )
    initial = preview.context["confirm_form"].initial
    assert Path(upload_directory() / initial["import_file_name"]).exists()
    first = secretariat.post(reverse(PROCESS), initial)
    assert first.status_code == 302
    assert Registration.objects.count() == 1
    again = secretariat.post(reverse(PROCESS), initial)
    assert again.status_code == 400
    assert Registration.objects.count() == 1
