"""Long and unusual text on the public forms: stored as typed when the database can hold it,
refused with a field message (and nothing written) when not. CI runs this on SQLite and on
PostgreSQL, where an over-long value would otherwise be a server error."""

import pytest
from django.urls import reverse

from forums.models import Organisation, Person
from registrations.models import HeldRegistration, Registration
from registrations.tokens import manage_token

from .test_views import form_data, register_url


@pytest.mark.parametrize(
    "company",
    [
        "😀" * 23,
        "漢" * 60,
        "\ufdfa" * 8,
        "Koperasi Pekebun Kecil Sawit " * 6 + "Bhd",  # 177 characters
        "Đặng Văn Lâm & Con – Công ty TNHH",
    ],
    ids=["emoji", "cjk", "ligature", "long", "vietnamese"],
)
def test_register_with_unusual_company_names_stores_them_as_typed(client, forum, company):
    response = client.post(register_url(forum), form_data(company_name=company))

    assert response.status_code == 302
    registration = Registration.objects.select_related("company").get()
    assert registration.company.name == company


def test_register_same_unusual_name_twice_is_one_company(client, forum):
    for n in range(2):
        client.post(
            register_url(forum), form_data(email=f"p{n}@supplier.example", company_name="漢" * 60)
        )
    assert Organisation.objects.filter(name="漢" * 60).count() == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        (
            "email",
            "a" * 250 + "@x.example",
            "Ensure this value has at most 254 characters (it has 260).",
        ),
        (
            "company_name",
            "A" * 201,
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            "first_name",
            "x" * 10_000,
            "Ensure this value has at most 100 characters (it has 10000).",
        ),
        (
            "first_name",
            "\u200b\u200c\u200d",
            "Enter visible letters: this contains only invisible characters.",
        ),
        (
            "company_name",
            "\u2060\ufeff",
            "Enter visible letters: this contains only invisible characters.",
        ),
        (
            "last_name",
            "Rahman\u202egpj.exe",
            "Remove the hidden character that changes the direction of the text (U+202E).",
        ),
        (
            "job_title",
            "\u2067Buyer\u2069",
            "Remove the hidden characters that change the direction of the text (U+2067, U+2069).",
        ),
    ],
    ids=[
        "email-260",
        "company-201",
        "name-10000",
        "name-zero-width",
        "company-invisible",
        "name-rlo",
        "title-isolates",
    ],
)
def test_register_refuses_text_the_database_cannot_hold_or_that_hides(
    client, forum, field, value, message
):
    response = client.post(register_url(forum), form_data(**{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0
    assert HeldRegistration.objects.count() == 0


def test_manage_details_refuse_hidden_direction_characters(client, forum, register):
    registration = register(forum, "siti@supplier.example").registration
    url = reverse("registrations:manage", args=[manage_token(registration)])
    data = form_data(first_name="Siti\u202e", action="details")

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["details_form"].errors["first_name"] == [
        "Remove the hidden character that changes the direction of the text (U+202E)."
    ]
    registration.person.refresh_from_db()
    assert registration.person.first_name == "Siti1"


def test_overlong_manage_and_confirm_tokens_are_simply_not_found(client, db):
    for name in ["registrations:manage", "registrations:confirm", "registrations:calendar"]:
        assert client.get(reverse(name, args=["x" * 10_000])).status_code == 404


def test_overlong_invitation_code_is_ignored(client, forum):
    response = client.post(register_url(forum), form_data(invite="😀" * 5_000))

    assert response.status_code == 302
    assert Registration.objects.get().invited_by is None


@pytest.mark.parametrize(
    "query",
    ["invite=%00", "invite=abc%00def", "%00=1", "invite=ok&slot_1=%00"],
)
def test_register_nul_in_the_query_is_refused_with_400(client, forum, query):
    response = client.get(f"{register_url(forum)}?{query}")

    assert (response.status_code, response.content.decode()) == (
        400,
        "The request contains a NUL character, which no field accepts.",
    )


def test_register_nul_in_a_posted_field_is_refused_with_400_and_writes_nothing(client, forum):
    for field in ["invite", "first_name", "seen_full", "slot_1"]:
        response = client.post(register_url(forum), form_data(**{field: "a\x00b"}))
        assert (field, response.status_code) == (field, 400)
    assert (Registration.objects.count(), Person.objects.count()) == (0, 0)


def notices(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    "invite",
    ["x" * 21, "😀" * 5_000, "²", "٣٣٣", "ab\u200bcd"],
    ids=["21_characters", "emoji", "superscript_two", "arabic_digits", "zero_width"],
)
def test_register_invite_that_no_code_can_be_is_not_looked_up(
    client, forum, invite, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as without:
        client.get(register_url(forum))
    with django_assert_num_queries(len(without)):
        response = client.get(register_url(forum), {"invite": invite})

    assert response.status_code == 200
    assert response.context["invitation"] is None
    assert notices(response) == [
        "This invitation link is not valid for this forum. You can still register below."
    ]


def test_register_invite_of_twenty_characters_is_looked_up(client, forum, sponsor):
    sponsorship = sponsor(forum, invitation_code="k" * 20)

    response = client.get(register_url(forum), {"invite": "k" * 20})

    assert response.context["invitation"] == sponsorship
    assert notices(response) == []


def test_seen_full_over_long_is_read_as_none_shown(client, forum, workshop):
    from workshops.models import Workshop

    Workshop.objects.filter(pk=workshop("A1").pk).update(seats_taken=20)
    # The full workshop's own id, repeated past what a page sends: read as nothing shown full.
    data = form_data(slot_1=str(workshop("A1").pk), seen_full=f"{workshop('A1').pk}," * 2_000)

    response = client.post(register_url(forum), data)

    assert response.status_code == 200
    assert response.context["form"].errors["slot_1"] == [
        "A1 · Migrant labour filled up while you were choosing. Choose another workshop, or "
        "choose it again to join its waiting list."
    ]
