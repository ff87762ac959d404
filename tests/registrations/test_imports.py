import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from attendance.enums import AttendanceState, CheckInSource
from attendance.models import CheckIn
from attendance.selectors import attendance_by_registration, no_shows
from companies.models import CompanyName, PossibleDuplicate
from forums.enums import OrganisationKind
from forums.models import Forum, Organisation, Person
from registrations.enums import PlaceStatus, RegistrationSource, RegistrationStatus
from registrations.imports import ImportRefused, RowError, import_registrations
from registrations.models import Registration, WorkshopPlace
from registrations.spreadsheets import read_table
from workshops.models import Workshop

HEADER = [
    "first_name",
    "last_name",
    "email",
    "company",
    "country",
    "job_title",
    "attended",
    "workshops",
    "invited_by",
]
ROWS = [
    [
        "Siti",
        "Rahman",
        "siti@ksm.example",
        "Kilang Sawit Maju Sdn Bhd",
        "MY",
        "Manager",
        "yes",
        "A1;B1",
        "Nestlé",
    ],
    [
        "Ahmad",
        "Ismail",
        "ahmad@ksm.example",
        "KILANG SAWIT MAJU SDN. BHD.",
        "Malaysia",
        "Engineer",
        "no",
        "A2",
        "",
    ],
    [
        "Budi",
        "Santoso",
        "budi@goldenhope.example",
        "Golden Hope Plantations Berhad",
        "ID",
        "Director",
        "yes",
        "",
        "",
    ],
]


def csv_bytes(rows=ROWS, header=HEADER, sep=",", bom=False):
    def line(cells):
        return sep.join(f'"{cell}"' if sep in cell else cell for cell in cells)

    text = "\r\n".join([line(header), *(line(row) for row in rows)]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(rows=ROWS, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def replace(row_index, column, value, rows=ROWS):
    rows = [list(row) for row in rows]
    rows[row_index][HEADER.index(column)] = value
    return rows


def run(forum, data, filename="list.csv", dry_run=False):
    return import_registrations(
        forum=forum, table=read_table(data, filename=filename), dry_run=dry_run
    )


def counts():
    return {
        "people": Person.objects.count(),
        "registrations": Registration.objects.count(),
        "organisations": Organisation.objects.count(),
        "places": WorkshopPlace.objects.count(),
        "names": CompanyName.objects.count(),
        "pairs": PossibleDuplicate.objects.count(),
        "forum_seats": sorted(Forum.objects.values_list("pk", "seats_taken")),
        "workshop_seats": sorted(Workshop.objects.values_list("code", "seats_taken")),
        "checkins": sorted(
            CheckIn.objects.values_list("pk", "registration_id", "workshop_id", "undone_at")
        ),
    }


def attendance_by_email(forum):
    """Email → (attendance state, codes of the workshops checked in at), read through the
    attendance selectors."""
    registrations = Registration.objects.filter(forum=forum).select_related("person")
    attendance = attendance_by_registration(registrations)
    return {
        r.person.email: (
            attendance[r.pk].state,
            [workshop.code for workshop in attendance[r.pk].workshops],
        )
        for r in registrations
    }


def report_numbers(report):
    return {
        "rows": report.rows,
        "people_created": report.people_created,
        "people_matched": report.people_matched,
        "companies_created": report.companies_created,
        "companies_matched": report.companies_matched,
        "registrations_created": report.registrations_created,
        "registrations_updated": report.registrations_updated,
        "registrations_unchanged": report.registrations_unchanged,
        "waitlisted": report.waitlisted,
    }


def add_workshops(forum, a_limit=40, b_limit=40):
    def make(code, start, limit):
        return Workshop.objects.create(
            forum=forum,
            code=code,
            title=f"Workshop {code}",
            pillar="human_rights",
            starts_at=forum.starts_at + timedelta(hours=start),
            ends_at=forum.starts_at + timedelta(hours=start + 2),
            seat_limit=limit,
        )

    return {
        "A1": make("A1", 2, a_limit),
        "A2": make("A2", 2, a_limit),
        "B1": make("B1", 5, b_limit),
    }


@pytest.fixture
def nestle(make_member):
    return make_member(name="Nestlé")


@pytest.fixture
def past_forum(make_forum, sponsor, nestle):
    forum = make_forum(slug="kl-2017", day=date(2017, 10, 24), status="held", capacity=100)
    sponsor(forum, nestle)
    add_workshops(forum)
    return forum


@pytest.fixture
def upcoming_forum(make_forum, sponsor, nestle):
    forum = make_forum(slug="kl-next", capacity=2)
    sponsor(forum, nestle)
    return forum


def refused(forum, data, filename="list.csv"):
    before = counts()
    with pytest.raises(ImportRefused) as info:
        run(forum, data, filename)
    assert counts() == before
    return [(e.row, e.column, e.message) for e in info.value.errors]


# --- formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (csv_bytes(), "list.csv"),
        (csv_bytes(bom=True), "list.csv"),
        (csv_bytes(sep=";"), "list.csv"),
        (csv_bytes(sep=";", bom=True), "list.csv"),
        (xlsx_bytes(), "list.xlsx"),
    ],
    ids=["utf8", "utf8-bom", "semicolon", "semicolon-bom", "xlsx"],
)
def test_import_formats_are_all_read(past_forum, data, filename):
    report = run(past_forum, data, filename)

    assert report.registrations_created == 3
    emails = sorted(Registration.objects.values_list("person__email", flat=True))
    assert emails == ["ahmad@ksm.example", "budi@goldenhope.example", "siti@ksm.example"]
    siti = Person.objects.get(email="siti@ksm.example")
    assert (siti.first_name, siti.last_name, siti.job_title, siti.country.code) == (
        "Siti",
        "Rahman",
        "Manager",
        "MY",
    )


def test_import_headers_in_any_case_and_order(past_forum):
    order = [8, 7, 6, 5, 4, 3, 2, 1, 0]
    header = [
        "Invited By",
        "WORKSHOPS",
        "Attended",
        "Job Title",
        "COUNTRY",
        "Company",
        "EMAIL",
        "Last_Name",
        "First Name",
    ]
    rows = [[row[i] for i in order] for row in ROWS]

    report = run(past_forum, csv_bytes(rows=rows, header=header))

    assert report.registrations_created == 3
    siti = Registration.objects.get(person__email="siti@ksm.example")
    assert siti.person.first_name == "Siti"
    assert siti.job_title == "Manager"
    assert siti.invited_by.organisation.name == "Nestlé"
    assert sorted(siti.workshop_places.values_list("workshop__code", flat=True)) == ["A1", "B1"]


def test_import_optional_columns_may_be_left_out(past_forum):
    header = HEADER[:6]
    rows = [row[:6] for row in ROWS]

    report = run(past_forum, csv_bytes(rows=rows, header=header))

    assert report.registrations_created == 3
    assert (
        sorted(Registration.objects.values_list("status", flat=True))
        == [RegistrationStatus.CONFIRMED] * 3
    )
    # Without the column nobody is said to have come: at a held forum, all are no-shows.
    assert CheckIn.objects.count() == 0
    assert sorted(no_shows(past_forum).values_list("person__email", flat=True)) == [
        "ahmad@ksm.example",
        "budi@goldenhope.example",
        "siti@ksm.example",
    ]
    assert WorkshopPlace.objects.count() == 0


# --- errors -------------------------------------------------------------------------------------


def test_import_missing_column_is_refused(past_forum):
    header = [h for h in HEADER if h != "job_title"]
    rows = [[c for h, c in zip(HEADER, row, strict=True) if h != "job_title"] for row in ROWS]

    assert refused(past_forum, csv_bytes(rows=rows, header=header)) == [
        (1, "job_title", "the column 'job_title' is missing from the header row")
    ]


def test_import_missing_columns_are_all_listed(past_forum):
    assert refused(past_forum, b"first_name,email\r\nSiti,siti@ksm.example\r\n") == [
        (1, "last_name", "the column 'last_name' is missing from the header row"),
        (1, "company", "the column 'company' is missing from the header row"),
        (1, "country", "the column 'country' is missing from the header row"),
        (1, "job_title", "the column 'job_title' is missing from the header row"),
    ]


def test_import_header_without_rows_is_refused(past_forum):
    assert refused(past_forum, csv_bytes(rows=[])) == [
        (0, "", "the file has a header row but no data rows")
    ]


@pytest.mark.parametrize(
    ("row_index", "column", "value", "expected"),
    [
        (0, "email", "", (2, "email", "email is missing")),
        (0, "first_name", "", (2, "first_name", "first name is missing")),
        (0, "company", "", (2, "company", "company is missing")),
        (
            1,
            "email",
            "not-an-email",
            (3, "email", "'not-an-email' is not a valid e-mail address"),
        ),
        (
            0,
            "country",
            "Atlantis",
            (
                2,
                "country",
                "unknown country 'Atlantis': use an ISO code such as MY or an English name "
                "such as Malaysia",
            ),
        ),
        (0, "country", "", (2, "country", "country is missing")),
        (
            2,
            "workshops",
            "Z9",
            (4, "workshops", "unknown workshop code 'Z9' (this forum's codes: A1, A2, B1)"),
        ),
        (
            0,
            "workshops",
            "A1;A2",
            (2, "workshops", "A1 and A2 take place at the same time; keep one per time slot"),
        ),
        (
            2,
            "email",
            "SITI@ksm.example",
            (4, "email", "SITI@ksm.example already appears in row 2"),
        ),
        (1, "attended", "maybe", (3, "attended", "'maybe' is not yes or no")),
        (
            1,
            "invited_by",
            "Unilever",
            (3, "invited_by", "'Unilever' is not a sponsor of this forum (sponsors: Nestlé)"),
        ),
    ],
    ids=[
        "missing-email",
        "missing-first-name",
        "missing-company",
        "invalid-email",
        "unknown-country",
        "missing-country",
        "unknown-workshop",
        "two-workshops-one-slot",
        "duplicate-email",
        "invalid-attended",
        "not-a-sponsor",
    ],
)
def test_import_bad_row_is_refused_and_nothing_written(
    past_forum, make_member, row_index, column, value, expected
):
    make_member(name="Unilever")  # a member, but not a sponsor of this forum

    assert refused(past_forum, csv_bytes(rows=replace(row_index, column, value))) == [expected]


LONG_EMAIL = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example"
TOO_LONG = "Enter at most {} characters (it has {})."
INVISIBLE = "Enter visible letters: this contains only invisible characters."
DIRECTION = "Remove the hidden character that changes the direction of the text ({})."


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("email", LONG_EMAIL, TOO_LONG.format(254, 255)),
        ("first_name", "x" * 101, TOO_LONG.format(100, 101)),
        ("last_name", "x" * 101, TOO_LONG.format(100, 101)),
        ("company", "x" * 201, TOO_LONG.format(200, 201)),
        ("job_title", "x" * 201, TOO_LONG.format(200, 201)),
        ("first_name", "\u200c\u200d", INVISIBLE),
        ("last_name", "\u3164", INVISIBLE),
        ("company", "\u2060\u200d", INVISIBLE),
        ("job_title", "\u115f", INVISIBLE),
        ("first_name", "Siti\u202e", DIRECTION.format("U+202E")),
        ("last_name", "\u2067Rahman", DIRECTION.format("U+2067")),
        ("company", "Acme \u202dPackaging", DIRECTION.format("U+202D")),
        ("job_title", "Manager\u2069", DIRECTION.format("U+2069")),
    ],
    ids=[
        "email-255",
        "first-name-101",
        "last-name-101",
        "company-201",
        "job-title-201",
        "first-name-invisible",
        "last-name-invisible",
        "company-invisible",
        "job-title-invisible",
        "first-name-rlo",
        "last-name-rli",
        "company-lro",
        "job-title-pdi",
    ],
)
def test_import_unacceptable_text_is_refused_with_row_and_column(
    past_forum, column, value, message
):
    assert refused(past_forum, csv_bytes(rows=replace(1, column, value))) == [(3, column, message)]


def test_import_unacceptable_text_in_xlsx_is_refused_with_row_and_column(past_forum):
    rows = replace(2, "company", "\u202eAcme")
    rows = replace(0, "first_name", "y" * 150, rows)

    assert refused(past_forum, xlsx_bytes(rows=rows), "list.xlsx") == [
        (2, "first_name", TOO_LONG.format(100, 150)),
        (4, "company", DIRECTION.format("U+202E")),
    ]


def test_import_longest_acceptable_values_are_written(past_forum):
    company = "\ufdfa" * 200
    rows = replace(0, "company", company)
    rows = replace(0, "first_name", "f" * 100, rows)
    rows = replace(0, "last_name", "l" * 100, rows)
    rows = replace(0, "job_title", "j" * 200, rows)
    rows = replace(1, "company", company, rows)

    report = run(past_forum, csv_bytes(rows=rows))

    assert (report.companies_created, report.companies_matched) == (2, 1)
    siti = Registration.objects.get(person__email="siti@ksm.example")
    ahmad = Registration.objects.get(person__email="ahmad@ksm.example")
    assert (siti.company.name, ahmad.company) == (company, siti.company)
    assert (siti.person.first_name, siti.person.last_name, siti.job_title) == (
        "f" * 100,
        "l" * 100,
        "j" * 200,
    )


def test_import_bad_row_in_xlsx_is_refused_with_row_number(past_forum):
    rows = replace(2, "country", "Atlantis")

    assert refused(past_forum, xlsx_bytes(rows=rows), "list.xlsx") == [
        (
            4,
            "country",
            "unknown country 'Atlantis': use an ISO code such as MY or an English name "
            "such as Malaysia",
        )
    ]


def test_import_larger_than_past_forum_capacity_is_refused(past_forum):
    Forum.objects.filter(pk=past_forum.pk).update(capacity=2)
    past_forum.refresh_from_db()

    assert refused(past_forum, csv_bytes()) == [
        (
            0,
            "",
            "the forum would have 3 participants but its capacity is 2; raise the capacity in "
            "the admin first",
        )
    ]


def test_import_larger_than_past_workshop_limit_is_refused(past_forum):
    Workshop.objects.filter(forum=past_forum, code="A1").update(seat_limit=1)
    rows = replace(1, "workshops", "A1")

    assert refused(past_forum, csv_bytes(rows=rows)) == [
        (
            0,
            "workshops",
            "A1 would have 2 participants but its seat limit is 1; raise the limit first",
        )
    ]


def test_import_several_bad_rows_are_all_listed(past_forum):
    rows = replace(0, "email", "siti-at-ksm")
    rows = replace(0, "country", "Atlantis", rows)
    rows = replace(2, "workshops", "A1;Z9", rows)
    rows = replace(1, "attended", "perhaps", rows)

    errors = refused(past_forum, csv_bytes(rows=rows))

    assert errors == [
        (2, "email", "'siti-at-ksm' is not a valid e-mail address"),
        (
            2,
            "country",
            "unknown country 'Atlantis': use an ISO code such as MY or an English name "
            "such as Malaysia",
        ),
        (3, "attended", "'perhaps' is not yes or no"),
        (4, "workshops", "unknown workshop code 'Z9' (this forum's codes: A1, A2, B1)"),
    ]


def test_import_refused_error_texts_name_row_and_column(past_forum):
    with pytest.raises(ImportRefused) as info:
        run(past_forum, csv_bytes(rows=replace(1, "attended", "maybe")))

    assert [str(e) for e in info.value.errors] == [
        "Row 3, column attended: 'maybe' is not yes or no"
    ]
    assert str(info.value) == "1 problem(s); nothing was imported."
    assert str(RowError(0, "", "too big")) == "File: too big"


def test_import_row_numbers_count_blank_rows(past_forum):
    data = (
        csv_bytes(rows=ROWS[:1])
        + b",,,,,,,,\r\n"
        + csv_bytes(rows=replace(0, "country", "Atlantis", ROWS[1:2]), header=[])[2:]
    )

    errors = refused(past_forum, data)

    assert [(row, column) for row, column, _ in errors] == [(4, "country")]


# --- writing ------------------------------------------------------------------------------------


def test_import_past_forum_sets_attendance_and_seat_counters(past_forum, nestle):
    report = run(past_forum, csv_bytes())

    statuses = dict(Registration.objects.values_list("person__email", "status"))
    assert statuses == {
        "siti@ksm.example": RegistrationStatus.CONFIRMED,
        "ahmad@ksm.example": RegistrationStatus.CONFIRMED,
        "budi@goldenhope.example": RegistrationStatus.CONFIRMED,
    }
    # Whether each came is a check-in, as at the door: from the import, at the forum's start.
    assert attendance_by_email(past_forum) == {
        "siti@ksm.example": (AttendanceState.ATTENDED, ["A1", "B1"]),
        "ahmad@ksm.example": (AttendanceState.NO_SHOW, []),
        "budi@goldenhope.example": (AttendanceState.ATTENDED, []),
    }
    siti_id = Registration.objects.get(person__email="siti@ksm.example").pk
    workshop_ids = dict(Workshop.objects.values_list("code", "pk"))
    # Imported check-ins carry nonces nobody can guess ("import-" and 32 random hex digits), so
    # none can be replayed at a check-in desk.
    rows = CheckIn.objects.filter(registration_id=siti_id).values_list(
        "workshop_id", "source", "checked_in_at", "undone_at", "nonce"
    )
    assert sorted((row[:4] for row in rows), key=lambda row: row[0] or 0) == [
        (None, CheckInSource.IMPORT, past_forum.starts_at, None),
        (workshop_ids["A1"], CheckInSource.IMPORT, past_forum.starts_at, None),
        (workshop_ids["B1"], CheckInSource.IMPORT, past_forum.starts_at, None),
    ]
    assert all(re.fullmatch(r"import-[0-9a-f]{32}", row[4]) for row in rows)
    assert len({row[4] for row in rows}) == 3
    assert CheckIn.objects.count() == 4
    past_forum.refresh_from_db()
    assert past_forum.seats_taken == 3
    assert past_forum.seats_taken == past_forum.registrations.count()
    seats = dict(Workshop.objects.values_list("code", "seats_taken"))
    assert seats == {"A1": 1, "A2": 1, "B1": 1}
    for workshop in Workshop.objects.all():
        assert workshop.seats_taken == workshop.places.filter(status=PlaceStatus.CONFIRMED).count()
    assert set(WorkshopPlace.objects.values_list("status", flat=True)) == {PlaceStatus.CONFIRMED}
    siti = Registration.objects.get(person__email="siti@ksm.example")
    assert siti.source == RegistrationSource.IMPORT
    assert siti.invited_by.organisation == nestle
    assert report_numbers(report) == {
        "rows": 3,
        "people_created": 3,
        "people_matched": 0,
        "companies_created": 2,
        "companies_matched": 1,
        "registrations_created": 3,
        "registrations_updated": 0,
        "registrations_unchanged": 0,
        "waitlisted": 0,
    }
    assert report.lines() == [
        "Rows read: 3",
        "People: 3 created, 0 matched",
        "Companies: 2 created, 1 matched",
        "Registrations: 3 created, 0 updated, 0 unchanged",
    ]


def test_import_same_file_twice_changes_nothing(past_forum):
    run(past_forum, csv_bytes())
    after_first = counts()
    registrations = sorted(
        Registration.objects.values_list("pk", "person_id", "company_id", "status", "job_title")
    )

    report = run(past_forum, csv_bytes())

    assert counts() == after_first
    assert (
        sorted(
            Registration.objects.values_list("pk", "person_id", "company_id", "status", "job_title")
        )
        == registrations
    )
    assert report_numbers(report) == {
        "rows": 3,
        "people_created": 0,
        "people_matched": 3,
        "companies_created": 0,
        "companies_matched": 3,
        "registrations_created": 0,
        "registrations_updated": 0,
        "registrations_unchanged": 3,
        "waitlisted": 0,
    }


def test_import_same_file_twice_into_upcoming_forum_changes_nothing(upcoming_forum):
    add_workshops(upcoming_forum, a_limit=1)
    run(upcoming_forum, csv_bytes(rows=replace(1, "workshops", "A1")))
    after_first = counts()
    places = sorted(WorkshopPlace.objects.values_list("pk", "status"))

    report = run(upcoming_forum, csv_bytes(rows=replace(1, "workshops", "A1")))

    assert counts() == after_first
    assert sorted(WorkshopPlace.objects.values_list("pk", "status")) == places
    assert (report.registrations_created, report.registrations_unchanged) == (0, 3)


def test_import_existing_registration_other_case_is_updated(past_forum, make_person):
    person = make_person(first_name="Siti", last_name="Rahman", email="Siti@KSM.example")
    existing = Registration.objects.create(
        forum=past_forum,
        person=person,
        status=RegistrationStatus.CONFIRMED,
        job_title="Clerk",
    )
    assert attendance_by_email(past_forum)["Siti@KSM.example"][0] == AttendanceState.NO_SHOW

    report = run(past_forum, csv_bytes())

    assert Registration.objects.count() == 3
    assert Person.objects.count() == 3
    existing.refresh_from_db()
    assert existing.status == RegistrationStatus.CONFIRMED
    assert attendance_by_email(past_forum)["Siti@KSM.example"] == (
        AttendanceState.ATTENDED,
        ["A1", "B1"],
    )
    assert existing.job_title == "Manager"
    assert existing.company.name == "Kilang Sawit Maju Sdn Bhd"
    assert existing.person_id == person.pk
    assert (
        report.people_created,
        report.people_matched,
        report.registrations_created,
        report.registrations_updated,
        report.registrations_unchanged,
    ) == (2, 1, 2, 1, 0)


def test_import_upcoming_forum_applies_capacity_in_file_order(upcoming_forum):
    rows = [row[:6] for row in ROWS]

    report = run(upcoming_forum, csv_bytes(rows=rows, header=HEADER[:6]))

    statuses = dict(Registration.objects.values_list("person__email", "status"))
    assert statuses == {
        "siti@ksm.example": RegistrationStatus.CONFIRMED,
        "ahmad@ksm.example": RegistrationStatus.CONFIRMED,
        "budi@goldenhope.example": RegistrationStatus.WAITLISTED,
    }
    upcoming_forum.refresh_from_db()
    assert upcoming_forum.seats_taken == 2
    assert report.waitlisted == 1
    assert report.lines()[-1] == (
        "Registrations: 3 created, 0 updated, 0 unchanged (1 on the waiting list)"
    )


def test_import_upcoming_forum_ignores_attended_column(upcoming_forum):
    Forum.objects.filter(pk=upcoming_forum.pk).update(capacity=10)
    upcoming_forum.refresh_from_db()

    run(upcoming_forum, csv_bytes(rows=[row[:7] for row in ROWS], header=HEADER[:7]))

    assert set(Registration.objects.values_list("status", flat=True)) == {
        RegistrationStatus.CONFIRMED
    }
    assert CheckIn.objects.count() == 0
    assert {state for state, _ in attendance_by_email(upcoming_forum).values()} == {
        AttendanceState.NOT_YET
    }


def test_import_upcoming_forum_applies_workshop_seat_limits(upcoming_forum):
    Forum.objects.filter(pk=upcoming_forum.pk).update(capacity=10)
    upcoming_forum.refresh_from_db()
    add_workshops(upcoming_forum, a_limit=1)
    rows = replace(1, "workshops", "A1")

    run(upcoming_forum, csv_bytes(rows=rows))

    places = {
        (p.registration.person.email, p.workshop.code): p.status
        for p in WorkshopPlace.objects.select_related("registration__person", "workshop")
    }
    assert places == {
        ("siti@ksm.example", "A1"): PlaceStatus.CONFIRMED,
        ("siti@ksm.example", "B1"): PlaceStatus.CONFIRMED,
        ("ahmad@ksm.example", "A1"): PlaceStatus.WAITLISTED,
    }
    seats = dict(Workshop.objects.values_list("code", "seats_taken"))
    assert seats == {"A1": 1, "A2": 0, "B1": 1}
    upcoming_forum.refresh_from_db()
    assert upcoming_forum.seats_taken == 3


def test_import_dry_run_writes_nothing_but_counts(past_forum):
    before = counts()

    report = run(past_forum, csv_bytes(), dry_run=True)

    assert counts() == before
    assert report.dry_run is True
    assert report_numbers(report) == {
        "rows": 3,
        "people_created": 3,
        "people_matched": 0,
        "companies_created": 2,
        "companies_matched": 1,
        "registrations_created": 3,
        "registrations_updated": 0,
        "registrations_unchanged": 0,
        "waitlisted": 0,
    }
    assert report.lines()[0] == "Dry run, nothing written. Rows read: 3"


def test_import_dry_run_on_upcoming_forum_counts_waiting_list(upcoming_forum):
    before = counts()

    data = csv_bytes(rows=[r[:6] for r in ROWS], header=HEADER[:6])

    report = run(upcoming_forum, data, dry_run=True)

    assert counts() == before
    assert (report.registrations_created, report.waitlisted) == (3, 1)


def test_import_company_spellings_are_matched_into_one_organisation(past_forum):
    rows = [
        replace(0, "company", "Kilang Sawit Maju Sdn Bhd")[0],
        replace(1, "company", "KILANG SAWIT MAJU SDN. BHD.")[1],
        replace(2, "company", "Kilang Sawit Maju")[2],
    ]

    report = run(past_forum, csv_bytes(rows=rows))

    suppliers = Organisation.objects.filter(kind=OrganisationKind.SUPPLIER)
    assert suppliers.count() == 1
    company = suppliers.get()
    assert set(Registration.objects.values_list("company_id", flat=True)) == {company.pk}
    assert set(Person.objects.values_list("organisation_id", flat=True)) == {company.pk}
    assert sorted(company.known_names.values_list("name", flat=True)) == [
        "KILANG SAWIT MAJU SDN. BHD.",
        "Kilang Sawit Maju",
        "Kilang Sawit Maju Sdn Bhd",
    ]
    assert (report.companies_created, report.companies_matched) == (1, 2)


def test_import_company_typo_matches_existing_company(past_forum, make_organisation):
    from companies.services import company_for_name

    hope = company_for_name(name="Golden Hope Plantations Berhad", country="MY")
    rows = replace(2, "company", "Golden Hope Platnations Bhd")

    run(past_forum, csv_bytes(rows=rows))

    budi = Registration.objects.get(person__email="budi@goldenhope.example")
    assert budi.company == hope


def test_import_past_forum_confirms_waitlisted_place_listed_in_row(past_forum, make_person):
    person = make_person(email="siti@ksm.example")
    registration = Registration.objects.create(
        forum=past_forum, person=person, status=RegistrationStatus.CONFIRMED, job_title="Manager"
    )
    a1 = Workshop.objects.get(forum=past_forum, code="A1")
    WorkshopPlace.objects.create(
        registration=registration, workshop=a1, status=PlaceStatus.WAITLISTED
    )

    run(past_forum, csv_bytes(rows=replace(0, "workshops", "A1")))

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert attendance_by_email(past_forum)["siti@ksm.example"] == (
        AttendanceState.ATTENDED,
        ["A1"],
    )
    place = registration.workshop_places.get()
    assert place.status == PlaceStatus.CONFIRMED
    a1.refresh_from_db()
    assert a1.seats_taken == 1


def test_import_language_column_sets_the_language_and_refuses_others(forum):
    header = "first_name,last_name,email,company,country,job_title,language\n"
    good = header + "Ana,Lopez,ana@azucar.example,Ingenio Azul,MX,Buyer,ES\n"
    bad = header + "Bo,Lee,bo@x.example,Acme,MY,Buyer,fr\n"

    import_registrations(forum=forum, table=read_table(good.encode(), filename="a.csv"))
    with pytest.raises(ImportRefused) as caught:
        import_registrations(forum=forum, table=read_table(bad.encode(), filename="b.csv"))

    registration = Registration.objects.select_related("person").get()
    assert (registration.language, registration.person.language) == ("es", "es")
    assert [str(e) for e in caught.value.errors] == [
        "Row 2, column language: 'fr' is not a language of the site (en, es)"
    ]


def test_import_category_column_takes_values_and_labels_in_any_case(forum):
    header = "first_name,last_name,email,company,country,job_title,category\n"
    rows = [
        "Ana,Lopez,ana@azucar.example,Ingenio Azul,MX,Buyer,NGO",
        "Bo,Lee,bo@x.example,Acme,MY,Buyer,civil society",
        "Cy,Tan,cy@x.example,Acme,MY,Buyer,CIVIL_SOCIETY",
        "Di,Ng,di@x.example,Acme,MY,Buyer,Grower",
        "Ed,Ong,ed@x.example,Acme,MY,Buyer,",
    ]
    data = (header + "\n".join(rows) + "\n").encode()
    import_registrations(forum=forum, table=read_table(data, filename="a.csv"))
    assert dict(Registration.objects.values_list("person__email", "category")) == {
        "ana@azucar.example": "ngo",
        "bo@x.example": "civil_society",
        "cy@x.example": "civil_society",
        "di@x.example": "grower",
        "ed@x.example": "",
    }


def test_import_unknown_category_is_refused_and_writes_nothing(forum):
    header = "first_name,last_name,email,company,country,job_title,category\n"
    data = (header + "Bo,Lee,bo@x.example,Acme,MY,Buyer,farmer\n").encode()
    with pytest.raises(ImportRefused) as caught:
        import_registrations(forum=forum, table=read_table(data, filename="b.csv"))
    assert Registration.objects.count() == 0
    assert [str(e) for e in caught.value.errors] == [
        "Row 2, column category: 'farmer' is not a participant category (Supplier, Grower, "
        "Trader, NGO, Government, Civil society, Other); leave it empty if unknown"
    ]
