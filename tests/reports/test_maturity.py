"""The maturity report, against a hand-counted fixture (stages by module: setting the tone,
due diligence, monitoring, stakeholders; – not answered).

Earlier forum (2025): Acme a0 (1,1,1,–) and Borneo b0 (2,2,2,2) attended; Delta d0 (3,–,–,–)
did not attend, so Delta was not assessed at a forum it reached.

The forum (2026), in registration order:
  Acme    a1 (2,1,–,–), a2 (3,1,0,–)
  Borneo  b1 (1,2,3,2)
  Ceylon  c1 (no answers)           → reached, not assessed
  Delta   d1 (1,1,1,1)
  Estate  e1 (4,4,4,4) no-show      → not counted
  Fjord   f1 (0,0,0,0); Fjord is merged into Acme afterwards, so f1 is Acme's latest answer.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from forums.enums import ForumStatus
from forums.models import Organisation, Person
from registrations.enums import RsjModule
from registrations.models import Registration
from reports.maturity import forum_maturity


def _register(forum, company, stages, *, attended=True):
    number = Registration.objects.count() + 1
    person = Person.objects.create(first_name="P", last_name=str(number), email=f"p{number}@x.ex")
    registration = Registration.objects.create(
        forum=forum,
        person=person,
        company=company,
        **{module.field_name: stage for module, stage in zip(RsjModule, stages, strict=True)},
    )
    if attended:
        CheckIn.objects.create(
            registration=registration,
            checked_in_at=forum.starts_at,
            nonce=f"door-{registration.pk}",
            source=CheckInSource.SCAN,
        )
    return registration


@pytest.fixture
def forums(make_forum):
    earlier = make_forum(slug="earlier", day=date(2025, 5, 6), status=ForumStatus.HELD)
    forum = make_forum(slug="the-forum", day=date(2026, 5, 5), status=ForumStatus.HELD)
    company = {
        name: Organisation.objects.create(name=name, kind="supplier", country="MY")
        for name in ("Acme", "Borneo", "Ceylon", "Delta", "Estate", "Fjord")
    }
    _register(earlier, company["Acme"], (1, 1, 1, None))
    _register(earlier, company["Borneo"], (2, 2, 2, 2))
    _register(earlier, company["Delta"], (3, None, None, None), attended=False)
    _register(forum, company["Acme"], (2, 1, None, None))
    _register(forum, company["Acme"], (3, 1, 0, None))
    _register(forum, company["Borneo"], (1, 2, 3, 2))
    _register(forum, company["Ceylon"], (None, None, None, None))
    _register(forum, company["Delta"], (1, 1, 1, 1))
    _register(forum, company["Estate"], (4, 4, 4, 4), attended=False)
    _register(forum, company["Fjord"], (0, 0, 0, 0))
    company["Fjord"].merged_into = company["Acme"]
    company["Fjord"].save()
    return earlier, forum


def test_forum_maturity_counts_companies_once_with_their_latest_assessment(forums):
    _, forum = forums
    maturity = forum_maturity(forum)
    # Acme (as f1, Fjord being Acme now), Borneo, Ceylon, Delta.
    assert (maturity.companies, maturity.assessed) == (4, 3)
    # Stages 0..4, then not answered, over Acme (0,0,0,0), Borneo (1,2,3,2), Delta (1,1,1,1).
    assert [
        (row.module, [n for _, n in row.stages], row.not_answered) for row in maturity.modules
    ] == [  # fmt: skip
        (RsjModule.SETTING_TONE, [1, 2, 0, 0, 0], 0),
        (RsjModule.DUE_DILIGENCE, [1, 1, 1, 0, 0], 0),
        (RsjModule.MONITORING, [1, 1, 0, 1, 0], 0),
        (RsjModule.STAKEHOLDERS, [1, 1, 1, 0, 0], 0),
    ]


def test_forum_maturity_compares_with_the_latest_earlier_assessment(forums):
    _, forum = forums
    maturity = forum_maturity(forum)
    # Acme before (1,1,1,–) now (0,0,0,0): declined, declined, declined, not compared.
    # Borneo before (2,2,2,2) now (1,2,3,2): declined, same, improved, same.
    # Delta's earlier answer was at a forum it did not attend: not compared.
    assert maturity.compared == 2
    assert [(m.module, m.improved, m.same, m.declined) for m in maturity.movements] == [
        (RsjModule.SETTING_TONE, 0, 0, 2),
        (RsjModule.DUE_DILIGENCE, 0, 1, 1),
        (RsjModule.MONITORING, 1, 0, 1),
        (RsjModule.STAKEHOLDERS, 0, 1, 0),
    ]


def test_earlier_forum_sees_no_later_assessment(forums):
    earlier, _ = forums
    maturity = forum_maturity(earlier)
    assert (maturity.companies, maturity.assessed, maturity.compared) == (2, 2, 0)


def _cells(html, table_id, attribute):
    (table,) = re.findall(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    return {
        module: [int(n) for n in re.findall(rf'<td data-{attribute}="[^"]+">(\d+)</td>', row)]
        for module, row in re.findall(r'<tr data-module="(\w+)">(.*?)</tr>', table, re.S)
    }


def test_maturity_page_shows_the_figures(staff_client, forums):
    _, forum = forums
    html = staff_client.get(reverse("reports:maturity", args=[forum.slug])).content.decode()
    assert _cells(html, "maturity-stages", "stage") == {
        "setting_tone": [1, 2, 0, 0, 0, 0],
        "due_diligence": [1, 1, 1, 0, 0, 0],
        "monitoring": [1, 1, 0, 1, 0, 0],
        "stakeholders": [1, 1, 1, 0, 0, 0],
    }
    assert _cells(html, "maturity-movements", "move") == {
        "setting_tone": [0, 0, 2],
        "due_diligence": [0, 1, 1],
        "monitoring": [1, 0, 1],
        "stakeholders": [0, 1, 0],
    }
    (summary,) = re.findall(r'<p id="maturity-summary">(.*?)</p>', html)
    assert summary == "3 of 4 companies reached answered."


@pytest.mark.parametrize("more", [1, 3])
def test_maturity_page_query_count(staff_client, forums, more, django_assert_num_queries):
    _, forum = forums
    for number in range(more):
        company = Organisation.objects.create(name=f"More {number}", kind="supplier", country="MY")
        _register(forum, company, (1, 2, 3, 4))
    with django_assert_num_queries(6):
        response = staff_client.get(reverse("reports:maturity", args=[forum.slug]))
    assert response.status_code == 200
