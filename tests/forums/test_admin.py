import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from forums.enums import ForumStatus
from forums.models import AgendaItem, Forum, Person
from registrations.models import Registration
from workshops.models import Workshop

KL = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")


@pytest.fixture
def staff_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


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


def test_forum_admin_shows_and_reads_times_in_forum_zone(staff_client, source_forum):
    url = reverse("admin:forums_forum_change", args=[source_forum.pk])
    page = staff_client.get(url)
    assert 'value="2017-10-24"' in page.content.decode()
    assert 'value="09:00:00"' in page.content.decode()


def test_admin_sponsor_inline_rejects_non_member_with_message(staff_client, make_organisation):
    supplier = make_organisation(name="Kilang Sawit Maju Sdn Bhd")
    data = {
        "title": "New",
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
