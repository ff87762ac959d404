import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = StringIO()
    call_command("reach", *args, stdout=out)
    return out.getvalue()


def test_reach_command_json(history):
    data = json.loads(run("--json"))
    assert {k: data[k] for k in ["forums", "companies", "people", "countries", "as_of"]} == {
        "forums": 3,
        "companies": 4,
        "people": 4,
        "countries": 3,
        "as_of": None,
    }
    assert data["by_country"]["MY"] == {
        "label": "Malaysia",
        "forums": 1,
        "companies": 2,
        "people": 2,
    }
    assert {year: v["companies"] for year, v in data["by_year"].items()} == {
        "2016": 2,
        "2017": 3,
    }


def test_reach_command_as_of(history):
    data = json.loads(run("--as-of", "2017-10-24", "--json"))
    assert (data["as_of"], data["forums"], data["companies"], data["people"]) == (
        "2017-10-24",
        2,
        3,
        3,
    )


def test_reach_command_text(history):
    lines = run("--as-of", "2016-12-31").splitlines()
    assert lines[:5] == [
        "Reach as of 2016-12-31",
        "Forums held: 1",
        "Companies reached: 2",
        "People reached: 2",
        "Countries: 1",
    ]


@pytest.mark.parametrize("bad", ["24/10/2017", "2017-13-01", "", "🙂" * 100])
def test_reach_command_bad_date(db, bad):
    with pytest.raises(CommandError) as error:
        run("--as-of", bad)
    assert (
        str(error.value)
        == f"--as-of {bad!r} is not a date; write it as YYYY-MM-DD, e.g. 2017-10-24."
    )


def test_reach_command_rebuild(history):
    from reports.models import ReachFact

    ReachFact.objects.all().delete()
    out, err = StringIO(), StringIO()
    call_command("reach", "--json", "--rebuild", stdout=out, stderr=err)
    figures = json.loads(out.getvalue())
    assert (figures["forums"], figures["companies"], figures["people"]) == (3, 4, 4)
    assert err.getvalue() == f"Reach facts rebuilt: {ReachFact.objects.count()}.\n"


@pytest.mark.parametrize("day, figures", [("9999-12-31", (3, 4, 4)), ("0001-01-01", (0, 0, 0))])
def test_reach_command_first_and_last_days(history, day, figures):
    data = json.loads(run("--as-of", day, "--json"))
    assert (data["as_of"], data["forums"], data["companies"], data["people"]) == (day, *figures)
