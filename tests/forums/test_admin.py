import re
import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from forums.enums import ForumStatus
from forums.models import AgendaItem, Forum, Person
from registrations.models import Registration
from tests.html_forms import form_values, input_names, stylesheets, texts_of_class
from workshops.models import Workshop

KL = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
MEXICO = zoneinfo.ZoneInfo("America/Mexico_City")


@pytest.fixture
def source_forum(make_forum, make_member, sponsor, make_person):
    forum = make_forum(title="KL Forum", slug="kl-2017", day=date(2017, 10, 24), status="held")
    sponsor(forum, make_member(name="Nestlé"))
    sponsor(
        forum, make_member(name="Departed", joined_on=date(2010, 1, 1), left_on=date(2020, 1, 1))
    )
    item = AgendaItem.objects.create(
        forum=forum, starts_at=forum.starts_at + timedelta(hours=1), title="Opening"
    )
    item.speakers.add(make_person("Melizel", "Asuncion", None))
    workshop = Workshop.objects.create(
        forum=forum,
        code="A1",
        title="Migrant labour",
        pillar="human_rights",
        starts_at=forum.starts_at + timedelta(hours=4),
        ends_at=forum.starts_at + timedelta(hours=6),
        seat_limit=40,
    )
    workshop.facilitators.add(make_person("Lara", "White", None))
    return forum


def test_duplicate_forum_action_copies_to_new_date_as_draft(staff_client, source_forum):
    url = reverse("admin:forums_forum_changelist")
    data = {"action": "duplicate_forum", "_selected_action": [source_forum.pk]}
    form_page = staff_client.post(url, data)
    assert form_page.status_code == 200
    assert "Asia/Kuala_Lumpur" in form_page.content.decode()

    response = staff_client.post(
        url, {**data, "apply": "1", "starts_at": "2027-05-11T09:00", "title": "KL Forum 2027"}
    )
    copy = Forum.objects.get(title="KL Forum 2027")
    assert response.status_code == 302
    assert copy.status == ForumStatus.DRAFT
    assert copy.slug == "kl-forum-2027-2027"
    assert copy.starts_at == datetime(2027, 5, 11, 9, 0, tzinfo=KL)
    assert copy.ends_at == datetime(2027, 5, 11, 17, 0, tzinfo=KL)
    item = copy.agenda_items.get()
    assert item.starts_at == datetime(2027, 5, 11, 10, 0, tzinfo=KL)
    assert [p.full_name for p in item.speakers.all()] == ["Melizel Asuncion"]
    workshop = copy.workshops.get()
    assert (workshop.code, workshop.seat_limit) == ("A1", 40)
    assert workshop.starts_at == datetime(2027, 5, 11, 13, 0, tzinfo=KL)
    assert [p.full_name for p in workshop.facilitators.all()] == ["Lara White"]
    # Only sponsors still members on the new date come along, with new invitation codes.
    assert [s.organisation.name for s in copy.sponsorships.all()] == ["Nestlé"]
    assert (
        copy.sponsorships.get().invitation_code
        != source_forum.sponsorships.get(organisation__name="Nestlé").invitation_code
    )
    assert Forum.objects.count() == 2


def test_duplicate_forum_action_needs_exactly_one_forum(staff_client, source_forum, make_forum):
    other = make_forum()
    response = staff_client.post(
        reverse("admin:forums_forum_changelist"),
        {"action": "duplicate_forum", "_selected_action": [source_forum.pk, other.pk]},
        follow=True,
    )
    assert "Select exactly one forum to duplicate." in response.content.decode()
    assert Forum.objects.count() == 2


def test_duplicate_forum_action_invalid_date_keeps_form_and_creates_nothing(
    staff_client, source_forum
):
    response = staff_client.post(
        reverse("admin:forums_forum_changelist"),
        {
            "action": "duplicate_forum",
            "_selected_action": [source_forum.pk],
            "apply": "1",
            "starts_at": "not a date",
        },
    )
    assert response.status_code == 200
    assert "Enter a valid date/time." in response.content.decode()
    assert Forum.objects.count() == 1


def test_forum_with_registrations_cannot_be_deleted(staff_client, source_forum):
    person = Person.objects.create(first_name="Siti", email="siti@example.com")
    Registration.objects.create(forum=source_forum, person=person)
    url = reverse("admin:forums_forum_delete", args=[source_forum.pk])
    page = staff_client.get(url)
    assert "<title>Cannot delete forum |" in page.content.decode()
    staff_client.post(url, {"post": "yes"})
    assert Forum.objects.filter(pk=source_forum.pk).exists()


@pytest.fixture
def kl_forum(make_forum, make_member, sponsor, make_organisation):
    """Kuala Lumpur 2017 as the demo has it: 08:30–17:30 local (00:30–09:30 UTC), with a
    registration window, a supporter, a sponsor, an agenda item and a workshop."""
    forum = make_forum(
        title="Responsible Sourcing Forum Kuala Lumpur",
        slug="kuala-lumpur-2017",
        day=date(2017, 10, 24),
        status="held",
        venue="Hotel Istana",
        venue_address="73 Jalan Raja Chulan",
        registration_opens_at=datetime(2017, 9, 1, 10, 0, tzinfo=KL),
        registration_closes_at=datetime(2017, 10, 20, 18, 0, tzinfo=KL),
    )
    Forum.objects.filter(pk=forum.pk).update(
        starts_at=datetime(2017, 10, 24, 8, 30, tzinfo=KL),
        ends_at=datetime(2017, 10, 24, 17, 30, tzinfo=KL),
    )
    forum.refresh_from_db()
    forum.supporters.add(make_organisation(name="CSR Asia", kind="partner"))
    sponsor(forum, make_member(name="Nestlé"))
    AgendaItem.objects.create(
        forum=forum,
        title="Opening",
        starts_at=datetime(2017, 10, 24, 8, 30, tzinfo=KL),
        ends_at=datetime(2017, 10, 24, 9, 0, tzinfo=KL),
    )
    Workshop.objects.create(
        forum=forum,
        code="A1",
        title="Migrant labour",
        pillar="human_rights",
        room="Room 1",
        starts_at=datetime(2017, 10, 24, 14, 0, tzinfo=KL),
        ends_at=datetime(2017, 10, 24, 15, 30, tzinfo=KL),
        seat_limit=40,
    )
    return forum


def stored_times(forum) -> dict:
    """Every stored date-time of a forum's programme, by object and field (not `updated_at`,
    which records when it was saved)."""
    times = {}
    for obj in [forum, *forum.agenda_items.all(), *forum.workshops.all()]:
        obj.refresh_from_db()
        for field in obj._meta.concrete_fields:
            if field.get_internal_type() == "DateTimeField" and field.name != "updated_at":
                times[(type(obj).__name__, obj.pk, field.name)] = getattr(obj, field.name)
    return times


def test_forum_change_form_shows_times_in_forum_zone(staff_client, kl_forum):
    page = staff_client.get(reverse("admin:forums_forum_change", args=[kl_forum.pk]))

    data = form_values(page, "forum_form")
    assert (data["starts_at_0"], data["starts_at_1"]) == (["2017-10-24"], ["08:30:00"])
    assert (data["ends_at_0"], data["ends_at_1"]) == (["2017-10-24"], ["17:30:00"])
    assert (data["registration_opens_at_0"], data["registration_opens_at_1"]) == (
        ["2017-09-01"],
        ["10:00:00"],
    )
    assert (data["registration_closes_at_0"], data["registration_closes_at_1"]) == (
        ["2017-10-20"],
        ["18:00:00"],
    )
    assert (data["agenda_items-0-starts_at_1"], data["agenda_items-0-ends_at_1"]) == (
        ["08:30:00"],
        ["09:00:00"],
    )
    assert (data["workshops-0-starts_at_1"], data["workshops-0-ends_at_1"]) == (
        ["14:00:00"],
        ["15:30:00"],
    )
    # Named once for the forum's, the agenda's and the workshops' times, in the "When" section.
    assert texts_of_class(page, "time-zone") == ["Asia/Kuala_Lumpur (+08)"]
    assert texts_of_class(page, "description") == [
        "Every time on this page is in Asia/Kuala_Lumpur (+08)."
    ]


def test_forum_change_form_saved_unchanged_keeps_every_time(staff_client, kl_forum):
    url = reverse("admin:forums_forum_change", args=[kl_forum.pk])
    before = stored_times(kl_forum)
    data = form_values(staff_client.get(url), "forum_form")

    response = staff_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    assert stored_times(kl_forum) == before
    # Saving again changes nothing either.
    data = form_values(staff_client.get(url), "forum_form")
    assert staff_client.post(url, {**data, "_save": "Save"}).status_code == 302
    assert stored_times(kl_forum) == before
    assert kl_forum.starts_at == datetime(2017, 10, 24, 8, 30, tzinfo=KL)


def test_forum_change_form_reads_typed_times_in_forum_zone(staff_client, kl_forum):
    url = reverse("admin:forums_forum_change", args=[kl_forum.pk])
    data = form_values(staff_client.get(url), "forum_form")
    data.update({"starts_at_1": ["09:15"], "workshops-0-ends_at_1": ["16:00"]})

    response = staff_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    kl_forum.refresh_from_db()
    assert kl_forum.starts_at == datetime(2017, 10, 24, 9, 15, tzinfo=KL)
    assert kl_forum.workshops.get().ends_at == datetime(2017, 10, 24, 16, 0, tzinfo=KL)


def test_forum_change_form_with_new_zone_reads_times_in_that_zone(staff_client, kl_forum):
    url = reverse("admin:forums_forum_change", args=[kl_forum.pk])
    data = form_values(staff_client.get(url), "forum_form")
    data["time_zone"] = ["Asia/Jakarta"]

    response = staff_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    kl_forum.refresh_from_db()
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    assert kl_forum.starts_at == datetime(2017, 10, 24, 8, 30, tzinfo=jakarta)
    assert kl_forum.workshops.get().starts_at == datetime(2017, 10, 24, 14, 0, tzinfo=jakarta)


def test_forum_changelist_shows_start_in_forum_zone(staff_client, kl_forum):
    response = staff_client.get(reverse("admin:forums_forum_changelist"))

    (row,) = response.context["cl"].result_list
    assert response.context["cl"].model_admin.local_start(row) == (
        "2017-10-24 08:30 Asia/Kuala_Lumpur (+08)"
    )


def test_duplicate_forum_form_round_trip_keeps_times(staff_client, kl_forum):
    url = reverse("admin:forums_forum_changelist")
    page = staff_client.post(url, {"action": "duplicate_forum", "_selected_action": [kl_forum.pk]})
    data = form_values(page, "duplicate_form")
    assert data["starts_at"] == ["2017-10-24T08:30"]
    assert texts_of_class(page, "time-zone") == ["Asia/Kuala_Lumpur (+08)"]

    response = staff_client.post(url, data)

    assert response.status_code == 302
    copy = Forum.objects.exclude(pk=kl_forum.pk).get()
    assert (copy.starts_at, copy.ends_at) == (kl_forum.starts_at, kl_forum.ends_at)
    assert copy.agenda_items.get().starts_at == datetime(2017, 10, 24, 8, 30, tzinfo=KL)
    assert copy.workshops.get().starts_at == datetime(2017, 10, 24, 14, 0, tzinfo=KL)
    # The copy's own change form shows and keeps the same local times.
    change_url = reverse("admin:forums_forum_change", args=[copy.pk])
    before = stored_times(copy)
    data = form_values(staff_client.get(change_url), "forum_form")
    assert data["starts_at_1"] == ["08:30:00"]
    assert staff_client.post(change_url, {**data, "_save": "Save"}).status_code == 302
    assert stored_times(copy) == before


def test_admin_sponsor_inline_rejects_non_member_with_message(staff_client, make_organisation):
    supplier = make_organisation(name="Kilang Sawit Maju Sdn Bhd")
    data = {
        "title_en": "New",
        "slug": "new",
        "status": "draft",
        "theme": "",
        "summary": "",
        "city": "Kuala Lumpur",
        "country": "MY",
        "venue": "",
        "venue_address": "",
        "time_zone": "Asia/Kuala_Lumpur",
        "starts_at_0": "2027-03-01",
        "starts_at_1": "09:00",
        "ends_at_0": "2027-03-01",
        "ends_at_1": "17:00",
        "capacity": "100",
        "reminder_days_before": "3",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "sponsorships-TOTAL_FORMS": "1",
        "sponsorships-INITIAL_FORMS": "0",
        "sponsorships-0-organisation": supplier.pk,
        "sponsorships-0-role": "sponsor",
        "agenda_items-TOTAL_FORMS": "0",
        "agenda_items-INITIAL_FORMS": "0",
        "workshops-TOTAL_FORMS": "0",
        "workshops-INITIAL_FORMS": "0",
    }
    response = staff_client.post(reverse("admin:forums_forum_add"), data)
    assert response.status_code == 200
    assert (
        "Kilang Sawit Maju Sdn Bhd was not a member on 2027-03-01, the date of the forum"
        in response.content.decode()
    )
    assert not Forum.objects.filter(slug="new").exists()
    data["sponsorships-TOTAL_FORMS"] = "0"
    response = staff_client.post(reverse("admin:forums_forum_add"), data)
    assert response.status_code == 302
    created = Forum.objects.get(slug="new")
    assert created.starts_at == datetime(2027, 3, 1, 9, 0, tzinfo=KL)
    assert created.reminder_days_before == 3


@pytest.fixture
def forums_around_new_year(make_forum, kl_forum):
    """Kuala Lumpur on 24 October 2017; Auckland on New Year's Day 2018 at 09:00 (still
    31 December in UTC); Mexico City on New Year's Eve 2017 at 20:00 (already 2018 in UTC);
    and one far ahead."""
    make_forum(title="Auckland", day=date(2018, 1, 1), zone="Pacific/Auckland", status="held")
    mexico = make_forum(
        title="Mexico City", day=date(2017, 12, 31), zone="America/Mexico_City", status="held"
    )
    Forum.objects.filter(pk=mexico.pk).update(
        starts_at=datetime(2017, 12, 31, 20, 0, tzinfo=MEXICO),
        ends_at=datetime(2017, 12, 31, 23, 0, tzinfo=MEXICO),
    )
    make_forum(title="Far ahead", day=date(2036, 3, 11))


def forum_titles(staff_client, **query) -> list[str]:
    page = staff_client.get(reverse("admin:forums_forum_changelist"), query)
    assert page.status_code == 200
    return texts_of_class(page, "field-title")


def test_forum_changelist_filters_by_year_in_each_forums_zone(staff_client, forums_around_new_year):
    page = staff_client.get(reverse("admin:forums_forum_changelist"))

    cl = page.context["cl"]
    assert cl.date_hierarchy is None  # it would group by the UTC date
    (when,) = [spec for spec in cl.filter_specs if spec.title == "when"]
    assert [str(choice["display"]) for choice in when.choices(cl)] == [
        "All",
        "Upcoming",
        "Past",
        "2036",
        "2018",
        "2017",
    ]
    assert forum_titles(staff_client, when="2018") == ["Auckland"]
    assert forum_titles(staff_client, when="2017") == [
        "Mexico City",
        "Responsible Sourcing Forum Kuala Lumpur",
    ]
    assert forum_titles(staff_client, when="2036") == ["Far ahead"]
    assert forum_titles(staff_client, when="2019") == []


def test_forum_changelist_filters_upcoming_and_past(staff_client, forums_around_new_year):
    assert forum_titles(staff_client, when="upcoming") == ["Far ahead"]
    # Newest first: Mexico City's New Year's Eve comes after Auckland's New Year's morning.
    assert forum_titles(staff_client, when="past") == [
        "Mexico City",
        "Auckland",
        "Responsible Sourcing Forum Kuala Lumpur",
    ]


@pytest.mark.parametrize("value", ["next-year", "99999", "0"])
def test_forum_changelist_when_filter_unknown_value_lists_nothing(
    staff_client, forums_around_new_year, value
):
    assert forum_titles(staff_client, when=value) == []


@pytest.mark.parametrize("count", [1, 3])
def test_forum_changelist_query_count(staff_client, make_forum, count, django_assert_num_queries):
    zones = ["Asia/Kuala_Lumpur", "Pacific/Auckland", "America/Mexico_City"]
    for number in range(count):
        make_forum(day=date(2017, 10, 24 - number), zone=zones[number])

    # The forums with their registration counts in one query, whatever their number.
    with django_assert_num_queries(9):
        page = staff_client.get(reverse("admin:forums_forum_changelist"), {"when": "2017"})

    assert len(texts_of_class(page, "field-title")) == count


def test_forum_change_form_names_every_input(staff_client, kl_forum):
    page = staff_client.get(reverse("admin:forums_forum_change", args=[kl_forum.pk]))

    names = input_names(page, "forum_form")
    # The "Add another" templates' inputs too: they become rows.
    assert [name for name, label in names.items() if label is None] == []
    assert names["starts_at_0"] == "Starts at (date)"
    assert names["starts_at_1"] == "Starts at (time, Asia/Kuala_Lumpur)"
    assert names["registration_closes_at_1"] == "Registration closes at (time, Asia/Kuala_Lumpur)"
    assert names["agenda_items-0-ends_at_0"] == "Ends at (date)"
    assert names["workshops-0-starts_at_1"] == "Starts at (time, Asia/Kuala_Lumpur)"
    assert names["workshops-__prefix__-starts_at_1"] == "Starts at (time, Asia/Kuala_Lumpur)"
    # The sponsors' table has column headings, not labels.
    assert names["sponsorships-__prefix__-organisation"] == "Member"
    assert names["sponsorships-__prefix__-role"] == "Role"
    assert names["sponsorships-0-DELETE"] == "Delete"
    assert (names["title_en"], names["title_es"]) == ("<label>", "<label>")


def test_forum_add_form_names_time_inputs_without_a_zone(staff_client):
    page = staff_client.get(reverse("admin:forums_forum_add"))

    names = input_names(page, "forum_form")
    assert [name for name, label in names.items() if label is None] == []
    assert names["ends_at_1"] == "Ends at (time, in the forum's time zone)"
    assert texts_of_class(page, "description") == [
        "Every time on this page is in the forum's time zone, chosen under Where."
    ]


def test_forum_change_form_hides_the_server_time_note(staff_client, kl_forum):
    page = staff_client.get(reverse("admin:forums_forum_change", args=[kl_forum.pk]))

    # The date pickers add "Note: You are N hours behind server time" in the browser; the
    # widgets' stylesheet hides it, since the page names the forum's zone.
    assert "/static/forums/admin/forum_zone.css" in [link["href"] for link in stylesheets(page)]
    css = (settings.BASE_DIR / "static/forums/admin/forum_zone.css").read_text()
    assert re.search(r"\.timezonewarning\s*\{\s*display:\s*none;\s*\}", css)
    assert "server time" not in page.content.decode()


def test_forum_change_form_sections(staff_client, kl_forum):
    page = staff_client.get(reverse("admin:forums_forum_change", args=[kl_forum.pk]))

    assert [
        (fieldset.name and str(fieldset.name), fieldset.classes)
        for fieldset in page.context["adminform"]
    ] == [
        (None, ""),
        ("Where", ""),
        ("When", ""),
        ("Supporters", "collapse"),
        ("Capacity and reminders", ""),
        ("Certificate of attendance", "collapse"),
        ("Seats", ""),
        ("Feedback", ""),
        ("Reports", ""),
        ("Audit log", "collapse"),
    ]
    assert [
        (str(formset.opts.verbose_name_plural), formset.is_collapsible)
        for formset in page.context["inline_admin_formsets"]
    ] == [("sponsorships", False), ("agenda items", True), ("workshops", True)]
