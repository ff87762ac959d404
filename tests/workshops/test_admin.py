"""The workshop admin reads and shows times in the workshop's forum's zone."""

import zoneinfo
from datetime import date, datetime

import pytest
from django.urls import reverse

from tests.html_forms import form_values, texts_of_class
from workshops.models import Workshop

KL = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
MEXICO = zoneinfo.ZoneInfo("America/Mexico_City")


@pytest.fixture
def kl_workshop(make_forum):
    forum = make_forum(slug="kuala-lumpur-2017", day=date(2017, 10, 24), status="held")
    return Workshop.objects.create(
        forum=forum,
        code="A1",
        title="Migrant labour",
        pillar="human_rights",
        room="Room 1",
        starts_at=datetime(2017, 10, 24, 14, 0, tzinfo=KL),
        ends_at=datetime(2017, 10, 24, 15, 30, tzinfo=KL),
        seat_limit=40,
    )


def test_workshop_change_form_shows_times_in_forum_zone(staff_client, kl_workshop):
    page = staff_client.get(reverse("admin:workshops_workshop_change", args=[kl_workshop.pk]))

    data = form_values(page, "workshop_form")
    assert (data["starts_at_0"], data["starts_at_1"]) == (["2017-10-24"], ["14:00:00"])
    assert (data["ends_at_0"], data["ends_at_1"]) == (["2017-10-24"], ["15:30:00"])
    assert texts_of_class(page, "time-zone") == ["Asia/Kuala_Lumpur (+08)"] * 2


def test_workshop_change_form_saved_unchanged_keeps_times(staff_client, kl_workshop):
    url = reverse("admin:workshops_workshop_change", args=[kl_workshop.pk])
    data = form_values(staff_client.get(url), "workshop_form")

    response = staff_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    kl_workshop.refresh_from_db()
    assert (kl_workshop.starts_at, kl_workshop.ends_at) == (
        datetime(2017, 10, 24, 14, 0, tzinfo=KL),
        datetime(2017, 10, 24, 15, 30, tzinfo=KL),
    )


def test_workshop_change_form_reads_typed_time_in_forum_zone(staff_client, kl_workshop):
    url = reverse("admin:workshops_workshop_change", args=[kl_workshop.pk])
    data = form_values(staff_client.get(url), "workshop_form")

    response = staff_client.post(url, {**data, "starts_at_1": ["13:45"], "_save": "Save"})

    assert response.status_code == 302
    kl_workshop.refresh_from_db()
    assert kl_workshop.starts_at == datetime(2017, 10, 24, 13, 45, tzinfo=KL)


def test_workshop_add_form_reads_times_in_chosen_forum_zone(staff_client, kl_workshop):
    url = reverse("admin:workshops_workshop_add")
    page = staff_client.get(url)
    assert texts_of_class(page, "time-zone") == ["in the forum's time zone"] * 2
    data = form_values(page, "workshop_form")
    data.update(
        forum=[str(kl_workshop.forum_id)],
        code=["B1"],
        title_en=["Water stewardship"],
        pillar=["environment"],
        starts_at_0=["2017-10-24"],
        starts_at_1=["16:00"],
        ends_at_0=["2017-10-24"],
        ends_at_1=["17:00"],
        seat_limit=["30"],
    )

    response = staff_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    added = Workshop.objects.get(code="B1")
    assert (added.starts_at, added.ends_at) == (
        datetime(2017, 10, 24, 16, 0, tzinfo=KL),
        datetime(2017, 10, 24, 17, 0, tzinfo=KL),
    )


def test_workshop_changelist_shows_start_in_forum_zone(staff_client, kl_workshop, make_forum):
    mexico = make_forum(slug="mexico-2017", day=date(2017, 11, 14), zone="America/Mexico_City")
    Workshop.objects.create(
        forum=mexico,
        code="S1",
        title="Shelters",
        pillar="human_rights",
        starts_at=datetime(2017, 11, 14, 10, 0, tzinfo=MEXICO),
        ends_at=datetime(2017, 11, 14, 11, 0, tzinfo=MEXICO),
        seat_limit=20,
    )

    response = staff_client.get(reverse("admin:workshops_workshop_changelist"))

    admin = response.context["cl"].model_admin
    assert [(row.code, admin.local_start(row)) for row in response.context["cl"].result_list] == [
        ("A1", "2017-10-24 14:00 Asia/Kuala_Lumpur (+08)"),
        ("S1", "2017-11-14 10:00 America/Mexico_City (CST)"),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_workshop_changelist_query_count(
    staff_client, make_forum, count, django_assert_num_queries
):
    for number in range(count):
        forum = make_forum(day=date(2017, 10, 24 - number))
        Workshop.objects.create(
            forum=forum,
            code="A1",
            title="Migrant labour",
            pillar="human_rights",
            starts_at=forum.starts_at,
            ends_at=forum.ends_at,
            seat_limit=40,
        )

    with django_assert_num_queries(6):
        response = staff_client.get(reverse("admin:workshops_workshop_changelist"))

    assert response.context["cl"].result_count == count
