"""Walk-ins: someone who came without registering is registered at the door and checked in at
once; capacity rules and the secretariat's override; addresses already known; the page."""

import re

import pytest
from django.core import mail
from django.urls import resolve, reverse

from attendance.enums import CheckInAnswer, CheckInSource
from attendance.models import CheckIn, DoorHelper
from attendance.services import walk_in_register
from audit.models import AuditEntry
from audit.services import Actor
from companies.models import CompanyName
from forums.models import Forum, Organisation, Person
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import PlaceStatus, RegistrationSource, RegistrationStatus
from registrations.models import Registration, WorkshopPlace
from registrations.services import RegistrantDetails, RegistrationError, WalkInFull
from registrations.tokens import registration_from_token
from tests.html_forms import buttons, form_values, links, texts_of_class
from tests.registrations.conftest import FORUM_DAY, add_workshops
from tests.threads import at_once
from workshops.models import Workshop

# Check-in is open on the forum's day only: these tests run with the clock there.
pytestmark = pytest.mark.usefixtures("on_the_day")


def walk_in(**values):
    """Door details: a new person unless told otherwise."""
    return RegistrantDetails(
        **{
            "first_name": "Budi",
            "last_name": "Santoso",
            "email": "budi@kilang.example",
            "company_name": "Kilang Sawit Maju Sdn Bhd",
            "country": "MY",
            **values,
        }
    )


def written():
    """Every table a walk-in writes to, counted; with the forum's and workshops' seats."""
    return {
        "people": Person.objects.count(),
        "organisations": Organisation.objects.count(),
        "company_names": CompanyName.objects.count(),
        "registrations": Registration.objects.count(),
        "places": WorkshopPlace.objects.count(),
        "checkins": CheckIn.objects.count(),
        "audit": AuditEntry.objects.count(),
        "emails": OutgoingEmail.objects.count(),
        "forums": sorted(Forum.objects.values_list("capacity", "seats_taken")),
        "workshops": sorted(Workshop.objects.values_list("code", "seat_limit", "seats_taken")),
    }


# --- the service -------------------------------------------------------------------------------


def test_walk_in_register_creates_registration_checkin_and_matches_company(
    forum, register, workshop, secretariat, make_organisation
):
    known = register(forum, company_name="Kilang Sawit Maju Sdn Bhd").registration.company

    result = walk_in_register(
        forum=forum,
        details=walk_in(company_name="KILANG SAWIT MAJU SDN. BHD."),
        workshops=[workshop("A2"), workshop("B1")],
        by=Actor.of(secretariat),
        device="Door phone",
    )

    registration = Registration.objects.get(person__email="budi@kilang.example")
    assert result.outcome.created is True
    assert result.outcome.registration == registration
    assert (registration.status, registration.source) == (
        RegistrationStatus.CONFIRMED,
        RegistrationSource.WALK_IN,
    )
    assert registration.company == known
    assert registration.person.organisation == known
    assert list(
        registration.workshop_places.values_list("workshop__code", "status").order_by(
            "workshop__code"
        )
    ) == [("A2", PlaceStatus.CONFIRMED), ("B1", PlaceStatus.CONFIRMED)]
    checkin = CheckIn.objects.get()
    assert result.checkin is not None and result.checkin.answer == CheckInAnswer.OK
    assert (checkin.registration, checkin.workshop, checkin.source, checkin.by, checkin.device) == (
        registration,
        None,
        CheckInSource.WALK_IN,
        secretariat,
        "Door phone",
    )
    forum.refresh_from_db()
    assert forum.seats_taken == 2
    assert sorted(Workshop.objects.filter(forum=forum).values_list("code", "seats_taken")) == [
        ("A1", 0),
        ("A2", 1),
        ("B1", 1),
        ("B2", 0),
    ]
    assert list(
        AuditEntry.objects.filter(object_id=str(registration.pk))
        .order_by("id")
        .values_list("action", "actor", "data")
    ) == [
        ("registration.walk_in", secretariat.pk, {"revived": False, "workshops": ["A2", "B1"]}),
        (
            "checked_in",
            secretariat.pk,
            {"checkin": checkin.pk, "workshop": None, "device": "Door phone"},
        ),
    ]


def test_walk_in_register_sends_the_confirmation_with_manage_link(
    forum, door_helper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = walk_in_register(
            forum=forum, details=walk_in(), workshops=[], by=Actor.of(door_helper)
        )

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["budi@kilang.example"], "Registration confirmed: Responsible Sourcing Forum Kuala Lumpur")
    ]
    paths = re.findall(r"https://forums\.example\.org(/registration/[^\s/]+/)", mail.outbox[0].body)
    assert [registration_from_token(resolve(path).kwargs["token"]) for path in paths[:1]] == [
        result.outcome.registration
    ]


def test_walk_in_register_without_email_registers_the_name_and_sends_nothing(
    forum, door_helper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = walk_in_register(
            forum=forum, details=walk_in(email="  "), workshops=[], by=Actor.of(door_helper)
        )

    person = result.outcome.registration.person
    assert (person.first_name, person.last_name, person.email) == ("Budi", "Santoso", None)
    assert result.checkin is not None and result.checkin.answer == CheckInAnswer.OK
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 0


def test_walk_in_register_full_forum_is_refused_and_writes_nothing(forum, register, door_helper):
    register(forum)
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    before = written()

    with pytest.raises(WalkInFull) as refused:
        walk_in_register(forum=forum, details=walk_in(), workshops=[], by=Actor.of(door_helper))

    assert [(p.workshop, p.message) for p in refused.value.places] == [
        (None, "The forum is full: all 1 seats are taken.")
    ]
    assert written() == before


def test_walk_in_register_full_workshop_is_refused_by_name_and_writes_nothing(
    forum, register, workshop, door_helper
):
    Workshop.objects.filter(pk=workshop("B1").pk).update(seat_limit=1)
    register(forum, workshops=[workshop("B1")])
    before = written()

    with pytest.raises(WalkInFull) as refused:
        walk_in_register(
            forum=forum,
            details=walk_in(),
            workshops=[workshop("A1"), workshop("B1")],
            by=Actor.of(door_helper),
        )

    assert [(p.workshop, p.message) for p in refused.value.places] == [
        (
            workshop("B1"),
            "B1 · Water stewardship is full: all 1 seats are taken. "
            "Choose another workshop, or none.",
        )
    ]
    assert written() == before


def test_walk_in_register_door_helper_cannot_override(forum, register, door_helper):
    register(forum)
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    before = written()

    with pytest.raises(RegistrationError) as refused:
        walk_in_register(
            forum=forum,
            details=walk_in(),
            workshops=[],
            by=Actor.of(door_helper),
            override_reason="Speaker's colleague",
        )

    assert (refused.value.field, refused.value.message) == (
        "override_reason",
        "Only the secretariat can let someone in beyond a limit.",
    )
    assert written() == before


@pytest.mark.parametrize("reason", ["", "   ", "\u200b\u200b"])
def test_walk_in_register_override_needs_a_reason(forum, register, secretariat, reason):
    register(forum)
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    before = written()

    with pytest.raises(RegistrationError) as refused:
        walk_in_register(
            forum=forum,
            details=walk_in(),
            workshops=[],
            by=Actor.of(secretariat),
            override_reason=reason,
        )

    assert refused.value.field == "override_reason"
    assert refused.value.message in {
        "Say why this person may come in although the place is full.",
        "Enter visible letters: this contains only invisible characters.",
    }
    assert written() == before


def test_walk_in_register_override_reason_is_bounded(forum, secretariat):
    with pytest.raises(RegistrationError) as refused:
        walk_in_register(
            forum=forum,
            details=walk_in(),
            workshops=[],
            by=Actor.of(secretariat),
            override_reason="x" * 301,
        )
    assert refused.value.message == "Enter at most 300 characters (it has 301)."


def test_walk_in_register_secretariat_override_raises_each_full_limit_by_one(
    forum, register, workshop, secretariat
):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    register(forum, workshops=[workshop("A1")])
    Forum.objects.filter(pk=forum.pk).update(capacity=1)

    result = walk_in_register(
        forum=forum,
        details=walk_in(),
        workshops=[workshop("A1"), workshop("B1")],
        by=Actor.of(secretariat),
        override_reason="  Sponsor's buyer, confirmed by phone  ",
    )

    forum.refresh_from_db()
    assert (forum.capacity, forum.seats_taken) == (2, 2)
    assert list(
        Workshop.objects.filter(forum=forum)
        .order_by("code")
        .values_list("code", "seat_limit", "seats_taken")
    ) == [("A1", 2, 2), ("A2", 20, 0), ("B1", 20, 1), ("B2", 20, 0)]
    registration = result.outcome.registration
    assert [(o.workshop, o.before, o.after) for o in result.outcome.overrides] == [
        (None, 1, 2),
        (workshop("A1"), 1, 2),
    ]
    overrides = AuditEntry.objects.filter(action__endswith="_overridden").order_by("id")
    reason = "Sponsor's buyer, confirmed by phone"
    assert [(e.action, e.actor, e.actor_kind, e.object_id, e.data) for e in overrides] == [
        (
            "forum.capacity_overridden",
            secretariat,
            "staff",
            str(forum.pk),
            {"from": 1, "to": 2, "reason": reason, "registration": registration.pk},
        ),
        (
            "workshop.seat_limit_overridden",
            secretariat,
            "staff",
            str(workshop("A1").pk),
            {"from": 1, "to": 2, "reason": reason, "registration": registration.pk},
        ),
    ]
    assert result.checkin is not None and result.checkin.answer == CheckInAnswer.OK


def test_walk_in_register_override_with_free_seats_raises_nothing(forum, secretariat):
    result = walk_in_register(
        forum=forum,
        details=walk_in(),
        workshops=[],
        by=Actor.of(secretariat),
        override_reason="Just in case",
    )

    forum.refresh_from_db()
    assert (forum.capacity, forum.seats_taken) == (100, 1)
    assert result.outcome.overrides == ()
    assert AuditEntry.objects.filter(action__endswith="_overridden").count() == 0


@pytest.mark.parametrize("status", [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])
def test_walk_in_register_already_registered_answers_their_registration(
    forum, register, door_helper, status
):
    if status == RegistrationStatus.WAITLISTED:
        Forum.objects.filter(pk=forum.pk).update(capacity=1)
        register(forum)
    registration = register(forum, email="budi@kilang.example").registration
    assert registration.status == status
    before = written()

    result = walk_in_register(
        forum=forum,
        details=walk_in(email="BUDI@kilang.example", first_name="Someone", company_name="Else"),
        workshops=[],
        by=Actor.of(door_helper),
    )

    assert (result.outcome.created, result.outcome.registration, result.checkin) == (
        False,
        registration,
        None,
    )
    assert written() == before


def test_walk_in_register_known_address_keeps_what_is_stored(
    forum, make_forum, register, door_helper, make_organisation
):
    stored = register(
        make_forum(),
        email="budi@kilang.example",
        first_name="Budi",
        last_name="Santoso",
        company_name="Kilang Sawit Maju Sdn Bhd",
        country="",
    ).registration.person
    stored_company = stored.organisation

    result = walk_in_register(
        forum=forum,
        details=walk_in(
            first_name="Mallory", last_name="Evil", company_name="Other Trading", country="ID"
        ),
        workshops=[],
        by=Actor.of(door_helper),
    )

    person = Person.objects.get(pk=stored.pk)
    assert result.outcome.known_person is True
    assert result.outcome.registration.person == person
    assert (person.first_name, person.last_name, person.organisation, person.email) == (
        "Budi",
        "Santoso",
        stored_company,
        "budi@kilang.example",
    )
    # Only the blank field was filled.
    assert person.country.code == "ID"
    assert Person.objects.with_email("budi@kilang.example").count() == 1


def test_walk_in_register_revives_a_cancelled_registration(forum, register, door_helper):
    registration = register(forum, email="budi@kilang.example").registration
    old_secret = registration.secret
    services.registration_cancel(registration=registration, by=Actor.registrant())

    result = walk_in_register(
        forum=forum, details=walk_in(), workshops=[], by=Actor.of(door_helper)
    )

    registration.refresh_from_db()
    assert result.outcome.registration == registration
    assert (result.outcome.created, result.outcome.revived) == (True, True)
    assert (registration.status, registration.source, registration.cancelled_at) == (
        RegistrationStatus.CONFIRMED,
        RegistrationSource.WALK_IN,
        None,
    )
    assert registration.secret != old_secret
    assert Registration.objects.count() == 1
    assert result.checkin is not None and result.checkin.answer == CheckInAnswer.OK
    assert AuditEntry.objects.get(action="registration.walk_in").data == {
        "revived": True,
        "workshops": [],
    }


def test_walk_in_register_two_workshops_at_the_same_time_are_refused(forum, workshop, door_helper):
    before = written()
    with pytest.raises(RegistrationError) as refused:
        walk_in_register(
            forum=forum,
            details=walk_in(),
            workshops=[workshop("A1"), workshop("A2")],
            by=Actor.of(door_helper),
        )
    assert refused.value.message == (
        "Migrant labour and Health and safety on site take place at the same time. "
        "Choose one workshop per time slot."
    )
    assert written() == before


# --- two walk-ins for the last seat -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("last", ["forum", "workshop"])
def test_walk_in_register_two_at_once_for_the_last_seat_one_gets_it(
    forum, register, workshop, last
):
    from accounts.models import User

    helper = User.objects.create_user(email="door@forumdesk.example", password="x")
    DoorHelper.objects.create(user=helper, forum=forum)
    if last == "forum":
        Forum.objects.filter(pk=forum.pk).update(capacity=1)
        chosen = []
    else:
        Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
        chosen = [workshop("A1")]

    def run(email):
        try:
            result = walk_in_register(
                forum=forum, details=walk_in(email=email), workshops=chosen, by=Actor.of(helper)
            )
            return ("ok", result.checkin.answer)
        except WalkInFull as refused:
            return ("full", refused.message)

    answers, errors = at_once(run, [f"racer{n}@kilang.example" for n in range(2)])

    assert errors == []
    full = (
        "The forum is full: all 1 seats are taken."
        if last == "forum"
        else "A1 · Migrant labour is full: all 1 seats are taken. Choose another workshop, or none."
    )
    assert sorted(answers) == [("full", full), ("ok", CheckInAnswer.OK)]
    assert Registration.objects.count() == 1
    assert CheckIn.objects.count() == 1
    assert Person.objects.count() == 1
    if last == "forum":
        assert Forum.objects.values_list("capacity", "seats_taken").get(pk=forum.pk) == (1, 1)
    else:
        assert Workshop.objects.values_list("seat_limit", "seats_taken").get(
            pk=workshop("A1").pk
        ) == (1, 1)


# --- the page ----------------------------------------------------------------------------------


def page(forum):
    return reverse("attendance:walk_in", args=[forum.slug])


def typed(**values):
    return {
        "first_name": "Budi",
        "last_name": "Santoso",
        "email": "budi@kilang.example",
        "company_name": "Kilang Sawit Maju Sdn Bhd",
        "country": "MY",
        "consent": "on",
        **values,
    }


@pytest.fixture
def as_door_helper(client, door_helper):
    client.force_login(door_helper)
    return client


@pytest.fixture
def as_secretariat(client, secretariat):
    client.force_login(secretariat)
    return client


def test_walk_in_page_registers_checks_in_and_shows_the_person(as_door_helper, forum, workshop):
    response = as_door_helper.post(
        page(forum), typed(slot_1=str(workshop("A2").pk), slot_2=str(workshop("B1").pk))
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page(forum)}?registration={registration.pk}"
    shown = as_door_helper.get(response["Location"])
    checkin = CheckIn.objects.get(registration=registration, workshop=None)
    assert checkin.source == CheckInSource.WALK_IN
    local = checkin.checked_in_at.astimezone(forum.zone).strftime("%H:%M")
    assert texts_of_class(shown, "message") == [f"Checked in at {local} (Asia/Kuala_Lumpur)."]
    assert texts_of_class(shown, "person-name") == ["Budi Santoso"]
    assert texts_of_class(shown, "person-company") == ["Kilang Sawit Maju Sdn Bhd"]
    assert texts_of_class(shown, "person-checked-in") == [f"{local} (Asia/Kuala_Lumpur)"]
    assert texts_of_class(shown, "person-workshop") == [
        "A2 · Health and safety on site (11:00)",
        "B1 · Water stewardship (14:00)",
    ]
    assert form_values(shown, "walk-in-form") == {}  # the form gives way to the person
    assert [b["text"] for b in buttons(shown) if b.get("type") == "submit"] == ["Change"]


def test_walk_in_page_links_the_badge_and_the_check_in_page(as_door_helper, forum):
    as_door_helper.post(page(forum), typed())
    registration = Registration.objects.get()

    shown = as_door_helper.get(f"{page(forum)}?registration={registration.pk}")

    by_text = {link["text"]: link["href"] for link in links(shown)}
    assert by_text["Print badge"] == (
        f"/forums/{forum.slug}/checkin/badge/{registration.checkin_code}.pdf"
    )
    assert by_text["Back to check-in"] == f"/forums/{forum.slug}/checkin/"
    badge = as_door_helper.get(by_text["Print badge"])
    assert (badge.status_code, badge["Content-Type"]) == (200, "application/pdf")


@pytest.mark.parametrize(
    "field, value, message",
    [
        (
            "first_name",
            "B" * 10_000,
            "Ensure this value has at most 100 characters (it has 10000).",
        ),
        (
            "company_name",
            "🏭" * 10_000,
            "Ensure this value has at most 200 characters (it has 10000).",
        ),
        ("first_name", "\u200b", "Enter visible letters: this contains only invisible characters."),
        (
            "company_name",
            "Acme\u202eetirw",
            "Remove the hidden character that changes the direction of the text (U+202E).",
        ),
        ("email", "budi@", "Enter an e-mail address such as name@company.com."),
        ("consent", "", "Ask the person and tick this box: it is required."),
    ],
)
def test_walk_in_page_bad_input_keeps_what_was_typed(as_door_helper, forum, field, value, message):
    values = typed(**{field: value})
    before = written()

    response = as_door_helper.post(page(forum), values)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    kept = form_values(response, "walk-in-form")
    for name in ("first_name", "last_name", "email", "company_name"):
        assert kept[name] == [values[name]]
    assert written() == before


def test_walk_in_page_long_emoji_override_reason_is_refused_without_error(
    as_secretariat, forum, register
):
    register(forum)
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    before = written()

    response = as_secretariat.post(page(forum), typed(override_reason="🙏" * 10_000))

    assert response.status_code == 200
    assert response.context["form"].errors["override_reason"] == [
        "Ensure this value has at most 300 characters (it has 10000)."
    ]
    assert written() == before


def test_walk_in_page_full_forum_door_helper_sees_why_and_no_override(
    as_door_helper, forum, register
):
    register(forum)
    Forum.objects.filter(pk=forum.pk).update(capacity=1)
    before = written()

    # A reason slipped into the request is not the door helper's to give.
    response = as_door_helper.post(page(forum), typed(override_reason="Friend of mine"))

    assert response.status_code == 200
    assert texts_of_class(response, "form-errors") == ["The forum is full: all 1 seats are taken."]
    assert "override_reason" not in form_values(response, "walk-in-form")
    assert written() == before


def test_walk_in_page_full_workshop_is_named_at_its_slot(as_door_helper, forum, register, workshop):
    Workshop.objects.filter(pk=workshop("B1").pk).update(seat_limit=1)
    register(forum, workshops=[workshop("B1")])

    response = as_door_helper.post(page(forum), typed(slot_2=str(workshop("B1").pk)))

    assert response.status_code == 200
    assert response.context["form"].errors["slot_2"] == [
        "B1 · Water stewardship is full: all 1 seats are taken. Choose another workshop, or none."
    ]
    assert Registration.objects.count() == 1


def test_walk_in_page_secretariat_overrides_a_full_forum_with_a_reason(
    as_secretariat, forum, register, secretariat
):
    register(forum)
    Forum.objects.filter(pk=forum.pk).update(capacity=1)

    shown = as_secretariat.get(page(forum))
    assert form_values(shown, "walk-in-form")["override_reason"] == [""]
    refused = as_secretariat.post(page(forum), typed())
    assert texts_of_class(refused, "form-errors") == ["The forum is full: all 1 seats are taken."]
    assert form_values(refused, "walk-in-form")["override_reason"] == [""]

    response = as_secretariat.post(page(forum), typed(override_reason="Keynote speaker's guest"))

    assert response.status_code == 302
    assert Forum.objects.values_list("capacity", "seats_taken").get(pk=forum.pk) == (2, 2)
    entry = AuditEntry.objects.get(action="forum.capacity_overridden")
    assert (entry.actor, entry.data["reason"], entry.data["from"], entry.data["to"]) == (
        secretariat,
        "Keynote speaker's guest",
        1,
        2,
    )
    messages_shown = texts_of_class(as_secretariat.get(response["Location"]), "message")
    assert messages_shown[1:] == [
        "Limit raised from 1 to 2 for this person: Responsible Sourcing Forum Kuala Lumpur."
    ]


def test_walk_in_page_override_field_hidden_while_places_are_free(as_secretariat, forum):
    response = as_secretariat.get(page(forum))

    assert form_values(response, "walk-in-form")["override_reason"] == [""]
    assert 'id="id_override_reason"' not in response.content.decode()


def test_walk_in_page_already_registered_then_checked_in_from_the_page(
    as_door_helper, forum, register, door_helper
):
    registration = register(forum, email="budi@kilang.example", first_name="Budi").registration

    response = as_door_helper.post(page(forum), typed(email="Budi@Kilang.example"))

    assert response.status_code == 200
    assert texts_of_class(response, "already") == [
        "Already registered for this forum: no new registration was made."
    ]
    assert texts_of_class(response, "person-checked-in") == ["Not yet"]
    assert Registration.objects.count() == 1
    check_in = form_values(response, "check-in-form")
    assert check_in["check_in"] == [str(registration.pk)]

    first = as_door_helper.post(page(forum), {k: v[0] for k, v in check_in.items()})
    again = as_door_helper.post(page(forum), {k: v[0] for k, v in check_in.items()})

    assert first["Location"] == again["Location"] == f"{page(forum)}?registration={registration.pk}"
    checkin = CheckIn.objects.get()
    assert (checkin.registration, checkin.source, checkin.by) == (
        registration,
        CheckInSource.SEARCH,
        door_helper,
    )


def test_walk_in_page_another_forums_registration_answers_404(
    as_door_helper, forum, make_forum, register
):
    elsewhere = register(make_forum()).registration

    assert as_door_helper.get(f"{page(forum)}?registration={elsewhere.pk}").status_code == 404
    assert as_door_helper.get(f"{page(forum)}?registration=abc").status_code == 404
    assert as_door_helper.post(page(forum), {"check_in": str(elsewhere.pk)}).status_code == 404
    assert CheckIn.objects.count() == 0


def test_walk_in_page_door_helper_of_another_forum_is_refused(client, forum, make_forum):
    from accounts.models import User

    other = User.objects.create_user(email="elsewhere@forumdesk.example", password="x")
    DoorHelper.objects.create(user=other, forum=make_forum())
    client.force_login(other)

    # This forum's desk is another door helper's: 404, as another owner's object.
    assert client.get(page(forum)).status_code == 404
    assert client.post(page(forum), typed()).status_code == 404
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_walk_in_page_query_count(
    as_door_helper, make_forum, door_helper, count, django_assert_num_queries
):
    forum = make_forum(day=FORUM_DAY)
    DoorHelper.objects.create(user=door_helper, forum=forum)
    add_workshops(forum)
    for code in ["A2", "B1", "B2"][: 4 - count]:
        Workshop.objects.filter(forum=forum, code=code).delete()
    assert Workshop.objects.filter(forum=forum).count() == count

    with django_assert_num_queries(5):
        response = as_door_helper.get(page(forum))

    assert response.status_code == 200
    assert len(response.context["form"].slot_fields()) == (1 if count == 1 else 2)
