import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from audit.services import Actor
from forums.models import Person
from outbox.sweep import run_sweeps
from privacy.models import Erasure, RetentionSweepRun
from privacy.selectors import people_past_retention
from privacy.services import person_erase, retention_sweep
from registrations.models import Registration

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def attended(make_forum):
    """A participant per forum, by the forum's age: started five years minus a day ago, plus a
    day ago, and long ago; and one with an old forum and a recent one."""
    made = {}
    forums = {}

    def person_at(name: str, *forum_keys: str) -> Person:
        person = Person.objects.create(first_name=name, email=f"{name}@example.com")
        for key in forum_keys:
            Registration.objects.create(forum=forums[key], person=person)
        made[name] = person
        return person

    for key, when in {
        "minus_a_day": dt.datetime(2021, 6, 16, 12, 0, tzinfo=dt.UTC),
        "plus_a_day": dt.datetime(2021, 6, 14, 12, 0, tzinfo=dt.UTC),
        "old": dt.datetime(2012, 3, 1, 9, 0, tzinfo=dt.UTC),
        "recent": NOW - dt.timedelta(days=30),
    }.items():
        forum = make_forum(slug=key, day=when.date(), zone="UTC")
        forum.starts_at = when
        forum.save()
        forums[key] = forum
    person_at("kept", "minus_a_day")
    person_at("gone", "plus_a_day")
    person_at("ancient", "old")
    person_at("returning", "old", "recent")
    Person.objects.create(first_name="speaker", email="speaker@example.com")
    return made


def test_people_past_retention_boundary(attended):
    # 2021-06-16 12:00 is five years minus a day before NOW; 2021-06-14 plus a day.
    past = people_past_retention(years=5, now=NOW)
    assert sorted(p.first_name for p in past) == ["ancient", "gone"]


def test_people_past_retention_leaves_out_the_erased(attended):
    person_erase(person=attended["ancient"], by=Actor.system())
    assert [p.pk for p in people_past_retention(years=5, now=NOW)] == [attended["gone"].pk]


def test_retention_dry_run_lists_exactly_and_erases_nothing(attended):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("retention", "--years", "5", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        f"person {attended['gone'].pk}\tlast forum 2021-06-14",
        f"person {attended['ancient'].pk}\tlast forum 2012-03-01",
        "2 would be erased (older than 5 years).",
    ]
    assert Erasure.objects.count() == 0


def test_retention_erases_them(attended):
    with time_machine.travel(NOW, tick=False):
        call_command("retention", "--years", "5", stdout=StringIO())
    assert sorted(Erasure.objects.values_list("person__pk", flat=True)) == sorted(
        [attended["gone"].pk, attended["ancient"].pk]
    )
    assert Person.objects.get(pk=attended["kept"].pk).email == "kept@example.com"


def test_retention_sweep_runs_once_a_day(attended, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 5
    with time_machine.travel(NOW, tick=False):
        assert sorted(retention_sweep()) == sorted([attended["gone"].pk, attended["ancient"].pk])
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        # Someone else now past the period waits for tomorrow's run.
        settings.PERSONAL_DATA_RETENTION_YEARS = 1
        assert retention_sweep() == []
        assert Erasure.objects.count() == 2
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert sorted(retention_sweep()) == sorted([attended["kept"].pk])
    assert list(RetentionSweepRun.objects.order_by("day").values_list("erased", flat=True)) == [
        2,
        1,
    ]


def test_retention_sweep_is_one_of_the_worker_sweeps(attended, settings):
    settings.WORKER_SWEEPS = ["privacy.services.retention_sweep"]
    with time_machine.travel(NOW, tick=False):
        assert run_sweeps() == {"privacy.services.retention_sweep": 2}
