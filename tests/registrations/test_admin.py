"""The secretariat's admin for registrations and workshop seat limits."""

import re

import pytest
from django.core import mail
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import Actor
from forums.models import Forum
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import PlaceStatus, RegistrationSource, RegistrationStatus
from registrations.models import (
    Registration,
    WorkshopPlace,
)
from tests.html_forms import buttons, form_values, links, texts_of_class
from workshops.models import Workshop

FORUM = "Responsible Sourcing Forum Kuala Lumpur"


def workshop_change(staff_client, workshop, **changes):
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    data = form_values(staff_client.get(url), "workshop_form")
    assert data["seat_limit"] == [str(workshop.seat_limit)]
    data.update({name: [str(value)] for name, value in changes.items()})
    data["_save"] = ["Save"]
    return staff_client.post(url, data)


def changelist(staff_client, **query):
    response = staff_client.get(reverse("admin:registrations_registration_changelist"), query)
    assert response.status_code == 200
    return sorted(r.person.email for r in response.context["cl"].result_list)


@pytest.fixture
def three_registrations(forum, workshop, register, sponsor, make_member):
    """confirmed@ (A1, invited by Nestlé), other@ (B1, invited by Unilever) and waiting@ (A1,
    on the forum's waiting list). Returns Nestlé's sponsorship."""
    nestle = sponsor(forum, make_member(name="Nestlé"))
    unilever = sponsor(forum, make_member(name="Unilever"))
    Forum.objects.filter(pk=forum.pk).update(capacity=2)
    register(
        forum,
        "confirmed@supplier.example",
        [workshop("A1")],
        invited_by=nestle,
        last_name="Tan",
        company_name="Borneo Oils Bhd",
    )
    register(
        forum, "other@supplier.example", [workshop("B1")], invited_by=unilever, last_name="Lim"
    )
    register(forum, "waiting@supplier.example", [workshop("A1")], last_name="Wong")
    return nestle


def test_registration_changelist_filters_and_search(staff_client, three_registrations, workshop):
    everyone = [
        "confirmed@supplier.example",
        "other@supplier.example",
        "waiting@supplier.example",
    ]
    assert changelist(staff_client) == everyone
    assert changelist(staff_client, status__exact="waitlisted") == ["waiting@supplier.example"]
    assert changelist(staff_client, status__exact="confirmed") == [
        "confirmed@supplier.example",
        "other@supplier.example",
    ]
    assert changelist(staff_client, workshop_places__workshop__id__exact=workshop("A1").pk) == [
        "confirmed@supplier.example",
        "waiting@supplier.example",
    ]
    assert changelist(staff_client, workshop_places__workshop__id__exact=workshop("B1").pk) == [
        "other@supplier.example"
    ]
    assert changelist(
        staff_client,
        invited_by__organisation__id__exact=three_registrations.organisation_id,
    ) == ["confirmed@supplier.example"]
    assert changelist(staff_client, q="Wong") == ["waiting@supplier.example"]
    assert changelist(staff_client, q="borneo oils") == ["confirmed@supplier.example"]
    assert changelist(staff_client, q="other@supplier") == ["other@supplier.example"]


def test_registration_changelist_offers_only_used_workshops_and_sponsors(
    staff_client, three_registrations
):
    response = staff_client.get(reverse("admin:registrations_registration_changelist"))

    choices = {
        spec.title: [str(choice["display"]) for choice in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }
    assert choices["workshop"] == ["All", "A1 – Migrant labour", "B1 – Water stewardship"]
    assert choices["member"] == ["All", "Nestlé", "Unilever"]


def admin_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def registration_states() -> dict[str, str]:
    return dict(Registration.objects.values_list("person__email", "status"))


def test_registration_action_cancel_first_asks_for_confirmation(
    staff_client, three_registrations, django_capture_on_commit_callbacks
):
    selected = Registration.objects.exclude(person__email="other@supplier.example")
    before = registration_states()
    OutgoingEmail.objects.all().delete()
    mail.outbox.clear()
    url = reverse("admin:registrations_registration_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        page = staff_client.post(
            url,
            {"action": "cancel_registrations", "_selected_action": [r.pk for r in selected]},
        )

    assert page.status_code == 200
    assert page.templates[0].name == (
        "admin/registrations/registration/cancel_selected_confirmation.html"
    )
    assert texts_of_class(page, "cancel-summary") == [
        "2 registrations will be cancelled. 2 people will be e-mailed that their registration "
        "is cancelled; anyone moved in from a waiting list is e-mailed too."
    ]
    assert texts_of_class(page, "cancel-registration") == [
        "Siti1 Tan (confirmed@supplier.example) – Responsible Sourcing Forum Kuala Lumpur – "
        "Confirmed",
        "Siti3 Wong (waiting@supplier.example) – Responsible Sourcing Forum Kuala Lumpur – "
        "On the waiting list",
    ]
    assert [(b.get("type"), b["text"]) for b in buttons(page)][-1:] == [
        ("submit", "Yes, cancel them")
    ]
    (go_back,) = [link for link in links(page) if link["text"] == "No, go back"]
    assert go_back["href"] == url
    # Nothing has happened yet.
    assert registration_states() == before
    assert (OutgoingEmail.objects.count(), mail.outbox) == (0, [])


def test_registration_action_cancel_confirmed_cancels_and_emails_those_selected(
    staff_client, three_registrations, workshop, django_capture_on_commit_callbacks
):
    confirmed = Registration.objects.get(person__email="confirmed@supplier.example")
    url = reverse("admin:registrations_registration_changelist")
    page = staff_client.post(
        url, {"action": "cancel_registrations", "_selected_action": [confirmed.pk]}
    )
    assert texts_of_class(page, "cancel-summary") == [
        "1 registration will be cancelled. 1 person will be e-mailed that their registration "
        "is cancelled; anyone moved in from a waiting list is e-mailed too."
    ]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, form_values(page, "cancel_form"), follow=True)

    assert admin_messages(response) == ["Cancelled 1 registration."]
    assert registration_states() == {
        "confirmed@supplier.example": RegistrationStatus.CANCELLED,
        "other@supplier.example": RegistrationStatus.CONFIRMED,
        "waiting@supplier.example": RegistrationStatus.CONFIRMED,
    }
    waiting = Registration.objects.get(person__email="waiting@supplier.example")
    assert WorkshopPlace.objects.get(registration=waiting).status == PlaceStatus.CONFIRMED
    assert workshop("A1").seats_taken == 1
    assert Forum.objects.get().seats_taken == 2
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("confirmed@supplier.example", f"Registration cancelled: {FORUM}"),
        ("waiting@supplier.example", f"A place is yours: {FORUM}"),
    ]


def test_registration_action_cancel_counts_already_cancelled_apart(
    staff_client, three_registrations
):
    other = Registration.objects.get(person__email="other@supplier.example")
    services.registration_cancel(registration=other, by=Actor.registrant())
    url = reverse("admin:registrations_registration_changelist")

    page = staff_client.post(
        url,
        {
            "action": "cancel_registrations",
            "_selected_action": [r.pk for r in Registration.objects.all()],
        },
    )

    assert texts_of_class(page, "cancel-summary") == [
        "2 registrations will be cancelled. 2 people will be e-mailed that their registration "
        "is cancelled; anyone moved in from a waiting list is e-mailed too. 1 of the selected "
        "registrations is already cancelled and stays as it is."
    ]
    assert form_values(page, "cancel_form")["_selected_action"] == [
        str(r.pk) for r in Registration.objects.exclude(pk=other.pk).order_by("pk")
    ]


def test_registration_action_cancel_skips_cancelled(staff_client, three_registrations):
    registration = Registration.objects.get(person__email="other@supplier.example")
    services.registration_cancel(registration=registration, by=Actor.registrant())

    response = staff_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [registration.pk]},
        follow=True,
    )

    assert admin_messages(response) == [
        "The selected registrations are cancelled already; nothing was changed."
    ]
    assert OutgoingEmail.objects.filter(to="other@supplier.example", kind="cancelled").count() == 1


def test_registration_action_resend_confirmation_queues_email(
    staff_client, three_registrations, django_capture_on_commit_callbacks
):
    selected = Registration.objects.filter(
        person__email__in=["confirmed@supplier.example", "waiting@supplier.example"]
    )
    OutgoingEmail.objects.all().delete()
    mail.outbox.clear()

    data = {"action": "resend_confirmation", "_selected_action": [r.pk for r in selected]}
    url = reverse("admin:registrations_registration_changelist")
    # First a page that says how many will be e-mailed; nothing is sent yet.
    asked = staff_client.post(url, data)
    assert re.findall(r'<p class="cancel-summary">(.*?)</p>', asked.content.decode()) == [
        "2 people will be e-mailed their confirmation (or waiting-list notice) again, "
        "with their link."
    ]
    assert OutgoingEmail.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(url, {**data, "post": "yes"}, follow=True)

    assert admin_messages(response) == ["Queued 2 e-mails."]
    assert AuditEntry.objects.filter(action="registration.resent").count() == 2
    assert len(callbacks) == 2
    assert sorted((e.to, e.kind) for e in OutgoingEmail.objects.all()) == [
        ("confirmed@supplier.example", "confirmation"),
        ("waiting@supplier.example", "waitlisted"),
    ]
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("confirmed@supplier.example", f"Registration confirmed: {FORUM}"),
        ("waiting@supplier.example", f"Waiting list: {FORUM}"),
    ]


def test_registration_admin_cannot_add_or_delete(staff_client, three_registrations):
    registration = Registration.objects.first()
    assert staff_client.get(reverse("admin:registrations_registration_add")).status_code == 403
    delete_url = reverse("admin:registrations_registration_delete", args=[registration.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Registration.objects.count() == 3


def test_workshop_change_lowering_seat_limit_below_taken_is_refused(
    staff_client, forum, workshop, register
):
    for index in range(3):
        register(forum, f"p{index}@supplier.example", [workshop("A1")])

    response = workshop_change(staff_client, workshop("A1"), seat_limit=2)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "seat_limit": [
            "3 people already hold a seat in A1; the limit cannot be lower than that. "
            "Move or cancel participants first."
        ]
    }
    assert "3 people already hold a seat in A1" in response.content.decode()
    assert (workshop("A1").seat_limit, workshop("A1").seats_taken) == (20, 3)


def test_workshop_change_raising_seat_limit_promotes_waiting(
    staff_client, forum, workshop, register, django_capture_on_commit_callbacks
):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    register(forum, "holder@supplier.example", [workshop("A1")])
    first = register(forum, "first@supplier.example", [workshop("A1")]).registration
    second = register(forum, "second@supplier.example", [workshop("A1")]).registration
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = workshop_change(staff_client, workshop("A1"), seat_limit=2, room="Hall 2")

    assert response.status_code == 302
    assert (workshop("A1").seat_limit, workshop("A1").seats_taken, workshop("A1").room) == (
        2,
        2,
        "Hall 2",
    )
    assert WorkshopPlace.objects.get(registration=first).status == PlaceStatus.CONFIRMED
    assert WorkshopPlace.objects.get(registration=second).status == PlaceStatus.WAITLISTED
    # The new room is news for everyone in A1, seated or waiting.
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("first@supplier.example", f"A place is yours: {FORUM}"),
        ("holder@supplier.example", f"Programme changed: {FORUM}"),
        ("first@supplier.example", f"Programme changed: {FORUM}"),
        ("second@supplier.example", f"Programme changed: {FORUM}"),
    ]


def test_workshop_changelist_shows_free_seats_and_waiting(staff_client, forum, workshop, register):
    Workshop.objects.filter(pk=workshop("A1").pk).update(seat_limit=1)
    for index in range(3):
        register(forum, f"p{index}@supplier.example", [workshop("A1")])

    response = staff_client.get(reverse("admin:workshops_workshop_changelist"), {"q": "A1"})

    (row,) = response.context["cl"].result_list
    admin = response.context["cl"].model_admin
    assert (row.seat_limit, row.seats_taken, admin.seats_free(row), admin.waiting(row)) == (
        1,
        1,
        0,
        2,
    )


def test_workshop_change_during_registration_keeps_seat_counter(
    staff_client, forum, workshop, register, make_details
):
    register(forum, "first@supplier.example", [workshop("A1")])
    landed = []

    def registration_lands_meanwhile(sender, instance, **kwargs):
        # Someone registers while the secretariat's request runs (after its read, before its
        # write): the same interleaving two real requests can have. registration_create is a
        # durable transaction, which cannot run inside the admin's; its work runs here instead.
        if not landed:
            landed.append(
                services._register(
                    forum=forum,
                    details=make_details("meanwhile@supplier.example"),
                    workshops=[workshop("A1")],
                    invited_by=None,
                    source=RegistrationSource.WEB,
                    proven=True,
                    now=timezone.now(),
                )
            )

    pre_save.connect(registration_lands_meanwhile, sender=Workshop)
    try:
        response = workshop_change(staff_client, workshop("A1"), room="Hall 2")
    finally:
        pre_save.disconnect(registration_lands_meanwhile, sender=Workshop)

    assert response.status_code == 302
    assert len(landed) == 1
    confirmed = WorkshopPlace.objects.filter(
        workshop=workshop("A1"), status=PlaceStatus.CONFIRMED
    ).count()
    assert (workshop("A1").room, confirmed) == ("Hall 2", 2)
    assert workshop("A1").seats_taken == 2


def test_registration_country_filter_offers_only_countries_of_registrants(
    staff_client, forum, register
):
    register(forum, "mx@supplier.example")
    from forums.models import Person

    Person.objects.filter(email="mx@supplier.example").update(country="MX")
    response = staff_client.get(reverse("admin:registrations_registration_changelist"))
    country_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "country"
    )
    assert [choice[1] for choice in country_filter.lookup_choices] == ["Mexico"]
    filtered = staff_client.get(
        reverse("admin:registrations_registration_changelist"), {"country": "MX"}
    )
    assert filtered.context["cl"].result_count == 1


def test_registration_country_filter_names_each_country_once(staff_client, three_registrations):
    response = staff_client.get(reverse("admin:registrations_registration_changelist"))
    country = next(f for f in response.context["cl"].filter_specs if f.title == "country")
    assert country.lookup_choices == [("MY", "Malaysia")]
