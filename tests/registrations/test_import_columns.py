"""The import reads a list's headers as people write them, in English and Spanish; names a header
it cannot place with the columns it expected; and previews, per row, the company it matched,
the workshop places and the attendance it records."""

from datetime import date

import pytest

from attendance.enums import AttendanceState
from attendance.selectors import with_attendance
from companies.services import company_for_name
from registrations.enums import PlaceStatus
from registrations.import_columns import column_named, country_code
from registrations.models import Registration, WorkshopPlace

from .conftest import add_workshops
from .test_admin_import import confirm, counts, upload

EXPECTED = (
    "First name, Last name, E-mail, Company, Country, Job title (required); "
    "Attended, Workshops, Language, Category, Invited by (optional)"
)


@pytest.fixture
def past_forum(make_forum):
    forum = make_forum(title="KL Forum 2017", slug="kl-2017", day=date(2017, 10, 24), status="held")
    add_workshops(forum)
    return forum


def preview(response) -> list[dict[str, str]]:
    """The preview's rows as {header: value}, as the page shows them."""
    result = response.context["result"]
    assert (result.has_errors(), result.has_validation_errors()) == (False, False)
    return [dict(zip(result.diff_headers, row.diff, strict=True)) for row in result.valid_rows()]


def base_errors(response) -> list[str]:
    return [str(error.error) for error in response.context["result"].base_errors]


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("First name", "first_name"),
        ("FIRST-NAME", "first_name"),
        ("first_name", "first_name"),
        ("Nombre", "first_name"),
        ("Apellido", "last_name"),
        ("Apellidos", "last_name"),
        ("Surname", "last_name"),
        ("E-mail", "email"),
        ("Email address", "email"),
        ("e_mail", "email"),
        ("Correo electrónico", "email"),
        ("CORREO ELECTRONICO", "email"),
        ("Empresa", "company"),
        ("Company name", "company"),
        ("País", "country"),
        ("pais", "country"),
        ("Job title", "job_title"),
        ("Cargo", "job_title"),
        ("Asistió", "attended"),
        ("asistio", "attended"),
        ("Talleres", "workshops"),
        ("Idioma", "language"),
        ("Categoría", "category"),
        ("Invitado por", "invited_by"),
    ],
)
def test_import_column_header_spellings(header, key):
    column = column_named(header)
    assert column is not None and column.key == key


@pytest.mark.parametrize(
    ("cell", "code"),
    [("MY", "MY"), ("malaysia", "MY"), ("Malasia", "MY"), ("México", "MX"), ("MEXICO", "MX")],
)
def test_import_column_country_in_english_or_spanish(cell, code):
    assert country_code(cell) == code


def test_import_column_country_unknown_is_none():
    assert (country_code("Atlantis"), country_code("")) == (None, None)


def test_import_headers_in_english_as_people_write_them(staff_client, past_forum):
    data = (
        b"First name,Last name,E-mail,Company,Country,Job title,Attended\r\n"
        b"Siti,Rahman,siti@ksm.example,Kilang Sawit Maju Sdn Bhd,Malaysia,Manager,yes\r\n"
    )
    confirm(staff_client, upload(staff_client, past_forum, data))

    registration = Registration.objects.select_related("person", "company").get()
    person = registration.person
    assert (
        person.first_name,
        person.last_name,
        person.email,
        registration.company.name,
        person.country.code,
        registration.job_title,
    ) == ("Siti", "Rahman", "siti@ksm.example", "Kilang Sawit Maju Sdn Bhd", "MY", "Manager")
    assert with_attendance(Registration.objects.all()).get().attendance == (
        AttendanceState.ATTENDED
    )


def test_import_headers_in_spanish(staff_client, past_forum):
    data = (
        "Nombre,Apellido,Correo electrónico,Empresa,País,Cargo,Asistió\r\n"
        "Ana,López,ana@azucar.example,Azúcar del Pacífico SA de CV,México,Directora,sí\r\n"
        "Luis,Pérez,luis@azucar.example,Azúcar del Pacífico SA de CV,MX,Gerente,no\r\n"
    ).encode()
    confirm(staff_client, upload(staff_client, past_forum, data))

    people = Registration.objects.order_by("person__email").values_list(
        "person__first_name", "person__last_name", "person__country", "job_title"
    )
    assert list(people) == [
        ("Ana", "López", "MX", "Directora"),
        ("Luis", "Pérez", "MX", "Gerente"),
    ]
    attendance = dict(
        with_attendance(Registration.objects.all()).values_list("person__email", "attendance")
    )
    assert attendance == {
        "ana@azucar.example": AttendanceState.ATTENDED,
        "luis@azucar.example": AttendanceState.NO_SHOW,
    }


def test_import_unknown_header_is_named_with_the_expected_columns(staff_client, past_forum):
    data = (
        b"First name,Last name,E-mail,Company,Country,Job title,Phone number\r\n"
        b"Siti,Rahman,siti@ksm.example,KSM,MY,Manager,+60 3 1234\r\n"
    )
    response = upload(staff_client, past_forum, data)

    assert base_errors(response) == [
        "Row 1: this import does not know the column(s) 'Phone number'. Rename or delete them; "
        f"the columns it reads are: {EXPECTED}"
    ]
    assert "confirm_form" not in response.context
    assert counts() == (0, 0, 0, 0, 0)


def test_import_unknown_header_shows_no_exception_text(staff_client, past_forum):
    data = b"Name,E-mail,Company\r\nSiti Rahman,siti@ksm.example,KSM\r\n"
    response = upload(staff_client, past_forum, data)

    page = response.content.decode()
    assert ("ValueError" in page, "Traceback" in page, "traceback" in page) == (
        False,
        False,
        False,
    )
    assert base_errors(response) == [
        "Row 1: this import does not know the column(s) 'Name'. Rename or delete them; "
        f"the columns it reads are: {EXPECTED}",
        "Row 1, column first_name: the column 'first_name' is missing from the header row",
        "Row 1, column last_name: the column 'last_name' is missing from the header row",
        "Row 1, column country: the column 'country' is missing from the header row",
        "Row 1, column job_title: the column 'job_title' is missing from the header row",
    ]


def test_import_one_column_given_twice_is_refused(staff_client, past_forum):
    data = (
        b"First name,Last name,E-mail,Company,Country,Job title,Email address\r\n"
        b"Siti,Rahman,siti@ksm.example,KSM,MY,Manager,siti@other.example\r\n"
    )
    response = upload(staff_client, past_forum, data)

    assert base_errors(response) == [
        "Row 1, column email: the columns 'E-mail' and 'Email address' are both E-mail; keep one"
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_import_columns_of_the_sites_export_are_ignored(staff_client, past_forum):
    data = (
        b"email,first_name,last_name,company_id,company,country,job_title,status,phone\r\n"
        b"siti@ksm.example,Siti,Rahman,17,KSM,MY,Manager,cancelled,+60 3 1234\r\n"
    )
    rows = preview(upload(staff_client, past_forum, data))

    assert [row["E-mail"] for row in rows] == ["siti@ksm.example"]


def test_import_preview_shows_company_match_places_and_attendance(staff_client, past_forum):
    company_for_name(name="Kilang Sawit Maju Sdn Bhd", country="MY")
    company_for_name(name="Shree Packaging Pvt Ltd", country="IN")
    data = (
        "First name,Last name,E-mail,Company,Country,Job title,Workshops,Attended\r\n"
        "Siti,Rahman,siti@ksm.example,KILANG SAWIT MAJU SDN. BHD.,MY,Manager,A1;B1,yes\r\n"
        "Budi,Santoso,budi@gh.example,Golden Hope Plantations Berhad,ID,Director,,no\r\n"
        "Priya,Sharma,priya@shree-exports.example,Shree Packaging Exports,IN,Manager,B2,sí\r\n"
    ).encode()
    before = counts()

    rows = preview(upload(staff_client, past_forum, data))

    assert [
        (r["Row"], r["Company match"], r["Workshop places"], r["Attendance recorded"]) for r in rows
    ] == [
        ("2", "= Kilang Sawit Maju Sdn Bhd", "A1: seat; B1: seat", "attended"),
        ("3", "new", "", "no-show"),
        ("4", "unsure: listed for review", "B2: seat", "attended"),
    ]
    assert list(rows[0]) == [
        "Row",
        "E-mail",
        "First name",
        "Last name",
        "Company",
        "Company match",
        "Country",
        "Workshops",
        "Workshop places",
        "Attendance recorded",
    ]
    assert counts() == before


def test_import_preview_a_company_new_in_the_list_is_matched_below(staff_client, past_forum):
    data = (
        b"first_name,last_name,email,company,country,job_title\r\n"
        b"Siti,Rahman,siti@ksm.example,Kilang Sawit Maju Sdn Bhd,MY,Manager\r\n"
        b"Ahmad,Ismail,ahmad@ksm.example,KILANG SAWIT MAJU SDN. BHD.,MY,Engineer\r\n"
    )
    rows = preview(upload(staff_client, past_forum, data))

    assert [r["Company match"] for r in rows] == ["new", "= Kilang Sawit Maju Sdn Bhd"]


def test_import_preview_upcoming_forum_seat_or_waiting_list(staff_client, make_forum):
    forum = make_forum(slug="upcoming")
    add_workshops(forum, seat_limit=1)
    data = (
        b"first_name,last_name,email,company,country,job_title,workshops,attended\r\n"
        b"Siti,Rahman,siti@ksm.example,KSM,MY,Manager,A1,yes\r\n"
        b"Ahmad,Ismail,ahmad@ksm.example,KSM,MY,Engineer,A1;B1,yes\r\n"
    )
    rows = preview(upload(staff_client, forum, data))

    assert [(r["Workshop places"], r["Attendance recorded"]) for r in rows] == [
        ("A1: seat", "none (the forum is still to come)"),
        ("A1: waiting list; B1: seat", "none (the forum is still to come)"),
    ]
    assert WorkshopPlace.objects.filter(status=PlaceStatus.WAITLISTED).count() == 0


def test_import_preview_rows_with_errors_keep_the_columns_in_place(staff_client, past_forum):
    data = (
        b"First name,Last name,E-mail,Company,Country,Job title\r\n"
        b"Siti,Rahman,siti-at-ksm,KSM,MY,Manager\r\n"
    )
    result = upload(staff_client, past_forum, data).context["result"]

    (row,) = result.invalid_rows
    assert dict(zip(result.diff_headers, row.values, strict=True)) == {
        "Row": 2,
        "E-mail": "siti-at-ksm",
        "First name": "Siti",
        "Last name": "Rahman",
        "Company": "KSM",
        "Company match": "",
        "Country": "MY",
        "Workshops": "",
        "Workshop places": "",
        "Attendance recorded": "",
    }
