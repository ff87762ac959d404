"""The facilitator page: their workshops, of every forum, with who holds a place and who was
checked in there; nothing of workshops they do not lead."""

import pytest
from django.urls import reverse

from forums.models import Person
from tests.feedback.results_fixture import build_results_fixture, figures


@pytest.fixture
def led(dashboard, workshop):
    person = Person.objects.create(
        first_name="Fa", last_name="Cilitator", email="Facilitator@Example.com"
    )
    workshop("A1").facilitators.add(person)
    workshop("B2").facilitators.add(person)
    return {code: workshop(code) for code in ["A1", "B2", "A2", "B1"]}


def page(client, users):
    client.force_login(users["facilitator"])
    response = client.get(reverse("reports:facilitator"))
    assert response.status_code == 200
    return response.content.decode()


def test_facilitator_sees_participants_and_attendance_of_their_workshops(client, users, led):
    found = figures(page(client, users))
    a1, b2 = led["A1"].pk, led["B2"].pk
    assert found[f"{a1}:name"] == ["Budi Tester", "Siti Tester"]
    assert found[f"{a1}:company"] == ["Kilang Maju", "Acme Packaging"]
    assert found[f"{a1}:present:Siti Tester"] == ["Yes"]
    assert found[f"{a1}:present:Budi Tester"] == ["Not yet"]
    assert found[f"{a1}:present"] == ["1"]
    # Budi only waits for B2: no place, not listed.
    assert found[f"{b2}:name"] == ["Siti Tester"]
    assert found[f"{b2}:present"] == ["0"]


def test_facilitator_sees_nothing_of_workshops_they_do_not_lead(client, users, led):
    html = page(client, users)
    for other in ["Somchai", "Thai Mill", "Lim Tester", "Sawit Jaya", led["A2"].title]:
        assert other not in html


def test_facilitator_of_a_held_forum_sees_no_shows_and_links_to_their_feedback(
    client, users, make_forum
):
    kl = build_results_fixture(make_forum)
    kl.people["White"].email = "facilitator@example.com"
    kl.people["White"].save()
    html = page(client, users)
    assert reverse("feedback:results", args=[kl.forum.slug]) in html
    assert "Workshop A1" in html and "Workshop B2" not in html


def test_without_workshops_the_page_says_so(client, users, db):
    assert "You do not lead any workshop yet." in page(client, users)


@pytest.mark.parametrize("count", [1, 3])
def test_facilitator_page_query_count(
    client, users, make_forum, register, django_assert_num_queries, count
):
    from tests.feedback.conftest import check_in
    from tests.registrations.conftest import add_workshops

    person = Person.objects.create(first_name="Fa", email="facilitator@example.com")
    forums = [make_forum(slug=f"counted-{n}") for n in range(count)]
    for forum in forums:
        add_workshops(forum)
        workshop = forum.workshops.get(code="A1")
        workshop.facilitators.add(person)
        for _ in range(count):
            registration = register(forum, workshops=[workshop]).registration
            check_in(registration, workshop)
    client.force_login(users["facilitator"])
    with django_assert_num_queries(7):
        assert client.get(reverse("reports:facilitator")).status_code == 200
