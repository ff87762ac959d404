from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from forums.models import Organisation, Person
from registrations.enums import RegistrationStatus
from registrations.models import Registration, WorkshopPlace

GOOD_CSV = (
    b"first_name,last_name,email,company,country,job_title,attended\r\n"
    b"Siti,Rahman,siti@ksm.example,Kilang Sawit Maju Sdn Bhd,MY,Manager,yes\r\n"
    b"Ahmad,Ismail,ahmad@ksm.example,KILANG SAWIT MAJU SDN. BHD.,MY,Engineer,no\r\n"
    b"Budi,Santoso,budi@goldenhope.example,Golden Hope Plantations Berhad,ID,Director,yes\r\n"
)
BAD_CSV = (
    b"first_name,last_name,email,company,country,job_title,attended\r\n"
    b"Siti,Rahman,siti-at-ksm,Kilang Sawit Maju Sdn Bhd,MY,Manager,yes\r\n"
    b"Ahmad,Ismail,ahmad@ksm.example,Kilang Sawit Maju,Atlantis,Engineer,no\r\n"
    b"Budi,Santoso,budi@goldenhope.example,Golden Hope Plantations Berhad,ID,Director,perhaps\r\n"
)
URL_NAME = "admin:registrations_import"


@pytest.fixture
def past_forum(make_forum):
    return make_forum(title="KL Forum 2017", slug="kl-2017", day=date(2017, 10, 24), status="held")


@pytest.fixture
def staff_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def counts():
    return (
        Person.objects.count(),
        Registration.objects.count(),
        Organisation.objects.count(),
        WorkshopPlace.objects.count(),
    )


def upload(client, forum, data, name="list.csv"):
    return client.post(
        reverse(URL_NAME),
        {"forum": forum.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_admin_import_page_opens_for_secretariat(staff_client, past_forum):
    response = staff_client.get(reverse(URL_NAME))

    assert response.status_code == 200
    assert "Check the file" in response.content.decode()
    assert "report" not in response.context or response.context["report"] is None


def test_admin_import_upload_shows_preview_and_writes_nothing(staff_client, past_forum):
    before = counts()

    response = upload(staff_client, past_forum, GOOD_CSV)

    assert response.status_code == 200
    content = response.content.decode()
    for line in [
        "Dry run, nothing written. Rows read: 3",
        "People: 3 created, 0 matched",
        "Companies: 2 created, 1 matched",
        "Registrations: 3 created, 0 updated, 0 unchanged",
    ]:
        assert f"<li>{line}</li>" in content
    assert "Preview: list.csv into KL Forum 2017" in content
    assert 'name="confirm"' in content
    assert counts() == before
    assert staff_client.session["registrations.import"]["forum"] == past_forum.pk


def test_admin_import_confirm_writes_the_list(staff_client, past_forum):
    upload(staff_client, past_forum, GOOD_CSV)

    response = staff_client.post(reverse(URL_NAME), {"confirm": "1"}, follow=True)

    assert response.redirect_chain == [
        (reverse("admin:registrations_registration_changelist"), 302)
    ]
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Rows read: 3",
        "People: 3 created, 0 matched",
        "Companies: 2 created, 1 matched",
        "Registrations: 3 created, 0 updated, 0 unchanged",
    ]
    statuses = dict(
        Registration.objects.filter(forum=past_forum).values_list("person__email", "status")
    )
    assert statuses == {
        "siti@ksm.example": RegistrationStatus.ATTENDED,
        "ahmad@ksm.example": RegistrationStatus.NO_SHOW,
        "budi@goldenhope.example": RegistrationStatus.ATTENDED,
    }
    assert "registrations.import" not in staff_client.session


def test_admin_import_confirm_twice_is_refused_as_expired(staff_client, past_forum):
    upload(staff_client, past_forum, GOOD_CSV)
    staff_client.post(reverse(URL_NAME), {"confirm": "1"}, follow=True)  # shows its messages
    after_first = counts()

    response = staff_client.post(reverse(URL_NAME), {"confirm": "1"}, follow=True)

    assert response.redirect_chain == [(reverse(URL_NAME), 302)]
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["The upload has expired; choose the file again."]
    assert counts() == after_first


def test_admin_import_confirm_without_upload_writes_nothing(staff_client, past_forum):
    before = counts()

    response = staff_client.post(reverse(URL_NAME), {"confirm": "1"})

    assert response.status_code == 302
    assert response.url == reverse(URL_NAME)
    assert counts() == before


def test_admin_import_bad_file_shows_error_table_and_writes_nothing(staff_client, past_forum):
    before = counts()

    response = upload(staff_client, past_forum, BAD_CSV)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported: 3 problems found." in content
    errors = [(e.row, e.column, e.message) for e in response.context["errors"]]
    assert errors == [
        (2, "email", "'siti-at-ksm' is not a valid e-mail address"),
        (
            3,
            "country",
            "unknown country 'Atlantis': use an ISO code such as MY or an English name "
            "such as Malaysia",
        ),
        (4, "attended", "'perhaps' is not yes or no"),
    ]
    for row, column, message in errors:
        assert f"<tr><td>{row}</td><td>{column}</td><td>{escape(message)}</td></tr>" in content
    assert 'name="confirm"' not in content
    assert "registrations.import" not in staff_client.session
    assert counts() == before


def test_admin_import_unreadable_file_shows_form_error(staff_client, past_forum):
    before = counts()

    response = upload(staff_client, past_forum, b"%PDF-1.4", name="list.pdf")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        '"list.pdf" is a .pdf file. Upload a CSV (.csv, .txt, .tsv) or Excel workbook (.xlsx) '
        "file instead."
    ]
    assert counts() == before


def test_admin_import_file_over_size_limit_is_refused(staff_client, past_forum, settings):
    settings.MAX_UPLOAD_BYTES = 100
    before = counts()

    response = upload(staff_client, past_forum, GOOD_CSV)

    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert message.endswith("; the limit is 100 bytes. Split it into smaller files.")
    assert message.startswith("The file is ")
    assert escape(message) in response.content.decode()
    assert "registrations.import" not in staff_client.session
    assert counts() == before


def test_admin_import_file_over_size_limit_states_real_size(staff_client, past_forum, settings):
    settings.MAX_UPLOAD_BYTES = 100

    response = upload(staff_client, past_forum, GOOD_CSV)

    assert response.context["form"].errors["file"] == [
        f"The file is {len(GOOD_CSV)} bytes; the limit is 100 bytes. Split it into smaller files."
    ]


def test_admin_import_non_staff_cannot_open(client, users, past_forum):
    client.force_login(users["supplier"])

    response = client.get(reverse(URL_NAME))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_import_non_staff_cannot_upload(client, users, past_forum):
    client.force_login(users["member"])
    before = counts()

    response = upload(client, past_forum, GOOD_CSV)
    confirm = client.post(reverse(URL_NAME), {"confirm": "1"})

    assert response.status_code == 302
    assert confirm.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert counts() == before


def test_admin_import_anonymous_cannot_open(client, past_forum):
    response = client.get(reverse(URL_NAME))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
