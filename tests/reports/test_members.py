"""The members page: a sponsor sees only the suppliers its own link brought (fixture in
tests/reports/conftest.py: Unilever invited Siti and Budi, Mars invited Somchai)."""

import pytest
from django.urls import reverse

from tests.feedback.results_fixture import build_results_fixture, figure, figures


def page(client, user, query=""):
    client.force_login(user)
    return client.get(reverse("reports:members") + query)


def test_member_sees_its_own_invitees_only(client, users, dashboard):
    response = page(client, users["member"])
    assert response.status_code == 200
    html = response.content.decode()
    slug = dashboard.forum.slug
    assert figure(html, f"{slug}:invited") == "2"
    assert figure(html, f"{slug}:registered") == "2"
    assert figure(html, f"{slug}:came") == "1"
    assert figures(html)[f"{slug}:company"] == ["Acme Packaging", "Kilang Maju"]
    # Siti agreed to share her details; Budi did not.
    assert figures(html)[f"{slug}:contact"] == ["Siti Tester"]
    assert figures(html)[f"{slug}:email"] == ["siti@acme.example"]
    assert "budi@kilang.example" not in html
    # Nothing of Mars's invitee, nor of those no sponsor invited.
    for other in ["Somchai", "som@thaimill.example", "Thai Mill", "Lim", "Sawit Jaya"]:
        assert other not in html


def test_other_member_sees_its_own_invitee(client, users, dashboard):
    html = page(client, users["other_member"]).content.decode()
    slug = dashboard.forum.slug
    assert figure(html, f"{slug}:invited") == "1"
    assert figure(html, f"{slug}:came") == "1"
    assert figures(html)[f"{slug}:contact"] == ["Somchai Tester"]
    assert "Siti" not in html and "Acme Packaging" not in html


def test_member_cannot_ask_for_another_member(client, users, dashboard):
    other = users["other_member"].organisation.pk
    assert page(client, users["member"], f"?member={other}").status_code == 404
    own = users["member"].organisation.pk
    assert page(client, users["member"], f"?member={own}").status_code == 200


def test_secretariat_picks_a_member(client, users, dashboard):
    html = page(client, users["secretariat"]).content.decode()
    mars = users["other_member"].organisation
    assert f'href="?member={mars.pk}"' in html
    html = page(client, users["secretariat"], f"?member={mars.pk}").content.decode()
    assert figures(html)[f"{dashboard.forum.slug}:contact"] == ["Somchai Tester"]
    assert page(client, users["secretariat"], "?member=999999").status_code == 404
    assert page(client, users["secretariat"], "?member=x").status_code == 404
    supplier_company = dashboard.people["Siti"].company_id
    assert page(client, users["secretariat"], f"?member={supplier_company}").status_code == 404


def test_member_sees_the_forums_aggregated_feedback_without_names(
    client, users, make_forum, sponsor
):
    kl = build_results_fixture(make_forum)
    sponsor(kl.forum, users["member"].organisation)
    html = page(client, users["member"]).content.decode()
    assert figure(html, f"{kl.forum.slug}:response_rate") == "44%"
    assert figure(html, f"{kl.forum.slug}:helpful") == "83%"
    assert figure(html, f"{kl.forum.slug}:overall") == "3.9"
    assert "Delegate1" not in html


def test_members_area_links_to_the_page(client, users, dashboard):
    client.force_login(users["member"])
    html = client.get(reverse("member_area")).content.decode()
    assert f'href="{reverse("reports:members")}"' in html


@pytest.mark.parametrize("invitees", [1, 3])
def test_members_page_query_count(
    client, users, make_forum, register, sponsor, django_assert_num_queries, invitees
):
    from tests.feedback.conftest import check_in

    forum = make_forum(slug="counted")
    sponsorship = sponsor(forum, users["member"].organisation)
    for _ in range(invitees):
        check_in(register(forum, invited_by=sponsorship).registration)
    client.force_login(users["member"])
    with django_assert_num_queries(8):
        assert client.get(reverse("reports:members")).status_code == 200
