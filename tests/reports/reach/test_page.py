"""The reach page: figures read back from the HTML, the as-of form, exports, query counts."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from forums.models import Forum
from tests.feedback.results_fixture import figures
from tests.reports.reach.conftest import more_history

URL = "/reports/reach/"


def figure_values(html):
    return {name: values[0] for name, values in figures(html).items()}


def test_reach_page_figures(staff_client, history):
    response = staff_client.get(URL)
    assert response.status_code == 200
    seen = figure_values(response.content.decode())
    assert [seen[f"total:{k}"] for k in ["forums", "companies", "people", "countries"]] == [
        "3",
        "4",
        "4",
        "3",
    ]
    assert seen["total:returning"] == "1"
    assert [seen[f"year:2017:{k}"] for k in ["forums", "companies", "people"]] == ["2", "3", "3"]
    assert [seen[f"country:MY:{k}"] for k in ["forums", "companies", "people"]] == ["1", "2", "2"]
    assert seen["sponsor:Nestlé:people"] == "1"
    assert seen["category:ngo:companies"] == "1"
    assert [seen[f"forum:kl:{k}"] for k in ["new", "returning"]] == ["1", "1"]
    html = response.content.decode()
    # The year and country bar charts, and the map.
    assert html.count('<svg role="img" class="chart"') == 3
    assert "<title>Companies reached by year</title>" in html


def test_reach_page_as_of(staff_client, history):
    response = staff_client.get(URL, {"as_of": "2017-10-24"})
    seen = figure_values(response.content.decode())
    assert [seen[f"total:{k}"] for k in ["forums", "companies", "people"]] == ["2", "3", "3"]
    assert response.context["form"]["as_of"].value() == "2017-10-24"


@pytest.mark.parametrize("bad", ["24/10/2017", "2017-02-30", "x" * 10_000, "🙂"])
def test_reach_page_bad_date_says_so(staff_client, history, bad):
    response = staff_client.get(URL, {"as_of": bad})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "as_of": ["Enter a date as YYYY-MM-DD, for example 2017-10-24."]
    }
    # The figures to date are shown below the message.
    assert figure_values(response.content.decode())["total:forums"] == "3"


def test_reach_export_csv(staff_client, history):
    response = staff_client.get(
        reverse("reports:reach_export", args=["csv"]), {"as_of": "2017-10-24"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="reach-2017-10-24.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["breakdown", "key", "label", "forums", "companies", "people"]
    by_key = {(r[0], r[1]): r[3:8] for r in rows[1:]}
    assert by_key[("total", "companies")][1] == "3"
    assert by_key[("country", "MY")][:3] == ["1", "2", "2"]
    assert by_key[("forum", "kl")] == ["1", "2", "2", "1", "1"]


def test_reach_export_xlsx(staff_client, history):
    response = staff_client.get(reverse("reports:reach_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    by_key = {(r[0], r[1]): r[3:6] for r in rows[1:]}
    assert by_key[("total", "people")] == [None, None, 4]
    assert by_key[("year", "2016")] == [1, 2, 2]


def test_reach_export_bad_date_goes_back_to_the_page(staff_client, history):
    response = staff_client.get(reverse("reports:reach_export", args=["csv"]), {"as_of": "nope"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/reach/?as_of=nope"


@pytest.mark.parametrize("extra", [1, 3])
def test_reach_page_query_count(staff_client, history, django_assert_num_queries, extra):
    more_history(extra)
    with django_assert_num_queries(7):
        response = staff_client.get(URL)
    assert figure_values(response.content.decode())["total:forums"] == str(3 + extra)


def test_reach_page_marks_demo_forums(staff_client, history):
    forums, _, _ = history
    Forum.objects.filter(pk=forums["gurgaon"].pk).update(is_demo=True)
    html = staff_client.get(URL).content.decode()
    assert html.count("data-demo") == 1
    assert 'data-key="gurgaon"><th scope="row">Forum' in html
    notice = html[html.index('id="demo-notice"') :]
    assert notice[: notice.index("</p>")].endswith(
        "These figures include 1 made-up forum, loaded for trying the software."
    )


def test_reach_page_without_demo_forums_says_nothing_of_them(staff_client, history):
    html = staff_client.get(URL).content.decode()
    assert "demo-notice" not in html
    assert "data-demo" not in html


@pytest.mark.parametrize("day, forums", [("9999-12-31", "3"), ("0001-01-01", "0")])
def test_reach_page_first_and_last_days(staff_client, history, day, forums):
    response = staff_client.get(URL, {"as_of": day})
    assert response.status_code == 200
    assert figure_values(response.content.decode())["total:forums"] == forums
    export = staff_client.get(reverse("reports:reach_export", args=["csv"]), {"as_of": day})
    assert export.status_code == 200


def test_reach_page_map_by_country(staff_client, history):
    html = staff_client.get(URL).content.decode()
    figure = re.search(r'<figure class="reach-map">(.*?)</figure>', html, re.S).group(1)
    assert (
        "<title>Map of the companies reached, by the country where the forum was held</title>"
        in (figure)
    )
    assert figure.count("<path ") == 173
    # India and Malaysia (2 companies each) in the darkest shade, Mexico (1) in the lightest;
    # the legend has a swatch of each.
    paths = re.findall(r"<path [^>]*>", figure)
    assert sum("fill: rgb(12%,37%,47%)" in path for path in paths) == 2
    assert sum("fill: rgb(78%,86%,90%)" in path for path in paths) == 1
    assert sum("fill: rgb(89%,90%,91%)" in path for path in paths) == 170
    legend = re.findall(r"<rect [^>]*fill[^>]*>", figure)
    assert [re.search(r"fill: (rgb\([^)]*\))", rect).group(1) for rect in legend] == [
        "rgb(78%,86%,90%)",
        "rgb(12%,37%,47%)",
    ]


def test_reach_page_without_reach_has_no_map(staff_client, db):
    html = staff_client.get(URL).content.decode()
    assert 'class="reach-map"' not in html
