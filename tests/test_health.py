from django.urls import reverse


def test_healthz_answers_ok_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"ok"


def test_healthz_answers_head(client, db):
    response = client.head(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b""
