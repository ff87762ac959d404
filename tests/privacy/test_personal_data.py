from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.services import Actor
from forums.models import Person
from privacy.selectors import personal_data_by_forum
from privacy.services import person_erase
from registrations.models import Registration


def _counts():
    return {
        row.forum.slug: (row.people, row.registrations, row.free_text_answers)
        for row in personal_data_by_forum()
    }


def test_personal_data_counts_drop_with_an_erasure(make_someone, make_forum):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    make_someone("Ravi", "Kumar", "ravi@mill.example")
    empty = make_forum(slug="empty")
    # One registration answer and one feedback comment each.
    assert _counts() == {"kl": (2, 2, 4), "empty": (0, 0, 0)}
    person_erase(person=siti.person, by=Actor.system())
    assert _counts() == {"kl": (1, 1, 2), "empty": (0, 0, 0)}
    assert empty.pk


def test_personal_data_command_prints_each_forum(make_someone):
    make_someone("Siti", "Rahman", "siti@supplier.example")
    out = StringIO()
    call_command("personal_data", stdout=out)
    assert out.getvalue().splitlines() == [
        "forum\tpeople\tregistrations\tfree_text_answers",
        "kl\t1\t1\t2",
    ]


def test_personal_data_page_shows_the_counts(client, forum_manager, make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    client.force_login(forum_manager)
    response = client.get(reverse("privacy:personal_data"))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row.people, row.registrations, row.free_text_answers) == (1, 1, 2)
    page = response.content.decode()
    forum_id = siti.registration.forum_id
    assert (
        f'<tr id="forum-{forum_id}"><td>Responsible Sourcing Forum KL</td><td class="people">1</td>'
        in page
    )


@pytest.mark.parametrize("forums", [1, 3])
def test_personal_data_page_query_count(
    client, forum_manager, make_forum, forums, django_assert_num_queries
):
    for n in range(forums):
        forum = make_forum()
        person = Person.objects.create(first_name="P", email=f"p{n}@example.com")
        Registration.objects.create(forum=forum, person=person)
    client.force_login(forum_manager)
    with django_assert_num_queries(8):
        response = client.get(reverse("privacy:personal_data"))
    assert len(response.context["rows"]) == forums


@pytest.mark.parametrize("registrations", [1, 3])
def test_person_page_query_count(
    client, forum_manager, make_forum, registrations, django_assert_num_queries
):
    person = Person.objects.create(first_name="P", email="p@example.com")
    for _ in range(registrations):
        Registration.objects.create(forum=make_forum(), person=person)
    client.force_login(forum_manager)
    with django_assert_num_queries(6):
        response = client.get(reverse("privacy:person", args=[person.pk]))
    assert len(response.context["registrations"]) == registrations


def test_person_page_for_an_unknown_or_bad_id_is_404(client, forum_manager):
    client.force_login(forum_manager)
    for bad in ("999999", "²", "1" * 30):
        assert client.get(reverse("privacy:person", args=[bad])).status_code == 404
        assert client.get(reverse("privacy:person_data", args=[bad])).status_code == 404
