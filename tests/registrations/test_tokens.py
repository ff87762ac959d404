"""The form of a link secret, checked in one place before any look-up: manage links, held
registrations' links, certificates and survey invitations."""

import pytest
from django.urls import reverse

from feedback.selectors import invitation_from_secret
from registrations.models import new_secret
from registrations.tokens import (
    LinkInvalid,
    held_from_token,
    is_link_secret,
    registration_from_token,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a" * 43, True),
        ("A-_9" * 10 + "xyz", True),
        ("a" * 42, False),
        ("a" * 44, False),
        ("a" * 20, False),  # the manage link and certificate pages took 20 to 64 characters
        ("a" * 40, False),  # survey invitations took 40 to 64
        ("a" * 42 + "٣", False),
        ("a" * 42 + "²", False),
        ("a" * 42 + "\x00", False),
        ("a" * 42 + "=", False),
        ("", False),
        (None, False),
        (43, False),
    ],
)
def test_is_link_secret_table(value, expected):
    assert is_link_secret(value) is expected


def test_is_link_secret_accepts_what_new_secret_makes():
    assert all(is_link_secret(new_secret()) for _ in range(200))


@pytest.mark.parametrize("length", [20, 40, 42, 44, 64])
def test_secret_look_ups_refuse_another_length_without_a_query(
    db, django_assert_num_queries, client, length
):
    token = "a" * length
    with django_assert_num_queries(0):
        with pytest.raises(LinkInvalid):
            registration_from_token(token)
        with pytest.raises(LinkInvalid):
            held_from_token(token)
        assert invitation_from_secret(token) is None
        response = client.get(reverse("attendance:certificate", args=[token]))
    assert response.status_code == 404
