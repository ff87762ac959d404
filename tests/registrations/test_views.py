"""Pages of registration: the forum page's workshops, the form, the manage link, the resend form
and "My forums"."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.core import mail, signing
from django.urls import resolve, reverse
from icalendar import Calendar

from forums.enums import ForumStatus
from forums.models import Forum, Person
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import PlaceStatus, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from registrations.tokens import manage_token, registration_from_token
from workshops.models import Workshop

from .conftest import KL, add_workshops


def form_data(**overrides):
    data = {
        "first_name": "Siti",
        "last_name": "Rahman",
        "email": "siti@supplier.example",
        "job_title": "Sustainability manager",
        "company_name": "Acme Packaging Sdn Bhd",
        "country": "MY",
        "phone": "",
        "dietary_needs": "",
        "accessibility_needs": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def register_url(forum):
    return reverse("registrations:register", args=[forum.slug])


def manage_url(registration):
    return reverse("registrations:manage", args=[manage_token(registration)])


def registration_of(url):
    """The registration a manage (or calendar) address stands for. Tokens carry a timestamp, so
    two tokens for one registration can differ; compare what they open, not their text."""
    return registration_from_token(resolve(url).kwargs["token"])


def without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def field_errors(response, name):
    return response.context["form"].errors.get(name)


def make_registration_for_past_forum(make_forum, make_details):
    """A registration made while the forum was open; the forum has since been held."""
    forum = make_forum(title="Past Forum", slug="past-forum", day=date(2020, 5, 5))
    outcome = services.registration_create(
        forum=forum,
        details=make_details("past@supplier.example"),
        workshops=[],
        now=forum.starts_at - timedelta(days=2),
    )
    Forum.objects.filter(pk=forum.pk).update(status=ForumStatus.HELD)
    return outcome.registration


# --- forum page ----------------------------------------------------------------------------------


def test_forum_page_lists_workshops_by_slot_with_seats_left(client, forum, workshop, register):
    Workshop.objects.filter(pk=workshop("A2").pk).update(seat_limit=1)
    register(forum, workshops=[workshop("A2"), workshop("B1")])

    response = client.get(reverse("forum", args=[forum.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert [slot.number for slot in response.context["slots"]] == [1, 2]
    assert [[w.code for w in slot.workshops] for slot in response.context["slots"]] == [
        ["A1", "A2"],
        ["B1", "B2"],
    ]
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings == ["11:00–12:30: choose one", "14:00–15:30: choose one"]
    cards = re.findall(
        r"<h4[^>]*>(.*?)</h4>.*?<span class=\"badge [a-z]+\">(.*?)</span>", html, re.S
    )
    assert cards == [
        ("A1 · Migrant labour", "20 seats left"),
        ("A2 · Health and safety on site", "Full – join the waiting list"),
        ("B1 · Water stewardship", "19 seats left"),
        ("B2 · Anti-bribery", "20 seats left"),
    ]
    assert "99 places left." in html
    assert f'href="{register_url(forum)}"' in html


def test_forum_page_one_seat_left_is_singular(client, forum, workshop):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    html = client.get(reverse("forum", args=[forum.slug])).content.decode()
    assert "1 seat left<" in html


def test_forum_page_invitation_code_is_passed_to_register_link(client, forum, sponsor):
    code = sponsor(forum).invitation_code
    html = client.get(reverse("forum", args=[forum.slug]), {"invite": code}).content.decode()
    assert f'href="{register_url(forum)}?invite={code}"' in html


@pytest.mark.parametrize("count", [1, 3])
def test_forum_page_query_count_does_not_grow_with_workshops(
    client, make_forum, make_person, make_organisation, count, django_assert_num_queries
):
    forum = make_forum()
    for index in range(count):
        for code in ["A", "B"]:
            workshop = Workshop.objects.create(
                forum=forum,
                code=f"{code}{index}",
                title=f"Workshop {code}{index}",
                pillar="environment",
                starts_at=forum.starts_at + timedelta(hours=index + 1),
                ends_at=forum.starts_at + timedelta(hours=index + 1, minutes=50),
                seat_limit=10,
            )
            workshop.facilitators.add(
                make_person(f"Facilitator{code}{index}", "Y", f"f{code}{index}@x.org")
            )
            workshop.led_by.add(make_organisation(name=f"Leader {code}{index}"))
    with django_assert_num_queries(7):
        response = client.get(reverse("forum", args=[forum.slug]))
    assert len(response.context["slots"]) == count
    assert response.content.decode().count("10 seats left") == 2 * count


# --- register: showing the form ------------------------------------------------------------------


def test_register_get_shows_form_with_one_radio_group_per_slot(client, forum):
    response = client.get(register_url(forum))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Register for Responsible Sourcing Forum Kuala Lumpur" in html
    assert "Tuesday 11 March 2036" in html
    form = response.context["form"]
    assert [name for name in form.fields if name.startswith("slot_")] == ["slot_1", "slot_2"]
    assert [label for _, label in form.fields["slot_1"].choices] == [
        "No workshop in this slot",
        "A1 · Migrant labour (20 seats left)",
        "A2 · Health and safety on site (20 seats left)",
    ]
    assert html.count('type="radio" name="slot_1"') == 3
    assert "Please tick this box" not in html


def test_register_get_slot_labels_are_in_forum_time_zone(client, forum):
    html = client.get(register_url(forum)).content.decode()
    assert re.findall(r"<legend><strong>(.*?)</strong></legend>", html) == [
        "Workshop 11:00–12:30",
        "Workshop 14:00–15:30",
    ]


def test_manage_slot_labels_are_in_forum_time_zone(client, forum, register):
    html = client.get(manage_url(register(forum).registration)).content.decode()
    assert re.findall(r"<legend><strong>(.*?)</strong></legend>", html) == [
        "Workshop 11:00–12:30",
        "Workshop 14:00–15:30",
    ]


def test_register_get_full_workshop_offers_waiting_list(client, forum, workshop):
    Workshop.objects.filter(pk=workshop("B2").pk).update(seat_limit=3, seats_taken=3)
    form = client.get(register_url(forum)).context["form"]
    assert form.fields["slot_2"].choices[2][1] == "B2 · Anti-bribery (Full – join the waiting list)"


@pytest.mark.parametrize("count", [1, 3])
def test_register_get_query_count_does_not_grow_with_workshops(
    client, make_forum, count, django_assert_num_queries
):
    forum = make_forum()
    for index in range(count):
        Workshop.objects.create(
            forum=forum,
            code=f"A{index}",
            title=f"Workshop {index}",
            pillar="environment",
            starts_at=forum.starts_at + timedelta(hours=index + 1),
            ends_at=forum.starts_at + timedelta(hours=index + 1, minutes=50),
            seat_limit=10,
        )
    # The forum, its workshops, its registration questions (none).
    with django_assert_num_queries(3):
        response = client.get(register_url(forum))
    assert len(response.context["form"].slots) == count


def test_register_get_logged_in_user_gets_their_details(client, forum, make_user, make_person):
    user = make_user("siti@supplier.example", first_name="S", last_name="R")
    make_person("Siti", "Rahman", "SITI@supplier.example", job_title="Buyer", phone="+60 1")
    client.force_login(user)

    form = client.get(register_url(forum)).context["form"]

    assert (form["email"].value(), form["first_name"].value(), form["job_title"].value()) == (
        "siti@supplier.example",
        "Siti",
        "Buyer",
    )


# --- register: posting ---------------------------------------------------------------------------


def test_register_post_valid_creates_registration_and_says_check_email(
    client, forum, workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            register_url(forum),
            form_data(slot_1=str(workshop("A2").pk), slot_2="", dietary_needs="Halal"),
        )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:sent", args=[forum.slug])
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.person.email == "siti@supplier.example"
    assert registration.dietary_needs == "Halal"
    assert registration.language == "en"
    assert registration.invited_by is None
    assert {p.workshop.code: p.status for p in registration.workshop_places.all()} == {
        "A2": PlaceStatus.CONFIRMED
    }
    (message,) = mail.outbox
    links = re.findall(r"https://forums\.example\.org(/registration/[^\s/]+/)\n", message.body)
    assert [registration_of(link) for link in links] == [registration]
    page = client.get(response["Location"])
    assert re.findall(r"<h1>(.*?)</h1>", page.content.decode()) == ["Check your e-mail"]


def test_register_post_when_forum_full_waitlists(client, forum):
    Forum.objects.filter(pk=forum.pk).update(capacity=1, seats_taken=1)

    response = client.post(register_url(forum), form_data())

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.WAITLISTED
    html = client.get(manage_url(registration)).content.decode()
    assert "number 1 on the waiting list" in html


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"consent": None},
            "consent",
            "Please tick this box: we cannot register you without your consent.",
        ),
        (
            {"email": "siti.supplier.example"},
            "email",
            "Enter an e-mail address such as name@company.com.",
        ),
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"company_name": "  "}, "company_name", "This field is required."),
        (
            {"country": "XX"},
            "country",
            "Select a valid choice. XX is not one of the available choices.",
        ),
    ],
    ids=["no_consent", "invalid_email", "no_first_name", "blank_company", "unknown_country"],
)
def test_register_post_bad_input_shows_message_keeps_values_creates_nothing(
    client, forum, workshop, overrides, field, message
):
    data = form_data(last_name="Abdul-Rahman", slot_2=str(workshop("B1").pk), **overrides)

    response = client.post(register_url(forum), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert list(response.context["form"].errors) == [field]
    assert message in html
    assert "Please correct the fields marked below." in html
    assert 'value="Abdul-Rahman"' in html
    assert re.search(rf'name="slot_2" value="{workshop("B1").pk}" id="id_slot_2_1" checked', html)
    assert (Registration.objects.count(), Person.objects.count()) == (0, 0)


def test_register_post_workshop_of_another_forum_in_slot_is_refused(client, forum, make_forum):
    other = make_forum(slug="other-forum")
    add_workshops(other)
    foreign = Workshop.objects.get(forum=other, code="A1")

    response = client.post(register_url(forum), form_data(slot_1=str(foreign.pk)))

    assert response.status_code == 200
    assert field_errors(response, "slot_1") == [
        f"Select a valid choice. {foreign.pk} is not one of the available choices."
    ]
    assert 'value="Siti"' in response.content.decode()
    assert Registration.objects.count() == 0


def test_register_post_workshop_of_other_slot_is_refused(client, forum, workshop):
    # A1 belongs to slot 1: posting it as the choice for slot 2 is not a valid choice.
    response = client.post(register_url(forum), form_data(slot_2=str(workshop("A1").pk)))

    assert field_errors(response, "slot_2") == [
        f"Select a valid choice. {workshop('A1').pk} is not one of the available choices."
    ]
    assert Registration.objects.count() == 0


def test_register_closed_registration_page_says_closed(client, forum):
    Forum.objects.filter(pk=forum.pk).update(status=ForumStatus.REGISTRATION_CLOSED)

    get = client.get(register_url(forum))
    post = client.post(register_url(forum), form_data())

    assert get.status_code == 200
    assert "Registration for this forum has closed." in get.content.decode()
    assert "Registration for this forum has closed." in post.content.decode()
    assert '<form method="post" novalidate>' not in get.content.decode()
    assert Registration.objects.count() == 0


def test_register_not_yet_open_page_says_when_it_opens(client, forum):
    opens = forum.starts_at - timedelta(days=10)  # 1 March 2036, 09:00 in Kuala Lumpur
    Forum.objects.filter(pk=forum.pk).update(registration_opens_at=opens)

    response = client.get(register_url(forum))

    assert "Registration opens on 1 March 2036, 09:00 (Asia/Kuala_Lumpur)." in (
        response.content.decode()
    )
    assert client.post(register_url(forum), form_data()).status_code == 200
    assert Registration.objects.count() == 0


def test_register_draft_forum_is_not_found(client, forum):
    Forum.objects.filter(pk=forum.pk).update(status=ForumStatus.DRAFT)
    assert client.get(register_url(forum)).status_code == 404
    assert client.post(register_url(forum), form_data()).status_code == 404
    assert Registration.objects.count() == 0


def test_register_invitation_link_records_invited_by(client, forum, sponsor, make_member):
    sponsorship = sponsor(forum, make_member(name="Nestlé"))
    url = f"{register_url(forum)}?invite={sponsorship.invitation_code}"

    page = client.get(url)
    response = client.post(url, form_data())

    assert "Invited by Nestlé" in page.content.decode()
    assert (
        f'<input type="hidden" name="invite" value="{sponsorship.invitation_code}">'
        in page.content.decode()
    )
    assert response.status_code == 302
    assert Registration.objects.get().invited_by == sponsorship


def test_register_invitation_code_in_hidden_field_records_invited_by(client, forum, sponsor):
    sponsorship = sponsor(forum)
    client.post(register_url(forum), form_data(invite=sponsorship.invitation_code))
    assert Registration.objects.get().invited_by == sponsorship


def test_register_unknown_invitation_code_shows_notice_and_still_registers(
    client, forum, make_forum, sponsor
):
    other_forums_code = sponsor(make_forum(slug="other")).invitation_code
    for code in ["nosuchcode", other_forums_code]:
        url = f"{register_url(forum)}?invite={code}"
        page = client.get(url)
        assert (
            "This invitation link is not valid for this forum. You can still register below."
            in page.content.decode()
        )
        assert "Invited by" not in page.content.decode()

    response = client.post(url, form_data())

    assert response.status_code == 302
    assert Registration.objects.get().invited_by is None


def test_register_known_unknown_and_registered_addresses_get_the_same_answer(
    client, forum, make_forum, register, django_capture_on_commit_callbacks
):
    register(forum, "registered@supplier.example")
    register(make_forum(slug="other"), "known@supplier.example")
    answers = {}
    for email in ["registered@supplier.example", "known@supplier.example", "new@supplier.example"]:
        client.cookies.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(register_url(forum), form_data(email=email))
        page = client.get(response["Location"]).content.decode()
        answers[email] = (
            response.status_code,
            response["Location"],
            without_csrf(page).replace(email, "@"),
        )

    assert answers["registered@supplier.example"] == answers["new@supplier.example"]
    assert answers["known@supplier.example"] == answers["new@supplier.example"]


def test_register_duplicate_resends_link_and_changes_nothing(
    client, forum, register, django_capture_on_commit_callbacks
):
    existing = register(forum, "siti@supplier.example").registration
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            register_url(forum), form_data(email="SITI@Supplier.Example", first_name="Mallory")
        )

    assert response["Location"] == reverse("registrations:sent", args=[forum.slug])
    assert Registration.objects.count() == 1
    assert Person.objects.get().first_name == existing.person.first_name
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["siti@supplier.example"],
            "Your registration link: Responsible Sourcing Forum Kuala Lumpur",
        )
    ]
    links = re.findall(r"https://forums\.example\.org(/registration/\S+/)", mail.outbox[0].body)
    assert [registration_of(link) for link in links] == [existing]


def test_register_double_submit_registers_once_and_sends_one_email(
    client, forum, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(register_url(forum), form_data())
        second = client.post(register_url(forum), form_data())

    assert Registration.objects.count() == 1
    assert (first["Location"], second["Location"]) == (
        reverse("registrations:sent", args=[forum.slug]),
        reverse("registrations:sent", args=[forum.slug]),
    )
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Registration confirmed"]


# --- manage link ---------------------------------------------------------------------------------


def test_manage_valid_link_shows_registration(client, forum, workshop, register):
    Workshop.objects.filter(pk=workshop("B1").pk).update(seat_limit=1)
    register(forum, workshops=[workshop("B1")])
    registration = register(
        forum, "siti@supplier.example", [workshop("A1"), workshop("B1")], first_name="Siti"
    ).registration

    response = client.get(manage_url(registration))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Registration of Siti Rahman" in html
    assert "<dd>Confirmed</dd>" in html
    assert "Tuesday 11 March 2036, 09:00–17:00 (Asia/Kuala_Lumpur)" in html
    assert "A1 · Migrant labour: place confirmed" in html
    assert "B1 · Water stewardship: waiting list, number 1" in html
    calendar_links = re.findall(r'href="(/registration/[^"]+/calendar\.ics)"', html)
    assert [registration_of(link) for link in calendar_links] == [registration]
    assert "Cancel registration" in html
    assert "You are registered." not in html


def test_manage_tampered_link_is_not_found(client, forum, register):
    token = manage_token(register(forum).registration)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.get(reverse("registrations:manage", args=[tampered]))

    html = response.content.decode()
    assert response.status_code == 404
    assert "This link does not work" in html
    assert "Send me a new link" in html


def test_manage_link_of_deleted_registration_is_not_found(client, forum, register):
    registration = register(forum).registration
    url = manage_url(registration)
    WorkshopPlace.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    registration.delete()

    response = client.get(url)

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_manage_link_after_forum_ended_has_expired(client, make_forum, make_details):
    registration = make_registration_for_past_forum(make_forum, make_details)

    response = client.get(manage_url(registration))
    calendar = client.get(reverse("registrations:calendar", args=[manage_token(registration)]))
    post = client.post(manage_url(registration), {"action": "cancel", "confirm": "yes"})

    assert response.status_code == 200
    assert "This link has expired" in response.content.decode()
    assert "This link has expired" in calendar.content.decode()
    assert "This link has expired" in post.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_manage_token_is_bound_to_its_registration(client, forum, register):
    mine = register(forum, "mine@supplier.example").registration
    theirs = register(forum, "theirs@supplier.example").registration
    # Links of the old kind (signed database ids) open nothing, even correctly signed.
    signed_ids = signing.dumps({"r": theirs.pk, "p": theirs.person_id}, salt="registrations.manage")

    assert client.get(reverse("registrations:manage", args=[signed_ids])).status_code == 404
    response = client.post(manage_url(mine), {"action": "cancel", "confirm": "yes"})

    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.CONFIRMED,
    )
    assert response["Location"] == manage_url(mine)
    page = client.get(manage_url(mine)).content.decode()
    assert f"Registration of {mine.person.full_name}" in page
    assert theirs.person.full_name not in page


def test_manage_change_workshops(client, forum, workshop, register):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration

    response = client.post(
        manage_url(registration),
        {"action": "workshops", "slot_1": "", "slot_2": str(workshop("B2").pk)},
    )

    assert response.status_code == 302
    assert registration_of(response["Location"]) == registration
    assert {p.workshop.code: p.status for p in registration.workshop_places.all()} == {
        "B2": PlaceStatus.CONFIRMED
    }
    assert (workshop("A1").seats_taken, workshop("B2").seats_taken) == (0, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Your workshop choices have been saved." in page
    assert "B2 · Anti-bribery: place confirmed" in page


def test_manage_change_workshops_invalid_choice_shows_error(client, forum, workshop, register):
    registration = register(forum, "siti@supplier.example", [workshop("A1")]).registration

    response = client.post(
        manage_url(registration), {"action": "workshops", "slot_1": str(workshop("B1").pk)}
    )

    assert response.status_code == 200
    assert response.context["workshop_form"].errors == {
        "slot_1": [
            f"Select a valid choice. {workshop('B1').pk} is not one of the available choices."
        ]
    }
    assert {p.workshop.code for p in registration.workshop_places.all()} == {"A1"}


def test_manage_update_details(client, forum, register):
    registration = register(forum, "siti@supplier.example").registration

    response = client.post(
        manage_url(registration),
        {
            "action": "details",
            "first_name": "Siti Nur",
            "last_name": "Rahman",
            "job_title": "Head of sourcing",
            "company_name": "Acme Packaging Sdn Bhd",
            "country": "MY",
            "phone": "",
            "dietary_needs": "Vegan",
            "accessibility_needs": "",
        },
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.person.first_name == "Siti Nur"
    assert (registration.job_title, registration.dietary_needs) == ("Head of sourcing", "Vegan")
    assert registration.person.email == "siti@supplier.example"
    page = client.get(response["Location"]).content.decode()
    assert "Your details have been saved." in page
    assert "Registration of Siti Nur Rahman" in page


def test_manage_update_details_invalid_shows_error_and_keeps_details(client, forum, register):
    registration = register(forum, "siti@supplier.example", first_name="Siti").registration

    response = client.post(
        manage_url(registration),
        {"action": "details", "first_name": "", "last_name": "Rahman", "country": "MY"},
    )

    assert response.status_code == 200
    assert response.context["details_form"].errors["first_name"] == ["This field is required."]
    registration.person.refresh_from_db()
    assert registration.person.first_name == "Siti"


def test_manage_cancel_needs_confirmation(client, forum, register):
    registration = register(forum).registration

    response = client.post(manage_url(registration), {"action": "cancel"}, follow=True)

    assert "Tick the box to confirm that you want to cancel." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_manage_cancel_with_confirmation_cancels_and_frees_seat(client, forum, workshop, register):
    registration = register(forum, workshops=[workshop("A1")]).registration

    response = client.post(
        manage_url(registration), {"action": "cancel", "confirm": "yes"}, follow=True
    )

    html = response.content.decode()
    registration.refresh_from_db()
    forum.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert (forum.seats_taken, workshop("A1").seats_taken) == (0, 0)
    assert "Your registration has been cancelled." in html
    assert "<dd>Cancelled</dd>" in html
    assert "Save workshop choices" not in html
    # A cancelled registration can no longer be changed through the link.
    first_name = registration.person.first_name
    again = client.post(
        manage_url(registration),
        {"action": "details", "first_name": "X", "last_name": "Y", "country": "MY"},
        follow=True,
    )
    assert "This registration can no longer be changed." in again.content.decode()
    registration.person.refresh_from_db()
    assert registration.person.first_name == first_name


def test_manage_calendar_download_has_forum_and_confirmed_workshops(
    client, forum, workshop, register
):
    Workshop.objects.filter(pk=workshop("B1").pk).update(seat_limit=1)
    register(forum, workshops=[workshop("B1")])
    registration = register(forum, workshops=[workshop("A2"), workshop("B1")]).registration

    response = client.get(reverse("registrations:calendar", args=[manage_token(registration)]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kl-2036.ics"'
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert sorted(events) == [
        "A2 Health and safety on site – Responsible Sourcing Forum Kuala Lumpur",
        "Responsible Sourcing Forum Kuala Lumpur",
    ]
    a2 = events["A2 Health and safety on site – Responsible Sourcing Forum Kuala Lumpur"]
    assert a2["dtstart"].params["TZID"] == "Asia/Kuala_Lumpur"
    assert a2["dtstart"].dt == datetime(2036, 3, 11, 11, 0, tzinfo=KL)
    assert a2["dtend"].dt == datetime(2036, 3, 11, 12, 30, tzinfo=KL)
    assert str(a2["location"]) == "Room A2, Hotel Istana, Kuala Lumpur"
    main = events["Responsible Sourcing Forum Kuala Lumpur"]
    assert (main["dtstart"].dt.hour, main["dtend"].dt.hour) == (9, 17)


def test_manage_tampered_calendar_link_is_not_found(client, forum, register):
    token = manage_token(register(forum).registration) + "x"
    response = client.get(reverse("registrations:calendar", args=[token]))
    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_manage_page_query_count_does_not_grow_with_workshops(
    client, make_forum, make_details, count, django_assert_num_queries
):
    forum = make_forum()
    workshops = [
        Workshop.objects.create(
            forum=forum,
            code=f"A{index}",
            title=f"Workshop {index}",
            pillar="environment",
            starts_at=forum.starts_at + timedelta(hours=index + 1),
            ends_at=forum.starts_at + timedelta(hours=index + 1, minutes=50),
            seat_limit=10,
        )
        for index in range(count)
    ]
    registration = services.registration_create(
        forum=forum, details=make_details(), workshops=workshops
    ).registration
    url = manage_url(registration)
    # One of them asks whether the registrant was checked in (the certificate link); two read
    # the answers and the questions (none).
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count(": place confirmed") == count


@pytest.mark.parametrize(
    "count",
    [1, 3],
)
def test_manage_page_query_count_does_not_grow_with_waiting_places(
    client, make_forum, make_details, count, django_assert_num_queries
):
    forum = make_forum()
    workshops = [
        Workshop.objects.create(
            forum=forum,
            code=f"A{index}",
            title=f"Workshop {index}",
            pillar="environment",
            starts_at=forum.starts_at + timedelta(hours=index + 1),
            ends_at=forum.starts_at + timedelta(hours=index + 1, minutes=50),
            seat_limit=1,
        )
        for index in range(count)
    ]
    services.registration_create(forum=forum, details=make_details(), workshops=workshops)
    registration = services.registration_create(
        forum=forum, details=make_details(), workshops=workshops
    ).registration
    url = manage_url(registration)
    # One of them asks whether the registrant was checked in (the certificate link); two read
    # the answers and the questions (none).
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("waiting list, number 1") == count


# --- resend link ---------------------------------------------------------------------------------


def test_resend_link_says_the_same_whether_or_not_registered(
    client, forum, register, django_capture_on_commit_callbacks
):
    register(forum, "known@supplier.example")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            reverse("registrations:resend_link"), {"email": "known@supplier.example"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(
            reverse("registrations:resend_link"), {"email": "nobody@supplier.example"}
        )

    assert (known.status_code, unknown.status_code) == (200, 200)
    known_html = without_csrf(known.content.decode())
    unknown_html = without_csrf(unknown.content.decode())
    assert known_html.replace("known@supplier.example", "EMAIL") == unknown_html.replace(
        "nobody@supplier.example", "EMAIL"
    )
    assert (
        "If known@supplier.example is registered for an upcoming forum, a message with the link "
        "to each registration is on its way." in known_html
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["known@supplier.example"],
            "Your registration link: Responsible Sourcing Forum Kuala Lumpur",
        )
    ]


def test_resend_link_invalid_email_shows_form_error(client, db):
    response = client.post(reverse("registrations:resend_link"), {"email": "not-an-address"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Enter an e-mail address such as name@company.com."]
    }
    html = response.content.decode()
    assert "Get a new link" in html
    assert 'value="not-an-address"' in html
    assert OutgoingEmail.objects.count() == 0


def test_resend_link_get_is_not_allowed(client, db):
    assert client.get(reverse("registrations:resend_link")).status_code == 405


# --- my forums -----------------------------------------------------------------------------------


def test_my_forums_lists_own_registrations_only(client, make_forum, make_user, make_details):
    user = make_user("siti@supplier.example")
    first = make_forum(title="Forum Jakarta", slug="jakarta")
    second = make_forum(title="Forum Bangkok", slug="bangkok")
    for forum in [first, second]:
        services.registration_create(
            forum=forum, details=make_details("SITI@supplier.example"), workshops=[], proven=True
        )
    services.registration_create(
        forum=first, details=make_details("other@supplier.example"), workshops=[]
    )
    client.force_login(user)

    response = client.get(reverse("registrations:my_forums"))

    html = response.content.decode()
    rows = response.context["rows"]
    assert [registration.forum.title for registration, _ in rows] == [
        "Forum Bangkok",
        "Forum Jakarta",
    ]
    assert {registration.person.email for registration, _ in rows} == {"SITI@supplier.example"}
    links = re.findall(r'href="(/registration/[^"]+/)"', html)
    assert sorted(registration_of(link).forum.title for link in links) == [
        "Forum Bangkok",
        "Forum Jakarta",
    ]
    assert {registration_of(link).person.email for link in links} == {"SITI@supplier.example"}


def test_my_forums_without_registrations_says_so(client, make_user):
    client.force_login(make_user("new@supplier.example"))
    response = client.get(reverse("registrations:my_forums"))
    assert "You have no registrations yet." in response.content.decode()


def test_my_forums_anonymous_goes_to_login(client, db):
    response = client.get(reverse("registrations:my_forums"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("count", [1, 3])
def test_my_forums_query_count_does_not_grow_with_registrations(
    client, make_forum, make_user, make_details, count, django_assert_num_queries
):
    user = make_user("siti@supplier.example")
    for _index in range(count):
        services.registration_create(
            forum=make_forum(),
            details=make_details("siti@supplier.example"),
            workshops=[],
            proven=True,
        )
    client.force_login(user)
    # One of them asks whether the registrant was checked in (the certificate link).
    with django_assert_num_queries(5):
        response = client.get(reverse("registrations:my_forums"))
    assert len(response.context["rows"]) == count


def test_register_workshop_filled_meanwhile_asks_again_then_waitlists(client, forum, workshop):
    from workshops.models import Workshop as WorkshopModel

    chosen = workshop("A1")
    page = client.get(register_url(forum)).content.decode()
    assert 'name="seen_full" value=""' in page
    # Someone takes the last seat while this person fills in the form.
    WorkshopModel.objects.filter(pk=chosen.pk).update(seat_limit=1, seats_taken=1)
    data = form_data(slot_1=str(chosen.pk), seen_full="")
    response = client.post(register_url(forum), data)
    assert response.status_code == 200
    assert response.context["form"].errors["slot_1"] == [
        f"A1 · {chosen.title} filled up while you were choosing. Choose another workshop, "
        "or choose it again to join its waiting list."
    ]
    assert Registration.objects.count() == 0
    assert f'name="seen_full" value="{chosen.pk}"' in response.content.decode()
    # Choosing it again, now shown as full, is a clear yes to the waiting list.
    response = client.post(register_url(forum), {**data, "seen_full": str(chosen.pk)})
    assert response.status_code == 302
    place = Registration.objects.get().workshop_places.get()
    assert (place.workshop_id, place.status) == (chosen.pk, "waitlisted")


def test_register_form_asks_only_what_the_site_uses(client, forum):
    response = client.get(register_url(forum))

    assert list(response.context["form"].fields) == [
        "first_name",
        "last_name",
        "email",
        "job_title",
        "company_name",
        "country",
        "phone",
        "dietary_needs",
        "accessibility_needs",
        "category",
        "consent",
        "slot_1",
        "slot_2",
        # The optional self-assessment on the Responsible Sourcing Journey.
        "rsj_setting_tone",
        "rsj_due_diligence",
        "rsj_monitoring",
        "rsj_stakeholders",
    ]
    (privacy,) = re.findall(r"<h2>Your data</h2>\s*<p>(.*?)</p>", response.content.decode(), re.S)
    assert "badge" not in privacy
    assert "certificate" not in privacy
    assert "feedback" not in privacy
    assert "We do not pass them on to sponsors or anyone else." in privacy


def test_register_post_keeps_the_optional_participant_category(client, forum):
    response = client.post(register_url(forum), form_data(category="ngo"))
    assert response.status_code == 302
    assert Registration.objects.get().category == "ngo"


def test_register_post_without_category_leaves_it_empty(client, forum):
    client.post(register_url(forum), form_data())
    assert Registration.objects.get().category == ""


def test_register_post_unknown_category_is_refused_with_a_message(client, forum):
    response = client.post(register_url(forum), form_data(category="🙂" * 50))
    assert response.status_code == 200
    assert response.context["form"].errors["category"] == [
        "Select a valid choice. " + "🙂" * 50 + " is not one of the available choices."
    ]
    assert Registration.objects.count() == 0
