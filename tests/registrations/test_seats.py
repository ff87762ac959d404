"""The one seat API: counters are written only by registrations.seats, a model's save() never
writes a stale counter and refuses a changed one, and no module reaches into another's private
names."""

import ast
import re
from pathlib import Path

import pytest
from django.db import transaction

from forums.models import Forum
from registrations import seats
from registrations.enums import RegistrationStatus
from workshops.models import Workshop

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "config", "forums", "workshops", "registrations", "feedback", "reports"]
APPS += [p.name for p in ROOT.iterdir() if (p / "apps.py").exists() and p.name not in APPS]


def project_sources():
    for app in sorted(set(APPS)):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_only_the_seat_api_writes_seat_counters():
    writers = []
    for path in project_sources():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"seats_taken\s*=(?!=)", line) and "models." not in line:
                writers.append(f"{path.relative_to(ROOT)}:{number}")
    assert [w for w in writers if not w.startswith("registrations/seats.py")] == []


def test_no_module_imports_another_modules_private_names():
    offenders = []
    for path in project_sources():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                top = node.module.split(".")[0]
                if top in APPS:
                    offenders += [
                        f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
                        for alias in node.names
                        if alias.name.startswith("_")
                    ]
    assert offenders == []


def test_save_does_not_write_back_a_counter_read_before_someone_took_a_seat(make_forum):
    forum = make_forum(capacity=10)
    stale = Forum.objects.get(pk=forum.pk)
    with transaction.atomic():
        seats.lock_forum(forum.pk)
        assert seats.take_forum_seats(forum.pk, 3)

    stale.title = "Renamed"
    stale.save()

    forum.refresh_from_db()
    assert (forum.title, forum.seats_taken) == ("Renamed", 3)


@pytest.mark.parametrize("how", ["changed", "update_fields"])
def test_save_refuses_to_write_a_counter(make_forum, how):
    forum = Forum.objects.get(pk=make_forum(capacity=10).pk)
    with pytest.raises(ValueError) as caught:
        if how == "changed":
            forum.seats_taken = 5
            forum.save()
        else:
            forum.save(update_fields=["seats_taken"])
    assert str(caught.value) == "Forum.seats_taken is changed only by registrations.seats."
    assert Forum.objects.get(pk=forum.pk).seats_taken == 0


@pytest.mark.django_db(transaction=True)
def test_lock_forum_outside_a_transaction_is_refused(make_forum):
    forum = make_forum()
    with pytest.raises(RuntimeError):
        seats.lock_forum(forum.pk)


def test_take_forum_seats_takes_all_or_none(make_forum):
    forum = make_forum(capacity=5)
    with transaction.atomic():
        seats.lock_forum(forum.pk)
        assert seats.take_forum_seats(forum.pk, 4) is True
        assert seats.take_forum_seats(forum.pk, 2) is False
        assert seats.take_forum_seats(forum.pk, 1) is True
    assert Forum.objects.get(pk=forum.pk).seats_taken == 5


def test_recount_over_a_limit_changes_nothing_and_says_where(forum, register, workshop):
    for n in range(3):
        register(forum, f"p{n}@supplier.example", [workshop("A1")])
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=3)
    Forum.objects.filter(pk=forum.pk).update(capacity=2, seats_taken=2)  # as if mis-set

    with pytest.raises(seats.SeatsExceeded) as caught, transaction.atomic():
        seats.recount(seats.lock_forum(forum.pk))

    assert caught.value.problems == [
        (
            "",
            "the forum would have 3 participants but its capacity is 2; raise the capacity "
            "in the admin first",
        ),
    ]
    assert Forum.objects.get(pk=forum.pk).seats_taken == 2
    assert forum.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3
