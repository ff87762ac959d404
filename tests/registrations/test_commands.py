import csv
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, ManagementUtility, call_command
from django.urls import reverse
from openpyxl import load_workbook

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from attendance.selectors import attendees, no_shows
from forums.models import Organisation, Person
from registrations.enums import PlaceStatus, RegistrationSource, RegistrationStatus
from registrations.exports import HEADERS
from registrations.models import Registration, WorkshopPlace
from workshops.models import Workshop

EXPECTED_HEADERS = [
    "email",
    "first_name",
    "last_name",
    "company_id",
    "company",
    "country",
    "job_title",
    "status",
    "attended",
    "workshops",
    "invited_by",
    "registered_at",
    "phone",
    "dietary_needs",
    "accessibility_needs",
    "share_with_sponsors",
    "language",
    "category",
]
TODAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
GOOD_CSV = (
    "first_name,last_name,email,company,country,job_title,attended\r\n"
    "Siti,Rahman,siti@ksm.example,Kilang Sawit Maju Sdn Bhd,MY,Manager,yes\r\n"
    "Ahmad,Ismail,ahmad@ksm.example,KILANG SAWIT MAJU SDN. BHD.,MY,Engineer,no\r\n"
    "Budi,Santoso,budi@goldenhope.example,Golden Hope Plantations Berhad,ID,Director,yes\r\n"
)
BAD_CSV = (
    "first_name,last_name,email,company,country,job_title,attended\r\n"
    "Siti,Rahman,siti-at-ksm,Kilang Sawit Maju Sdn Bhd,MY,Manager,yes\r\n"
    "Ahmad,Ismail,ahmad@ksm.example,Kilang Sawit Maju,Atlantis,Engineer,no\r\n"
    "Budi,Santoso,budi@goldenhope.example,Golden Hope Plantations Berhad,ID,Director,yes\r\n"
)


@pytest.fixture
def past_forum(make_forum):
    return make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held")


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    return path


def counts():
    return (
        Person.objects.count(),
        Registration.objects.count(),
        Organisation.objects.count(),
        WorkshopPlace.objects.count(),
        CheckIn.objects.count(),
    )


def import_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_registrations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- import_registrations -----------------------------------------------------------------------


def test_import_command_prints_summary(past_forum, good_file):
    out, err = import_command("kl-2017", str(good_file))

    assert out.splitlines() == [
        "Rows read: 3",
        "People: 3 created, 0 matched",
        "Companies: 2 created, 1 matched",
        "Registrations: 3 created, 0 updated, 0 unchanged",
    ]
    assert err == ""
    assert Registration.objects.filter(forum=past_forum).count() == 3
    assert sorted(attendees(past_forum).values_list("person__email", flat=True)) == [
        "budi@goldenhope.example",
        "siti@ksm.example",
    ]
    assert list(no_shows(past_forum).values_list("person__email", flat=True)) == [
        "ahmad@ksm.example"
    ]


def test_import_command_second_run_reports_unchanged(past_forum, good_file):
    import_command("kl-2017", str(good_file))
    before = counts()

    out, _ = import_command("kl-2017", str(good_file))

    assert counts() == before
    assert out.splitlines() == [
        "Rows read: 3",
        "People: 0 created, 3 matched",
        "Companies: 0 created, 3 matched",
        "Registrations: 0 created, 0 updated, 3 unchanged",
    ]


def test_import_command_dry_run_writes_nothing(past_forum, good_file):
    before = counts()

    out, _ = import_command("kl-2017", str(good_file), "--dry-run")

    assert counts() == before
    assert out.splitlines() == [
        "Dry run, nothing written. Rows read: 3",
        "People: 3 created, 0 matched",
        "Companies: 2 created, 1 matched",
        "Registrations: 3 created, 0 updated, 0 unchanged",
    ]


def test_import_command_unknown_slug_is_an_error(past_forum, good_file):
    with pytest.raises(CommandError) as error:
        import_command("no-such-forum", str(good_file))

    assert str(error.value).startswith("No forum has the slug 'no-such-forum'. ")
    assert Registration.objects.count() == 0


def test_import_command_missing_file_is_an_error(past_forum, tmp_path):
    missing = tmp_path / "missing.csv"

    with pytest.raises(CommandError) as error:
        import_command("kl-2017", str(missing))

    assert str(error.value) == f"{missing}: no such file."


def test_import_command_unreadable_file_is_an_error(past_forum, tmp_path):
    path = tmp_path / "list.pdf"
    path.write_bytes(b"%PDF-1.4")

    with pytest.raises(CommandError) as error:
        import_command("kl-2017", str(path))

    assert str(error.value) == (
        'list.pdf: "list.pdf" is a .pdf file. Upload a CSV (.csv, .txt, .tsv) or Excel '
        "workbook (.xlsx) file instead."
    )


def test_import_command_formula_without_saved_value_refuses_the_whole_file(
    past_forum, good_file, tmp_path
):
    from openpyxl import Workbook

    import_command("kl-2017", str(good_file))
    before = counts()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    rows = list(csv.reader(io.StringIO(GOOD_CSV)))
    rows[2][0] = "Ahmad Baru"  # would change a person, were the file imported
    for row in rows:
        sheet.append(row)
    sheet.append(["Rina", "Wati", "rina@ksm.example", "=D2", "MY", "Manager", "yes"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)

    with pytest.raises(CommandError) as error:
        import_command("kl-2017", str(path))

    assert str(error.value) == (
        "list.xlsx: Row 5, column D (company): a formula with no saved value. Open the file in "
        "your spreadsheet program, save it (which saves every formula's value), and import it "
        "again. Nothing was imported."
    )
    assert counts() == before
    assert Person.objects.get(email="ahmad@ksm.example").first_name == "Ahmad"


def test_import_command_file_over_size_limit_is_an_error(past_forum, good_file, settings):
    settings.MAX_UPLOAD_BYTES = 100

    with pytest.raises(CommandError) as error:
        import_command("kl-2017", str(good_file))

    size = len(GOOD_CSV.encode())
    assert str(error.value) == (
        f"list.csv: The file is {size} bytes; the limit is 100 bytes. Split it into smaller files."
    )
    assert Registration.objects.count() == 0


def test_import_command_file_over_size_limit_is_refused_without_opening_it(
    past_forum, tmp_path, monkeypatch
):
    path = tmp_path / "huge.csv"
    with path.open("wb") as huge:
        huge.truncate(2 * 1024**3)  # 2 GB, sparse: takes no room on the disk

    def never(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", never)
    monkeypatch.setattr(Path, "read_bytes", never)
    monkeypatch.setattr("builtins.open", never)

    with pytest.raises(CommandError) as error:
        import_command("kl-2017", str(path))

    assert str(error.value) == (
        "huge.csv: The file is 2 GB; the limit is 10 MB. Split it into smaller files."
    )


def test_import_command_rows_over_the_limit_setting_are_refused(past_forum, good_file, settings):
    settings.IMPORT_MAX_ROWS = 2

    with pytest.raises(CommandError) as error:
        import_command("kl-2017", str(good_file))

    assert str(error.value) == (
        "list.csv: Row 4 is beyond the limit of 2 rows below the header row. Split the list "
        "into files of at most 2 rows, and upload them one after the other."
    )
    assert Registration.objects.count() == 0


def test_import_command_bad_rows_are_written_to_stderr(past_forum, bad_file):
    before = counts()
    err = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command(
            "import_registrations", "kl-2017", str(bad_file), stdout=io.StringIO(), stderr=err
        )

    assert str(error.value) == (
        "2 problem(s) found; nothing was imported. Correct the file and run the command again."
    )
    assert err.getvalue().splitlines() == [
        "Row 2, column email: 'siti-at-ksm' is not a valid e-mail address",
        "Row 3, column country: unknown country 'Atlantis': use an ISO code such as MY or an "
        "English name such as Malaysia",
    ]
    assert counts() == before


@pytest.fixture
def no_connection_close(monkeypatch):
    # run_from_argv closes every connection when it ends; keep the test's transaction open.
    from django.core.management import base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)


@pytest.mark.usefixtures("no_connection_close")
def test_import_command_error_exits_with_code_1(past_forum, bad_file, capsys):
    utility = ManagementUtility(["manage.py", "import_registrations", "kl-2017", str(bad_file)])

    with pytest.raises(SystemExit) as exit_info:
        utility.execute()

    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Row 2, column email: 'siti-at-ksm' is not a valid e-mail address" in err
    assert "CommandError: 2 problem(s) found; nothing was imported." in err
    assert Registration.objects.count() == 0


@pytest.mark.usefixtures("no_connection_close")
def test_import_command_unknown_slug_exits_with_code_1(past_forum, good_file, capsys):
    utility = ManagementUtility(["manage.py", "import_registrations", "nope", str(good_file)])

    with pytest.raises(SystemExit) as exit_info:
        utility.execute()

    assert exit_info.value.code == 1
    assert "CommandError: No forum has the slug 'nope'." in capsys.readouterr().err


@pytest.mark.usefixtures("no_connection_close")
def test_import_command_success_exits_normally(past_forum, good_file, capsys):
    ManagementUtility(["manage.py", "import_registrations", "kl-2017", str(good_file)]).execute()

    assert capsys.readouterr().out.splitlines()[0] == "Rows read: 3"


def test_manage_py_import_unknown_slug_exits_with_code_1(tmp_path):
    good = tmp_path / "list.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    migrate = subprocess.run(
        [sys.executable, manage, "migrate", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr

    result = subprocess.run(
        [sys.executable, manage, "import_registrations", "no-such-forum", str(good)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("CommandError: No forum has the slug 'no-such-forum'. ")


# --- export_registrations -----------------------------------------------------------------------

NASTY = {
    "first_name": '=HYPERLINK("http://x")',
    "last_name": "+SUM(A1)",
    "job_title": "-2+3",
    "company": "@evil",
    "invited_by": "\t=cmd|' /C calc'!A0",
    "cr_first_name": "\r=1+1",
    "phone": "+60 12-345 6789",
    "dietary_needs": "=halal",
}


@pytest.fixture
def export_forum(make_forum, make_member, sponsor, make_organisation, make_person):
    forum = make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held")
    member = make_member(name=NASTY["invited_by"])
    sponsorship = sponsor(forum, member)
    evil = make_organisation(name=NASTY["company"])
    workshop = Workshop.objects.create(
        forum=forum,
        code="A1",
        title="Migrant labour",
        pillar="human_rights",
        starts_at=forum.starts_at + timedelta(hours=2),
        ends_at=forum.starts_at + timedelta(hours=4),
        seat_limit=40,
    )
    person = make_person(
        first_name=NASTY["first_name"],
        last_name=NASTY["last_name"],
        email="evil@example.com",
        country="MY",
        organisation=evil,
        phone=NASTY["phone"],
    )
    registration = Registration.objects.create(
        forum=forum,
        person=person,
        company=evil,
        status=RegistrationStatus.CONFIRMED,
        source=RegistrationSource.IMPORT,
        invited_by=sponsorship,
        job_title=NASTY["job_title"],
        dietary_needs=NASTY["dietary_needs"],
        accessibility_needs="Wheelchair access",
        share_with_sponsors=True,
        language="es",
        category="trader",
    )
    WorkshopPlace.objects.create(
        registration=registration, workshop=workshop, status=PlaceStatus.CONFIRMED
    )
    other = make_person(
        first_name=NASTY["cr_first_name"], last_name="Plain", email="plain@example.com"
    )
    plain = Registration.objects.create(
        forum=forum, person=other, status=RegistrationStatus.CONFIRMED, job_title="Buyer"
    )
    # Attended: checked in at the door. A workshop check-in, or one undone, is not that.
    CheckIn.objects.create(
        registration=registration,
        checked_in_at=forum.starts_at,
        nonce="door-evil",
        source=CheckInSource.IMPORT,
    )
    CheckIn.objects.create(
        registration=plain,
        checked_in_at=forum.starts_at,
        nonce="door-plain",
        source=CheckInSource.SCAN,
        undone_at=forum.starts_at,
    )
    CheckIn.objects.create(
        registration=plain,
        workshop=workshop,
        checked_in_at=forum.starts_at,
        nonce="workshop-plain",
        source=CheckInSource.SCAN,
    )
    return forum


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def assert_escaped_csv(rows, forum):
    assert rows[0] == EXPECTED_HEADERS
    evil = Registration.objects.get(person__email="evil@example.com")
    assert rows[1] == [
        "evil@example.com",
        "'" + NASTY["first_name"],
        "'" + NASTY["last_name"],
        str(evil.company_id),
        "'" + NASTY["company"],
        "MY",
        "'" + NASTY["job_title"],
        "confirmed",
        "yes",
        "A1",
        "'" + NASTY["invited_by"],
        evil.created_at.isoformat(timespec="seconds"),
        "'" + NASTY["phone"],
        "'" + NASTY["dietary_needs"],
        "Wheelchair access",
        "yes",
        "es",
        "trader",
    ]
    assert rows[2][:3] == ["plain@example.com", "'" + NASTY["cr_first_name"], "Plain"]
    assert rows[2][7:9] == ["confirmed", "no"]
    assert rows[2][12:] == ["", "", "", "no", "en", ""]
    assert len(rows) == 3


def assert_escaped_xlsx(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.data_type for cell in cells if cell.data_type == "f"] == []
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == EXPECTED_HEADERS
    evil = rows[1]
    for index in (1, 2, 4, 6, 10):
        assert evil[index].startswith("'"), (index, evil[index])
    assert evil[1] == "'" + NASTY["first_name"]
    assert evil[2] == "'" + NASTY["last_name"]
    assert evil[4] == "'" + NASTY["company"]
    assert evil[6] == "'" + NASTY["job_title"]
    assert evil[12:] == [
        "'" + NASTY["phone"],
        "'" + NASTY["dietary_needs"],
        "Wheelchair access",
        "yes",
        "es",
        "trader",
    ]
    assert rows[2][1].startswith("'")
    assert len(rows) == 3


def test_export_headers_constant_is_the_documented_row():
    assert HEADERS == EXPECTED_HEADERS


def test_export_command_csv_escapes_formulas(export_forum, tmp_path):
    output = tmp_path / "f.csv"
    out = io.StringIO()

    call_command(
        "export_registrations", "kl-2017", "--format", "csv", "--output", str(output), stdout=out
    )

    assert out.getvalue() == f"Wrote 2 registrations to {output}.\n"
    assert_escaped_csv(read_csv(output.read_bytes()), export_forum)


def test_export_command_xlsx_escapes_formulas(export_forum, tmp_path):
    output = tmp_path / "f.xlsx"

    call_command(
        "export_registrations",
        "kl-2017",
        "--format",
        "xlsx",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )

    assert_escaped_xlsx(output.read_bytes())


def test_export_command_csv_to_stdout(export_forum):
    out = io.StringIO()

    call_command("export_registrations", "kl-2017", stdout=out)

    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert_escaped_csv(rows, export_forum)


def test_export_command_xlsx_without_output_is_an_error(export_forum):
    with pytest.raises(CommandError) as error:
        call_command("export_registrations", "kl-2017", "--format", "xlsx", stdout=io.StringIO())

    assert str(error.value) == "XLSX is binary: give a file name with --output FILE.xlsx."


def test_export_command_unknown_slug_is_an_error(export_forum, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("export_registrations", "nope", "--output", str(tmp_path / "f.csv"))

    assert str(error.value) == "No forum has the slug 'nope'."


def test_export_command_missing_folder_is_an_error(export_forum, tmp_path):
    output = tmp_path / "missing" / "f.csv"

    with pytest.raises(CommandError) as error:
        call_command("export_registrations", "kl-2017", "--output", str(output))

    assert str(error.value) == f"The folder {output.parent} does not exist."


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_export_action_escapes_formulas(client, secretariat_user, export_forum, file_format):
    client.force_login(secretariat_user)
    pks = list(Registration.objects.values_list("pk", flat=True))

    response = client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": f"export_{file_format}", "_selected_action": pks},
    )

    assert response.status_code == 200
    if file_format == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert_escaped_csv(read_csv(response.content), export_forum)
    else:
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert_escaped_xlsx(response.content)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@time_machine.travel(TODAY)
def test_admin_export_action_names_the_file_after_the_forum_and_date(
    client, secretariat_user, export_forum, file_format
):
    client.force_login(secretariat_user)
    pks = list(Registration.objects.values_list("pk", flat=True))

    response = client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": f"export_{file_format}", "_selected_action": pks},
    )

    assert response["Content-Disposition"] == (
        f'attachment; filename="kl-2017-registrations-2026-11-25.{file_format}"'
    )


@time_machine.travel(TODAY)
def test_admin_export_action_of_several_forums_names_how_many(
    client, secretariat_user, export_forum, make_forum, make_person
):
    for slug in ["mx-2017", "in-2017"]:
        forum = make_forum(slug=slug, day=date(2017, 11, 14), status="held")
        Registration.objects.create(forum=forum, person=make_person(email=f"a@{slug}.example"))
    client.force_login(secretariat_user)
    pks = list(Registration.objects.values_list("pk", flat=True))

    response = client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "export_csv", "_selected_action": pks},
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="registrations-3-forums-2026-11-25.csv"'
    )
    assert len(read_csv(response.content)) == 5


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@time_machine.travel(TODAY)
def test_export_command_output_folder_names_the_file(export_forum, tmp_path, file_format):
    out = io.StringIO()

    call_command(
        "export_registrations", "kl-2017", "--format", file_format, "--output", str(tmp_path),
        stdout=out,
    )  # fmt: skip

    path = tmp_path / f"kl-2017-registrations-2026-11-25.{file_format}"
    assert out.getvalue() == f"Wrote 2 registrations to {path}.\n"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_admin_export_action_exports_only_selected(client, secretariat_user, export_forum):
    client.force_login(secretariat_user)
    plain = Registration.objects.get(person__email="plain@example.com")

    response = client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "export_csv", "_selected_action": [plain.pk]},
    )

    rows = read_csv(response.content)
    assert [row[0] for row in rows] == ["email", "plain@example.com"]


def test_admin_export_action_as_non_staff_is_refused(client, users, export_forum):
    client.force_login(users["supplier"])
    pks = list(Registration.objects.values_list("pk", flat=True))

    response = client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "export_csv", "_selected_action": pks},
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_import_command_company_unsure_about_an_existing_one_is_imported(past_forum, tmp_path):
    from companies.models import PossibleDuplicate
    from companies.services import company_for_name

    existing = company_for_name(name="Shree Packaging Pvt Ltd", country="IN")
    path = tmp_path / "f.csv"
    path.write_text(
        "first_name,last_name,email,company,country,job_title\r\n"
        "Priya,Sharma,priya@shree-exports.example,Shree Packaging Exports,IN,Manager\r\n",
        encoding="utf-8",
    )

    out, err = import_command("kl-2017", str(path))

    assert out.splitlines()[2] == "Companies: 1 created, 0 matched"
    registration = Registration.objects.get()
    assert registration.company.name == "Shree Packaging Exports"
    pair = PossibleDuplicate.objects.get()
    assert (pair.first, pair.second) == (existing, registration.company)
