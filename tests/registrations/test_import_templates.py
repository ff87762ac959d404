"""The import page lists the columns with what each accepts, and offers templates (CSV, XLSX) in
the reader's language that import cleanly once filled in."""

import csv
import io
from datetime import date
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse

from registrations.models import Registration

from .test_admin_import import IMPORT, XLSX, confirm, counts, upload

TEMPLATE = "admin:registrations_registration_import_template"
ENGLISH = [
    "First name",
    "Last name",
    "E-mail",
    "Company",
    "Country",
    "Job title",
    "Attended",
    "Workshops",
    "Language",
    "Category",
    "Invited by",
]
SPANISH = [
    "Nombre",
    "Apellido",
    "Correo electrónico",
    "Empresa",
    "País",
    "Cargo",
    "Asistió",
    "Talleres",
    "Idioma",
    "Categoría",
    "Invitado por",
]
SITI = ["Siti", "Rahman", "siti@ksm.example", "Kilang Sawit Maju Sdn Bhd", "Malasia", "Gerente"]
SITI += ["sí", "", "es", "", ""]


@pytest.fixture
def past_forum(make_forum):
    return make_forum(title="KL Forum 2017", slug="kl-2017", day=date(2017, 10, 24), status="held")


class _Table(HTMLParser):
    """The cells of the table with id `table_id`, row by row."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(html: str, table_id: str) -> list[list[str]]:
    parser = _Table(table_id)
    parser.feed(html)
    return parser.rows


def test_import_page_lists_the_columns_and_what_each_accepts(staff_client, past_forum):
    rows = table(staff_client.get(reverse(IMPORT)).content.decode(), "import-columns")

    assert rows[0] == ["Column", "Required", "Accepts", "Also recognised as"]
    assert [row[:2] for row in rows[1:]] == [
        ["First name", "required"],
        ["Last name", "required"],
        ["E-mail", "required"],
        ["Company", "required"],
        ["Country", "required"],
        ["Job title", "required"],
        ["Attended", "optional"],
        ["Workshops", "optional"],
        ["Language", "optional"],
        ["Category", "optional"],
        ["Invited by", "optional"],
    ]
    accepts = {row[0]: row[2] for row in rows[1:]}
    assert accepts["Attended"] == (
        "yes/y/sí/si/true/1/x for yes; no/n/false/0 or empty for no; read for past forums only"
    )
    assert accepts["Country"] == (
        "an ISO code (MY) or the country's name in English or Spanish (Malaysia, Malasia)"
    )
    assert accepts["Language"] == "the language to write to them in: en/es; empty for the default"
    also = {row[0]: row[3] for row in rows[1:]}
    assert also["E-mail"] == (
        "Correo electrónico, email address, mail, correo, correo-e, "
        "dirección de correo, dirección de correo electrónico"
    )


def test_import_page_links_both_templates(staff_client, past_forum):
    page = staff_client.get(reverse(IMPORT)).content.decode()
    links = page.split('id="import-templates"')[1].split("</p>")[0]
    assert [part.split('"')[0] for part in links.split('href="')[1:]] == [
        reverse(TEMPLATE, args=["csv"]),
        reverse(TEMPLATE, args=["xlsx"]),
    ]


def test_import_template_csv_holds_the_headers(staff_client):
    response = staff_client.get(reverse(TEMPLATE, args=["csv"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-list-template.csv"'
    )
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == [ENGLISH]


def test_import_template_xlsx_in_spanish_holds_the_headers(staff_client):
    response = staff_client.get(reverse(TEMPLATE, args=["xlsx"]), headers={"accept-language": "es"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-list-template.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [SPANISH]


@pytest.mark.parametrize("language", ["en", "es"])
def test_import_template_csv_filled_in_imports_cleanly(staff_client, past_forum, language):
    template = staff_client.get(
        reverse(TEMPLATE, args=["csv"]), headers={"accept-language": language}
    )
    filled = template.content + ",".join(SITI).encode() + b"\r\n"

    confirm(staff_client, upload(staff_client, past_forum, filled))

    registration = Registration.objects.select_related("person").get()
    assert (
        registration.person.email,
        registration.person.country.code,
        registration.job_title,
        registration.language,
    ) == ("siti@ksm.example", "MY", "Gerente", "es")


@pytest.mark.parametrize("language", ["en", "es"])
def test_import_template_xlsx_filled_in_imports_cleanly(staff_client, past_forum, language):
    template = staff_client.get(
        reverse(TEMPLATE, args=["xlsx"]), headers={"accept-language": language}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    workbook.active.append(SITI)
    filled = io.BytesIO()
    workbook.save(filled)

    preview = upload(staff_client, past_forum, filled.getvalue(), "list.xlsx", XLSX)
    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["new"]
    confirm(staff_client, preview)

    assert list(Registration.objects.values_list("person__email", "person__country")) == [
        ("siti@ksm.example", "MY")
    ]


@pytest.mark.parametrize(
    ("file_format", "status"),
    [("pdf", 404), ("CSV", 404), ("csv.exe", 404), ("²", 404), ("x" * 10_000, 404), ("\x00", 400)],
)
def test_import_template_other_formats_are_not_found(staff_client, file_format, status):
    response = staff_client.get(
        reverse(TEMPLATE, args=["csv"]).replace("/csv/", f"/{file_format}/")
    )
    assert response.status_code == status


def test_import_template_refused_to_report_readers(client, report_reader):
    client.force_login(report_reader)
    assert client.get(reverse(TEMPLATE, args=["csv"])).status_code == 403
    assert client.get(reverse(IMPORT)).status_code == 403


@pytest.mark.parametrize("forums", [1, 3])
def test_import_page_queries(staff_client, make_forum, django_assert_num_queries, forums):
    for number in range(forums):
        make_forum(slug=f"forum-q{number}")
    staff_client.get(reverse(IMPORT))  # the session and permissions, read once
    with django_assert_num_queries(QUERIES["page"]):
        assert staff_client.get(reverse(IMPORT)).status_code == 200


@pytest.mark.parametrize("forums", [1, 3])
def test_import_template_queries(staff_client, make_forum, django_assert_num_queries, forums):
    for number in range(forums):
        make_forum(slug=f"forum-t{number}")
    with django_assert_num_queries(QUERIES["template"]):
        assert staff_client.get(reverse(TEMPLATE, args=["xlsx"])).status_code == 200


@pytest.mark.parametrize("people", [1, 3])
def test_import_preview_queries(staff_client, past_forum, django_assert_num_queries, people):
    rows = [
        f"P{n},Q,p{n}@company{n}.example,Company Number {n},MY,Manager,yes" for n in range(people)
    ]
    data = b"First name,Last name,E-mail,Company,Country,Job title,Attended\r\n"
    data += "\r\n".join(rows).encode() + b"\r\n"
    upload(staff_client, past_forum, data)  # what is read once per process is read
    with django_assert_num_queries(QUERIES["preview"]):
        response = upload(staff_client, past_forum, data)
    assert [row.import_type for row in response.context["result"].valid_rows()] == ["new"] * people
    assert counts() == (0, 0, 0, 0, 0)


QUERIES = {"page": 3, "template": 2, "preview": 38}
