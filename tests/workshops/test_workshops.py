"""Workshops: time slots, the rules a workshop must keep, seats left, and copies onto a
duplicated forum."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from forums.services import forum_duplicate
from workshops.models import Workshop
from workshops.selectors import forum_slots, group_into_slots

from ..conftest import KL


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2036, 3, 11, hour, minute, tzinfo=KL)


def unsaved(code: str, start: datetime, minutes: int) -> Workshop:
    return Workshop(
        code=code, title=code, starts_at=start, ends_at=start + timedelta(minutes=minutes)
    )


def test_slots_group_workshops_that_overlap_directly_or_through_a_chain():
    workshops = [
        unsaved("C", at(12), 60),  # overlaps B, which overlaps A: one slot
        unsaved("A", at(11), 60),
        unsaved("B", at(11, 30), 60),
        unsaved("D", at(14), 90),  # starts when nothing runs
        unsaved("E", at(15, 30), 30),  # starts as D ends: touching is not overlapping
    ]

    slots = group_into_slots(workshops)

    assert [(s.number, [w.code for w in s.workshops]) for s in slots] == [
        (1, ["A", "B", "C"]),
        (2, ["D"]),
        (3, ["E"]),
    ]
    assert [(s.starts_at, s.ends_at) for s in slots] == [
        (at(11), at(13)),
        (at(14), at(15, 30)),
        (at(15, 30), at(16)),
    ]


def test_slots_of_a_forum_without_workshops_are_none(make_forum):
    assert forum_slots(make_forum()) == []


def workshop_on(forum, **values) -> Workshop:
    day = forum.starts_at.astimezone(forum.zone)
    start = values.pop("starts_at", day.replace(hour=11))
    return Workshop(
        forum=forum,
        code="A1",
        title="Migrant labour",
        pillar="human_rights",
        starts_at=start,
        ends_at=values.pop("ends_at", start + timedelta(minutes=90)),
        seat_limit=values.pop("seat_limit", 20),
        **values,
    )


def test_workshop_must_end_after_it_starts(make_forum):
    forum = make_forum()
    workshop = workshop_on(forum)
    workshop.ends_at = workshop.starts_at
    with pytest.raises(ValidationError) as caught:
        workshop.full_clean()
    assert caught.value.message_dict["ends_at"] == ["A workshop must end after it starts."]


def test_workshop_must_take_place_during_its_forums_day(make_forum):
    forum = make_forum()
    workshop = workshop_on(forum, starts_at=forum.ends_at)
    with pytest.raises(ValidationError) as caught:
        workshop.full_clean()
    assert caught.value.message_dict["starts_at"] == [
        "A workshop must take place during its forum's day."
    ]


def test_seats_left_and_full(make_forum):
    workshop = workshop_on(make_forum(), seat_limit=2)
    workshop.save()
    assert (workshop.seats_left, workshop.is_full) == (2, False)
    Workshop.objects.filter(pk=workshop.pk).update(seats_taken=2)
    workshop.refresh_from_db()
    assert (workshop.seats_left, workshop.is_full) == (0, True)


def test_duplicated_forum_gets_its_workshops_shifted_with_empty_seats(make_forum, make_person):
    forum = make_forum(capacity=50)
    workshop = workshop_on(forum, room="Melati")
    workshop.save()
    workshop.facilitators.add(make_person("Lara", "White", email="lara@iom.example"))
    Workshop.objects.filter(pk=workshop.pk).update(seats_taken=7)
    starts = forum.starts_at + timedelta(days=365)

    copy = forum_duplicate(forum=forum, starts_at=starts)

    (copied,) = copy.workshops.all()
    assert copied.pk != workshop.pk
    assert (copied.code, copied.room, copied.seat_limit, copied.seats_taken) == (
        "A1",
        "Melati",
        20,
        0,
    )
    assert copied.starts_at == workshop.starts_at + timedelta(days=365)
    assert [p.email for p in copied.facilitators.all()] == ["lara@iom.example"]
    assert Workshop.objects.get(pk=workshop.pk).seats_taken == 7
