"""The texts the secretariat writes for participants, in English and Spanish: a Spanish reader
sees the Spanish, or the English where it was left empty; Spanish dates read "24 de octubre de
2017"; the migration keeps the texts written before there were two languages."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from forums.enums import ForumStatus
from forums.models import AgendaItem, Forum
from tests.outbox.test_migrations import migrate
from workshops.models import Workshop


@pytest.fixture
def sugar_forum(make_forum):
    forum = make_forum(
        title="Industry Awareness Workshop on Sugar",
        slug="mexico-city-2017",
        day=date(2017, 11, 14),
        zone="America/Mexico_City",
        city="Mexico City",
        country="MX",
        status=ForumStatus.HELD,
        summary="Working conditions in the Mexican sugar industry.",
        venue_notes="Bring photo identification.",
    )
    Forum.objects.filter(pk=forum.pk).update(
        title_es="Taller de sensibilización de la industria del azúcar",
        summary_es="Las condiciones de trabajo en la industria azucarera mexicana.",
        venue_notes_es="Traiga una identificación con fotografía.",
    )
    AgendaItem.objects.create(
        forum=forum,
        starts_at=forum.starts_at + timedelta(hours=1),
        title_en="Hydration, shade and rest programmes",
        title_es="Programas de hidratación, sombra y descanso",
    )
    AgendaItem.objects.create(
        forum=forum, starts_at=forum.starts_at + timedelta(hours=2), title_en="Closing remarks"
    )
    starts = forum.starts_at.astimezone(forum.zone).replace(hour=14)
    for code, english, spanish in [("A1", "Shelters", "Albergues"), ("A2", "Child labour", "")]:
        Workshop.objects.create(
            forum=forum,
            code=code,
            title_en=english,
            title_es=spanish or None,
            pillar="human_rights",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            seat_limit=25,
        )
    return Forum.objects.get(pk=forum.pk)


def page(client, language):
    response = client.get(
        reverse("forum", args=["mexico-city-2017"]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    html = response.content.decode()
    return {
        "title": re.findall(r"<h1>(.*?)</h1>", html),
        "held": re.findall(r'<p class="held">(.*?)</p>', html),
        "notes": re.findall(r'<span class="venue-notes">(.*?)</span>', html),
        "agenda": re.findall(r"</time> (.*?)\n", html),
        "workshops": re.findall(r'<h4 style="margin:0">(.*?)</h4>', html),
    }


def test_spanish_page_shows_spanish_title_agenda_workshops_and_date(client, sugar_forum):
    assert page(client, "es") == {
        "title": ["Taller de sensibilización de la industria del azúcar"],
        "held": ["Celebrado el 14 de noviembre de 2017."],
        "notes": ["Traiga una identificación con fotografía."],
        # The closing remarks and A2 have no Spanish: the English is shown.
        "agenda": ["Programas de hidratación, sombra y descanso", "Closing remarks"],
        "workshops": ["A1 · Albergues", "A2 · Child labour"],
    }


def test_english_page_shows_english_texts(client, sugar_forum):
    assert page(client, "en") == {
        "title": ["Industry Awareness Workshop on Sugar"],
        "held": ["Held on 14 November 2017."],
        "notes": ["Bring photo identification."],
        "agenda": ["Hydration, shade and rest programmes", "Closing remarks"],
        "workshops": ["A1 · Shelters", "A2 · Child labour"],
    }


def test_spanish_falls_back_to_english_where_missing(sugar_forum):
    Forum.objects.filter(pk=sugar_forum.pk).update(title_es=None, summary_es="")
    forum = Forum.objects.get(pk=sugar_forum.pk)
    with translation.override("es"):
        assert (forum.title, forum.summary, forum.venue_notes) == (
            "Industry Awareness Workshop on Sugar",
            "Working conditions in the Mexican sugar industry.",
            "Traiga una identificación con fotografía.",
        )
        titles = list(Workshop.objects.filter(forum=forum).values_list("title", flat=True))
        assert titles == ["Albergues", "Child labour"]


@pytest.mark.django_db(transaction=True)
def test_migration_copies_existing_texts_into_english_and_back():
    before = [
        ("forums", "0005_forum_demo_flag"),
        ("workshops", "0002_workshop_seats_taken_and_more"),
    ]
    try:
        old_apps = migrate(before)
        starts = datetime(2017, 11, 14, 15, 0, tzinfo=UTC)
        forum = old_apps.get_model("forums", "Forum").objects.create(
            title="Industry Awareness Workshop on Sugar",
            summary="Working conditions.",
            slug="mx",
            city="Mexico City",
            country="MX",
            time_zone="America/Mexico_City",
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            capacity=80,
        )
        old_apps.get_model("forums", "AgendaItem").objects.create(
            forum=forum, starts_at=starts, title="Opening", description="Welcome."
        )
        old_apps.get_model("workshops", "Workshop").objects.create(
            forum=forum,
            code="A1",
            title="Shelters",
            description="Housing for cane workers.",
            pillar="human_rights",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            seat_limit=25,
        )

        migrate(None)

        assert list(
            Forum.objects.values_list("title_en", "title_es", "summary_en", "summary_es")
        ) == [("Industry Awareness Workshop on Sugar", None, "Working conditions.", None)]
        assert list(AgendaItem.objects.values_list("title_en", "description_en")) == [
            ("Opening", "Welcome.")
        ]
        assert list(Workshop.objects.values_list("title_en", "description_en")) == [
            ("Shelters", "Housing for cane workers.")
        ]
        with translation.override("es"):
            assert Workshop.objects.get().title == "Shelters"
        Workshop.objects.update(title_en="Shelters for cane workers")

        old_apps = migrate(before)
        back = old_apps.get_model("workshops", "Workshop").objects.get()
        assert back.title == "Shelters for cane workers"
    finally:
        migrate(None)


def test_duplicate_keeps_both_languages_whatever_the_admin_speaks(sugar_forum):
    from forums.services import forum_duplicate

    starts = sugar_forum.starts_at + timedelta(days=365)
    with translation.override("es"):
        copy = forum_duplicate(forum=sugar_forum, starts_at=starts, title="Sugar Workshop 2018")
    copy = Forum.objects.get(pk=copy.pk)
    assert (copy.title_en, copy.title_es, copy.summary_es) == (
        "Sugar Workshop 2018",
        "Taller de sensibilización de la industria del azúcar",
        "Las condiciones de trabajo en la industria azucarera mexicana.",
    )
    assert list(copy.workshops.values_list("title_en", "title_es")) == [
        ("Shelters", "Albergues"),
        ("Child labour", None),
    ]
    assert list(copy.agenda_items.values_list("title_en", "title_es")) == [
        ("Hydration, shade and rest programmes", "Programas de hidratación, sombra y descanso"),
        ("Closing remarks", None),
    ]
