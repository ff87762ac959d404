"""The admin import: django-import-export's upload → preview → confirm screens, with the
reading, checks and writing of registrations.imports."""

from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attendance.enums import AttendanceState
from attendance.models import CheckIn
from attendance.selectors import with_attendance
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
IMPORT = "admin:registrations_registration_import"
PROCESS = "admin:registrations_registration_process_import"
CSV, XLSX = "0", "1"


@pytest.fixture
def past_forum(make_forum):
    return make_forum(title="KL Forum 2017", slug="kl-2017", day=date(2017, 10, 24), status="held")


def counts():
    return (
        Person.objects.count(),
        Registration.objects.count(),
        Organisation.objects.count(),
        WorkshopPlace.objects.count(),
        CheckIn.objects.count(),
    )


def upload(client, forum, data, name="list.csv", file_format=CSV):
    return client.post(
        reverse(IMPORT),
        {
            "forum": forum.pk,
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, data),
        },
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(PROCESS), {**form.initial}, follow=True)


def test_admin_import_page_opens_for_secretariat(staff_client, past_forum):
    response = staff_client.get(reverse(IMPORT))
    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["forum", "resource", "format", "import_file"]


def test_admin_import_upload_shows_preview_and_writes_nothing(staff_client, past_forum):
    before = counts()
    response = upload(staff_client, past_forum, GOOD_CSV)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.has_errors(), result.has_validation_errors()) == (False, False)
    assert [row.import_type for row in result.valid_rows()] == ["new", "new", "new"]
    assert [row.diff[1] for row in result.valid_rows()] == [
        "siti@ksm.example",
        "ahmad@ksm.example",
        "budi@goldenhope.example",
    ]
    assert "Confirm import" in response.content.decode()
    assert counts() == before


def test_admin_import_confirm_writes_the_list(staff_client, past_forum):
    response = confirm(staff_client, upload(staff_client, past_forum, GOOD_CSV))
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Import finished: 3 new, 0 updated, 0 deleted and 0 skipped registrations."]
    statuses = dict(past_forum.registrations.values_list("person__email", "status"))
    assert set(statuses.values()) == {RegistrationStatus.CONFIRMED}
    attendance = dict(
        with_attendance(past_forum.registrations.all()).values_list("person__email", "attendance")
    )
    assert attendance == {
        "siti@ksm.example": AttendanceState.ATTENDED,
        "ahmad@ksm.example": AttendanceState.NO_SHOW,
        "budi@goldenhope.example": AttendanceState.ATTENDED,
    }
    # Two spellings of one company are one record.
    assert Organisation.objects.filter(name__icontains="kilang sawit maju").count() == 1


def test_admin_import_same_file_again_previews_as_skipped(staff_client, past_forum):
    confirm(staff_client, upload(staff_client, past_forum, GOOD_CSV))
    before = counts()
    result = upload(staff_client, past_forum, GOOD_CSV).context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["skip", "skip", "skip"]
    assert counts() == before


def test_admin_import_changed_attendance_previews_as_update(staff_client, past_forum):
    confirm(staff_client, upload(staff_client, past_forum, GOOD_CSV))
    flipped = GOOD_CSV.replace(b"Engineer,no", b"Engineer,yes")
    before = counts()

    preview = upload(staff_client, past_forum, flipped)

    assert [row.import_type for row in preview.context["result"].valid_rows()] == [
        "skip",
        "update",
        "skip",
    ]
    assert counts() == before
    response = confirm(staff_client, preview)
    assert [str(m) for m in response.context["messages"]] == [
        "Import finished: 0 new, 1 updated, 0 deleted and 2 skipped registrations."
    ]
    ahmad = with_attendance(past_forum.registrations.filter(person__email="ahmad@ksm.example"))
    assert ahmad.get().attendance == AttendanceState.ATTENDED


def test_admin_import_xlsx_file(staff_client, past_forum, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Email", "First Name", "Last Name", "Company", "Country", "Job Title"])
    sheet.append(
        ["ana@azucar.example", "Ana", "López", "Azúcar del Pacífico SA de CV", "MX", "CEO"]
    )
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    preview = upload(staff_client, past_forum, path.read_bytes(), "list.xlsx", XLSX)
    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["new"]
    confirm(staff_client, preview)
    registration = past_forum.registrations.get()
    assert (registration.person.last_name, registration.company.name) == (
        "López",
        "Azúcar del Pacífico SA de CV",
    )


def test_admin_import_bad_file_lists_every_row_error_and_writes_nothing(staff_client, past_forum):
    before = counts()
    response = upload(staff_client, past_forum, BAD_CSV)
    result = response.context["result"]
    assert result.has_validation_errors()
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert errors == {
        2: {"email": ["'siti-at-ksm' is not a valid e-mail address"]},
        3: {
            "country": [
                "unknown country 'Atlantis': use an ISO code such as MY or an English name "
                "such as Malaysia"
            ]
        },
        4: {"attended": ["'perhaps' is not yes or no"]},
    }
    assert "confirm_form" not in response.context
    assert counts() == before


def test_admin_import_missing_column_is_a_file_error(staff_client, past_forum):
    response = upload(staff_client, past_forum, b"first_name,email\r\nSiti,siti@ksm.example\r\n")
    result = response.context["result"]
    assert [str(error.error) for error in result.base_errors] == [
        "Row 1, column last_name: the column 'last_name' is missing from the header row",
        "Row 1, column company: the column 'company' is missing from the header row",
        "Row 1, column country: the column 'country' is missing from the header row",
        "Row 1, column job_title: the column 'job_title' is missing from the header row",
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_admin_import_unreadable_file_shows_the_reason(staff_client, past_forum):
    response = upload(staff_client, past_forum, b"\x00\xff\xfe garbage \x81\x8d", "list.csv")
    assert response.context["form"].errors["import_file"] == [
        "The file is not UTF-8 text and its encoding could not be recognised. Save it as "
        "'CSV UTF-8' from your spreadsheet program and upload it again."
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_admin_import_file_over_size_limit_states_real_size(staff_client, past_forum, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = upload(staff_client, past_forum, GOOD_CSV)
    assert response.context["form"].errors["import_file"] == [
        f"The file is {len(GOOD_CSV)} bytes; the limit is 100 bytes. Split it into smaller files."
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_admin_import_file_over_size_limit_is_refused_before_it_is_read(
    staff_client, past_forum, settings, monkeypatch
):
    settings.MAX_UPLOAD_BYTES = 100

    def never(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr("registrations.resources.read_table", never)

    response = upload(staff_client, past_forum, GOOD_CSV)

    assert response.context["form"].errors["import_file"] == [
        f"The file is {len(GOOD_CSV)} bytes; the limit is 100 bytes. Split it into smaller files."
    ]


def test_admin_import_rows_over_the_limit_setting_are_refused(staff_client, past_forum, settings):
    settings.IMPORT_MAX_ROWS = 2

    response = upload(staff_client, past_forum, GOOD_CSV)

    assert response.context["form"].errors["import_file"] == [
        "Row 4 is beyond the limit of 2 rows below the header row. Split the list into files of "
        "at most 2 rows, and upload them one after the other."
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_admin_import_without_forum_is_refused(staff_client, past_forum):
    response = staff_client.post(
        reverse(IMPORT),
        {"resource": "0", "format": CSV, "import_file": SimpleUploadedFile("l.csv", GOOD_CSV)},
    )
    assert response.context["form"].errors["forum"] == ["This field is required."]
    assert counts() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("role", ["supplier", "member", "facilitator"])
def test_admin_import_non_staff_cannot_upload(client, users, past_forum, role):
    client.force_login(users[role])
    response = upload(client, past_forum, GOOD_CSV)
    assert response.status_code == 302
    assert counts()[1] == 0


def test_admin_import_anonymous_is_sent_to_login(client, past_forum):
    response = client.get(reverse(IMPORT))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_import_company_unsure_about_an_existing_one_previews_as_new(
    staff_client, past_forum
):
    from companies.services import company_for_name

    company_for_name(name="Shree Packaging Pvt Ltd", country="IN")
    data = (
        b"first_name,last_name,email,company,country,job_title\r\n"
        b"Priya,Sharma,priya@shree-exports.example,Shree Packaging Exports,IN,Manager\r\n"
    )

    response = upload(staff_client, past_forum, data)

    assert response.status_code == 200
    assert [row.import_type for row in response.context["result"].valid_rows()] == ["new"]


def test_admin_import_unacceptable_text_is_listed_on_its_row(staff_client, past_forum):
    data = (
        "first_name,last_name,email,company,country,job_title\r\n"
        f"Siti,Rahman,siti@ksm.example,{'x' * 201},MY,Manager\r\n"
        "\u200c\u200d,Ismail,ahmad@ksm.example,KSM,MY,Engineer\r\n"
        "Budi\u202e,Santoso,budi@goldenhope.example,Golden Hope,ID,Director\r\n"
    ).encode()

    result = upload(staff_client, past_forum, data).context["result"]

    assert {row.number: row.error_dict for row in result.invalid_rows} == {
        2: {"company": ["Enter at most 200 characters (it has 201)."]},
        3: {"first_name": ["Enter visible letters: this contains only invisible characters."]},
        4: {
            "first_name": [
                "Remove the hidden character that changes the direction of the text (U+202E)."
            ]
        },
    }
    assert counts() == (0, 0, 0, 0, 0)
